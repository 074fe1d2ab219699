-- Up Migration
-- coldchain's catalogue (issue #11, src/catalogue/): product profiles, containers, and which cold-chain parcel was
-- in which container when.

-- Product profiles, per county. Each county gets the seeded defaults once (profile_seeds), then edits them: a
-- default deleted stays deleted.
CREATE TABLE profiles (
  county_id                text             NOT NULL,
  profile_id               text             NOT NULL,
  name                     text             NOT NULL,
  name_zh                  text,
  min_c                    double precision NOT NULL,
  max_c                    double precision NOT NULL,
  tolerated_minutes        double precision NOT NULL CHECK (tolerated_minutes >= 0),
  mkt_limit_c              double precision NOT NULL,
  activation_energy_kj_mol double precision NOT NULL CHECK (activation_energy_kj_mol > 0),
  precool_target_c         double precision,
  precool_within_hours     double precision,
  silence_gap_minutes      double precision NOT NULL CHECK (silence_gap_minutes > 0),
  -- where each figure comes from: [{ "field", "source" }]
  sources                  jsonb            NOT NULL DEFAULT '[]',
  seeded                   boolean          NOT NULL,
  updated_at               timestamptz      NOT NULL,
  updated_by               text,
  PRIMARY KEY (county_id, profile_id),
  CHECK (min_c < max_c),
  CHECK ((precool_target_c IS NULL) = (precool_within_hours IS NULL))
);

CREATE TABLE profile_seeds (
  county_id text        PRIMARY KEY,
  seeded_at timestamptz NOT NULL
);

-- The county's settings: the profile a container expects when none of its own is set.
CREATE TABLE catalogue_settings (
  county_id          text        PRIMARY KEY,
  default_profile_id text        NOT NULL,
  updated_at         timestamptz NOT NULL,
  updated_by         text        NOT NULL
);

-- Refrigerated compartments of vehicles and cold rooms of stations, from masterdata.events. profile_id NULL: the
-- county's default profile.
CREATE TABLE containers (
  county_id      text        NOT NULL,
  container_id   text        NOT NULL,
  kind           text        NOT NULL CHECK (kind IN ('vehicle_compartment', 'cold_room')),
  vehicle_id     text,
  station_id     text,
  capacity_m3    double precision,
  active         boolean     NOT NULL,
  profile_id     text,
  profile_set_by text,
  profile_set_at timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_id, container_id),
  CHECK ((kind = 'vehicle_compartment') = (vehicle_id IS NOT NULL)),
  CHECK ((kind = 'cold_room') = (station_id IS NOT NULL))
);
CREATE INDEX containers_vehicle ON containers (county_id, vehicle_id) WHERE vehicle_id IS NOT NULL;

-- Every parcel of a confirmed route that rides refrigerated, until the route is cancelled: what the route's later
-- events (departure, pickups, return) need to know which of their parcels to bind.
CREATE TABLE route_loads (
  route_id         text NOT NULL,
  parcel_id        uuid NOT NULL,
  county_id        text NOT NULL,
  vehicle_id       text NOT NULL,
  depot_station_id text NOT NULL,
  direction        text NOT NULL CHECK (direction IN ('downstream', 'upstream')),
  PRIMARY KEY (route_id, parcel_id)
);

-- The cold-chain parcels coldchain knows: a product profile on their manifest or booking, or a refrigerated
-- compartment on a route. ended_at: delivered, handed to the line-haul, returned or lost (the first).
CREATE TABLE cold_parcels (
  parcel_id    uuid        PRIMARY KEY,
  county_id    text        NOT NULL,
  courier_id   text,
  direction    text,
  profile_id   text,
  collected_at timestamptz,
  ended_at     timestamptz,
  ended_how    text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cold_parcels_in_transit ON cold_parcels (county_id) WHERE ended_at IS NULL;

-- What the events said about where a cold-chain parcel was: loaded into a container, at a station, or ended. The
-- parcel's bindings are a function of this set (src/catalogue/domain/custody.ts), whatever order it arrived in.
CREATE TABLE custody_facts (
  parcel_id  uuid        NOT NULL,
  event_id   uuid        NOT NULL,
  county_id  text        NOT NULL,
  at         timestamptz NOT NULL,
  kind       text        NOT NULL CHECK (kind IN ('loaded', 'at_station', 'ended')),
  -- loaded: the container; at_station: the station; ended: delivered, handed_over, returned or lost
  place      text        NOT NULL,
  collected  boolean     NOT NULL DEFAULT false,
  PRIMARY KEY (parcel_id, event_id, kind)
);

-- Parcel ↔ container from .. to (to NULL: still in it). origin 'events': derived from custody_facts and rewritten
-- with them; 'manual': bound by hand, with who and why, closed by hand.
CREATE TABLE bindings (
  binding_id   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  county_id    text        NOT NULL,
  parcel_id    uuid        NOT NULL,
  container_id text        NOT NULL,
  from_at      timestamptz NOT NULL,
  to_at        timestamptz,
  origin       text        NOT NULL CHECK (origin IN ('events', 'manual')),
  created_by   text,
  reason       text,
  closed_by    text,
  close_reason text,
  created_at   timestamptz NOT NULL,
  CHECK (to_at IS NULL OR to_at > from_at)
);
CREATE UNIQUE INDEX bindings_from_events ON bindings (parcel_id, container_id, from_at) WHERE origin = 'events';
CREATE INDEX bindings_of_parcel ON bindings (parcel_id);
CREATE INDEX bindings_in_container ON bindings (county_id, container_id, from_at);

-- Down Migration
DROP TABLE bindings;
DROP TABLE custody_facts;
DROP TABLE cold_parcels;
DROP TABLE route_loads;
DROP TABLE containers;
DROP TABLE catalogue_settings;
DROP TABLE profile_seeds;
DROP TABLE profiles;
