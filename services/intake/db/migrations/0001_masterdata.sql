-- Up Migration
-- Master data of every county (docs/architecture.md §3, intake owns it): one row per entity, the full
-- validated record as JSON (the same record the compacted masterdata.events topic carries).
-- Entities: county, town, village (id = 12-digit code), station, courier, vehicle.
CREATE TABLE masterdata (
  county_id  text        NOT NULL,
  entity     text        NOT NULL,
  id         text        NOT NULL,
  record     jsonb       NOT NULL,
  active     boolean     NOT NULL DEFAULT true,
  revision   integer     NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_id, entity, id)
);

-- Which active village station serves each village: how a parcel's village code resolves to its
-- destination. Kept by whoever writes stations, in the same transaction.
CREATE TABLE village_stations (
  county_id    text NOT NULL,
  village_code text NOT NULL,
  station_id   text NOT NULL,
  PRIMARY KEY (county_id, village_code)
);

-- Down Migration
DROP TABLE village_stations;
DROP TABLE masterdata;
