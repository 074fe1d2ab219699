-- Up Migration
-- Confirmed routes (docs/architecture.md §3: dispatch owns routes, stops and vehicle loads). Plans write a
-- row when an operator confirms a draft; the driver's field events move its status. `data` is the
-- `dispatch.route_confirmed` event's data: the vehicle, its stops with planned times, every parcel.
CREATE TABLE routes (
  route_id     text        PRIMARY KEY,
  county_id    text        NOT NULL,
  plan_id      text        NOT NULL,
  date         date        NOT NULL,
  wave_id      text        NOT NULL,
  vehicle_id   text        NOT NULL,
  tier         text        NOT NULL CHECK (tier IN ('direct', 'trunk', 'village')),
  status       text        NOT NULL CHECK (status IN ('confirmed', 'departed', 'returned', 'cancelled')),
  data         jsonb       NOT NULL,
  confirmed_at timestamptz NOT NULL,
  departed_at  timestamptz,
  returned_at  timestamptz,
  cancelled_at timestamptz
);
CREATE INDEX routes_wave ON routes (county_id, date, wave_id);
CREATE INDEX routes_vehicle ON routes (county_id, vehicle_id, date);

-- Which parcel rides which route, where it leaves or boards, in which compartment, and what became of it.
CREATE TABLE route_parcels (
  route_id      text NOT NULL REFERENCES routes (route_id),
  parcel_id     uuid NOT NULL,
  county_id     text NOT NULL,
  direction     text NOT NULL CHECK (direction IN ('downstream', 'upstream')),
  stop_sequence integer NOT NULL,
  compartment   text NOT NULL CHECK (compartment IN ('refrigerated', 'ambient')),
  status        text NOT NULL DEFAULT 'loaded'
                CHECK (status IN ('planned', 'loaded', 'handed_over', 'collected', 'exception', 'undelivered', 'returned', 'cancelled')),
  PRIMARY KEY (route_id, parcel_id)
);
-- A parcel is on at most one live route: the pool excludes these.
CREATE INDEX route_parcels_parcel ON route_parcels (county_id, parcel_id);

-- Down Migration
DROP TABLE route_parcels;
DROP TABLE routes;
