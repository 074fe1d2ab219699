-- Up Migration
-- console's read model for the public trace page (issue #14), fed by parcel.events, coldchain.events and
-- masterdata.events; the platform's tables (outbox, inbox, the copy of the API keys) are migrated before it.
-- Upstream parcels only, and only what a trace page shows: no recipient, no actor, no waybill.

CREATE TABLE trace_parcels (
  parcel_id uuid PRIMARY KEY,
  county_id text NOT NULL,
  origin_station_id text,
  profile_id text,
  state text NOT NULL,
  updated_at timestamptz NOT NULL
);

-- one row per accepted fact of a parcel (a fact reported twice is one step)
CREATE TABLE trace_steps (
  parcel_id uuid NOT NULL REFERENCES trace_parcels (parcel_id),
  fact_id text NOT NULL,
  kind text NOT NULL,
  occurred_at timestamptz NOT NULL,
  station_id text,
  PRIMARY KEY (parcel_id, fact_id)
);

-- the latest revision of a parcel's cold-chain compliance record
CREATE TABLE trace_compliance (
  parcel_id uuid PRIMARY KEY,
  revision integer NOT NULL,
  profile_id text NOT NULL,
  from_at timestamptz NOT NULL,
  to_at timestamptz NOT NULL,
  minutes_in_range double precision NOT NULL,
  minutes_out_of_range double precision NOT NULL,
  min_c double precision,
  max_c double precision,
  mkt_c double precision,
  compliant boolean NOT NULL
);

CREATE TABLE trace_counties (
  county_id text PRIMARY KEY,
  name text NOT NULL,
  time_zone text NOT NULL
);

CREATE TABLE trace_towns (
  county_id text NOT NULL,
  town_id text NOT NULL,
  name text NOT NULL,
  PRIMARY KEY (county_id, town_id)
);

CREATE TABLE trace_villages (
  county_id text NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  PRIMARY KEY (county_id, code)
);

CREATE TABLE trace_stations (
  county_id text NOT NULL,
  station_id text NOT NULL,
  name text NOT NULL,
  kind text NOT NULL,
  town_id text,
  village_codes text[] NOT NULL,
  PRIMARY KEY (county_id, station_id)
);

-- a parcel's trace code: random, unguessable, one per parcel for good
CREATE TABLE trace_codes (
  code text PRIMARY KEY,
  parcel_id uuid NOT NULL UNIQUE REFERENCES trace_parcels (parcel_id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE trace_codes;
DROP TABLE trace_stations;
DROP TABLE trace_villages;
DROP TABLE trace_towns;
DROP TABLE trace_counties;
DROP TABLE trace_compliance;
DROP TABLE trace_steps;
DROP TABLE trace_parcels;
