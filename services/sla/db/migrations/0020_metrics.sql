-- Up Migration
-- The bureau's metrics (src/metrics). Reads the timeline's `sla_parcels` (0010_sla_timeline.sql) and keeps
-- its own tables: hand-overs per station and date (coverage), wave costs (cost per parcel), the latest
-- cold-chain compliance revision per parcel, and the master data coverage needs.


-- A month's query reads one county's parcels by the instant that decides their period (README "Metrics"):
-- received_at downstream, collected_at upstream.
CREATE INDEX IF NOT EXISTS sla_parcels_metrics_down ON sla_parcels (county_id, received_at) WHERE direction = 'downstream';
CREATE INDEX IF NOT EXISTS sla_parcels_metrics_up ON sla_parcels (county_id, collected_at) WHERE direction = 'upstream';

CREATE TABLE metrics_counties (
  county_id text PRIMARY KEY,
  time_zone text NOT NULL
);

CREATE TABLE metrics_towns (
  county_id text NOT NULL,
  town_id text NOT NULL,
  active boolean NOT NULL,
  PRIMARY KEY (county_id, town_id)
);

CREATE TABLE metrics_villages (
  county_id text NOT NULL,
  code text NOT NULL,
  town_id text NOT NULL,
  poverty_registered boolean NOT NULL,
  active boolean NOT NULL,
  PRIMARY KEY (county_id, code)
);

CREATE TABLE metrics_stations (
  county_id text NOT NULL,
  station_id text NOT NULL,
  kind text NOT NULL,
  town_id text,
  village_codes text[] NOT NULL,
  service_frequency jsonb NOT NULL,
  active boolean NOT NULL,
  PRIMARY KEY (county_id, station_id)
);

-- One row per hand-over (a route's stop): a replay finds its row and changes nothing.
CREATE TABLE metrics_handovers (
  county_id text NOT NULL,
  route_id text NOT NULL,
  station_id text NOT NULL,
  sequence int NOT NULL,
  service_date date NOT NULL,
  handed_over_at timestamptz NOT NULL,
  parcels int NOT NULL,
  PRIMARY KEY (county_id, route_id, station_id, sequence)
);
CREATE INDEX metrics_handovers_by_date ON metrics_handovers (county_id, service_date);

-- One row per wave (date, wave): a later costing of the same wave (a re-plan confirmed) replaces it.
CREATE TABLE metrics_wave_costs (
  county_id text NOT NULL,
  service_date date NOT NULL,
  wave_id text NOT NULL,
  plan_id text NOT NULL,
  confirmed_at timestamptz NOT NULL,
  parcels int NOT NULL,
  cost_yuan numeric NOT NULL,
  counterfactual_cost_yuan numeric NOT NULL,
  surveyed_cost_per_parcel_yuan numeric NOT NULL,
  PRIMARY KEY (county_id, service_date, wave_id)
);

-- The latest revision of each cold-chain parcel's compliance record.
CREATE TABLE metrics_compliance (
  county_id text NOT NULL,
  parcel_id uuid NOT NULL,
  revision int NOT NULL,
  profile_id text NOT NULL,
  recorded_to timestamptz NOT NULL,
  compliant boolean NOT NULL,
  PRIMARY KEY (county_id, parcel_id)
);
CREATE INDEX metrics_compliance_by_time ON metrics_compliance (county_id, recorded_to);

-- Down Migration
DROP TABLE metrics_compliance;
DROP TABLE metrics_wave_costs;
DROP TABLE metrics_handovers;
DROP TABLE metrics_stations;
DROP TABLE metrics_villages;
DROP TABLE metrics_towns;
DROP TABLE metrics_counties;
DROP INDEX IF EXISTS sla_parcels_metrics_up;
DROP INDEX IF EXISTS sla_parcels_metrics_down;
