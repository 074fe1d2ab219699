-- Up Migration
-- dispatch's read model (issue #10): its own copy of the master data and of every parcel, built by its consumers of
-- masterdata.events and parcel.events (src/readmodel/), effectively once through the platform's inbox.

-- The county, towns, stations, couriers and vehicles, each as the full record its latest event carried.
CREATE TABLE masterdata (
  county_id text    NOT NULL,
  entity    text    NOT NULL CHECK (entity IN ('county', 'town', 'station', 'courier', 'vehicle')),
  id        text    NOT NULL,
  record    jsonb   NOT NULL,
  active    boolean NOT NULL,
  PRIMARY KEY (county_id, entity, id)
);

-- Every parcel, as its latest parcel.* event left it. A parcel waits in the pool when it is downstream `received`
-- or upstream `booked` and on no live route (route_parcels, migration 0002).
CREATE TABLE parcels (
  parcel_id             uuid             PRIMARY KEY,
  county_id             text             NOT NULL,
  courier_id            text             NOT NULL,
  direction             text             NOT NULL CHECK (direction IN ('downstream', 'upstream')),
  state                 text             NOT NULL,
  exception             text,
  -- the destination station (downstream; an address correction moves it) or the origin station (upstream)
  station_id            text,
  weight_kg             double precision,
  volume_m3             double precision,
  cold_chain_profile_id text,
  -- the earliest receive scan (downstream) or the booking (upstream): the SLA clock's start
  clock_started_at      timestamptz,
  -- the earliest time a downstream parcel was seen past `manifested` (when no receive scan came)
  progressed_at         timestamptz,
  updated_at            timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX parcels_waiting ON parcels (county_id)
  WHERE (direction = 'downstream' AND state = 'received') OR (direction = 'upstream' AND state = 'booked');

-- Down Migration
DROP TABLE parcels;
DROP TABLE masterdata;
