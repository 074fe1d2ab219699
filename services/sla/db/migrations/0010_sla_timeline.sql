-- Up Migration
-- sla's timeline and alerts (issue #12, src/timeline and src/alerts): the master data it measures with, every
-- parcel's steps by when they happened, the legs against the county's policy, the routes' planned arrivals, and the
-- alerts. Built by consumers of masterdata.events, parcel.events and dispatch.events, effectively once (inbox).

-- Master-data copies (the latest record per entity), readable by the metrics feature too.
CREATE TABLE sla_counties (
  county_id  text  PRIMARY KEY,
  time_zone  text  NOT NULL,
  -- the SLA policy in hours: centerToTownHours, townToVillageHours, centerToVillageHours, villageToCenterHours
  sla        jsonb NOT NULL,
  waves      jsonb NOT NULL,
  record     jsonb NOT NULL
);
CREATE TABLE sla_towns (
  county_id text    NOT NULL,
  town_id   text    NOT NULL,
  name      text    NOT NULL,
  active    boolean NOT NULL,
  record    jsonb   NOT NULL,
  PRIMARY KEY (county_id, town_id)
);
CREATE TABLE sla_villages (
  county_id          text    NOT NULL,
  village_code       text    NOT NULL,
  town_id            text    NOT NULL,
  poverty_registered boolean NOT NULL,
  active             boolean NOT NULL,
  record             jsonb   NOT NULL,
  PRIMARY KEY (county_id, village_code)
);
CREATE TABLE sla_stations (
  county_id         text    NOT NULL,
  station_id        text    NOT NULL,
  kind              text    NOT NULL CHECK (kind IN ('center', 'town', 'village')),
  town_id           text,
  village_codes     text[]  NOT NULL,
  service_frequency jsonb   NOT NULL,
  active            boolean NOT NULL,
  record            jsonb   NOT NULL,
  PRIMARY KEY (county_id, station_id)
);

-- Travel time from the center to a station as the confirmed routes planned it: each route_confirmed stop adds
-- (planned arrival − the route's planned departure). The estimate is total_minutes / routes.
CREATE TABLE sla_station_travel (
  county_id     text   NOT NULL,
  station_id    text   NOT NULL,
  routes        int    NOT NULL,
  total_minutes bigint NOT NULL,
  PRIMARY KEY (county_id, station_id)
);

-- Every parcel on a confirmed route: its stop's planned arrival, the route's planned return; cancelled routes kept.
CREATE TABLE sla_route_parcels (
  county_id          text        NOT NULL,
  parcel_id          uuid        NOT NULL,
  route_id           text        NOT NULL,
  tier               text        NOT NULL,
  station_id         text        NOT NULL,
  planned_departure  timestamptz NOT NULL,
  planned_arrival    timestamptz NOT NULL,
  planned_return     timestamptz NOT NULL,
  cancelled          boolean     NOT NULL DEFAULT false,
  PRIMARY KEY (parcel_id, route_id)
);

-- One row per parcel: its steps by when they happened (the earliest report of each), the legs measured against the
-- county's policy, its deadline and ETA.
CREATE TABLE sla_parcels (
  parcel_id              uuid        PRIMARY KEY,
  county_id              text        NOT NULL,
  courier_id             text        NOT NULL,
  direction              text        NOT NULL CHECK (direction IN ('downstream', 'upstream')),
  destination_station_id text,
  origin_station_id      text,
  town_id                text,
  village_code           text,
  declared_value_yuan    double precision,
  cold_chain_profile_id  text,
  state                  text        NOT NULL,
  -- the occurredAt of the latest fact: the state is the one its event reported
  state_at               timestamptz NOT NULL,
  state_fact_id          text        NOT NULL,
  manifested_at          timestamptz,
  received_at            timestamptz,
  sorted_at              timestamptz,
  departed_at            timestamptz,
  at_town_at             timestamptz,
  at_station_at          timestamptz,
  delivered_at           timestamptz,
  booked_at              timestamptz,
  collected_at           timestamptz,
  at_center_at           timestamptz,
  handed_over_at         timestamptz,
  returned_at            timestamptz,
  lost_at                timestamptz,
  -- each leg: its duration in whole minutes (floor), whether it met its target, and the instant it ended
  center_to_town_minutes     int,
  center_to_town_on_time     boolean,
  center_to_town_ended_at    timestamptz,
  town_to_village_minutes    int,
  town_to_village_on_time    boolean,
  town_to_village_ended_at   timestamptz,
  center_to_village_minutes  int,
  center_to_village_on_time  boolean,
  center_to_village_ended_at timestamptz,
  village_to_center_minutes  int,
  village_to_center_on_time  boolean,
  village_to_center_ended_at timestamptz,
  -- the leg the deadline is of, the deadline, and the ETA of its end (with where it came from)
  deadline_leg           text,
  deadline               timestamptz,
  eta                    timestamptz,
  eta_source             text,
  -- when the ETA is measured again if nothing happened by then: the wave departure it counts on, else the ETA
  eta_due_at             timestamptz,
  open                   boolean     NOT NULL,
  -- the runtime clock's instant it was last measured at
  measured_at            timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sla_parcels_open ON sla_parcels (eta_due_at) WHERE open;
CREATE INDEX sla_parcels_c2t ON sla_parcels (county_id, center_to_town_ended_at) WHERE center_to_town_ended_at IS NOT NULL;
CREATE INDEX sla_parcels_t2v ON sla_parcels (county_id, town_to_village_ended_at) WHERE town_to_village_ended_at IS NOT NULL;
CREATE INDEX sla_parcels_c2v ON sla_parcels (county_id, center_to_village_ended_at) WHERE center_to_village_ended_at IS NOT NULL;
CREATE INDEX sla_parcels_v2c ON sla_parcels (county_id, village_to_center_ended_at) WHERE village_to_center_ended_at IS NOT NULL;
CREATE INDEX sla_parcels_received ON sla_parcels (county_id, received_at);

-- The timeline: every parcel fact once (by fact id), ordered by when it happened.
CREATE TABLE sla_parcel_facts (
  parcel_id   uuid        NOT NULL,
  fact_id     text        NOT NULL,
  event_type  text        NOT NULL,
  kind        text        NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  station_id  text,
  route_id    text,
  actor       jsonb       NOT NULL,
  state_after text        NOT NULL,
  PRIMARY KEY (parcel_id, fact_id)
);

-- Per-county rate-alert settings; absent: the defaults (README "Alerts").
CREATE TABLE sla_settings (
  county_id    text             PRIMARY KEY,
  target_rate  double precision NOT NULL,
  window_hours int              NOT NULL,
  min_legs     int              NOT NULL,
  updated_at   timestamptz      NOT NULL,
  updated_by   text             NOT NULL
);

-- Alerts. dedupe_key makes each one raised once: breach/<parcel>/<leg>, at_risk/<parcel>/<leg>,
-- eta_slip/<parcel>/<eta>, rate/<county>/<leg>/<raisedAt>; a rate alert's open one is found by county and leg.
CREATE TABLE sla_alerts (
  alert_id        uuid        PRIMARY KEY,
  dedupe_key      text        NOT NULL UNIQUE,
  county_id       text        NOT NULL,
  kind            text        NOT NULL CHECK (kind IN ('breach', 'at_risk', 'eta_slip', 'rate')),
  leg             text        NOT NULL,
  parcel_id       uuid,
  courier_id      text,
  state           text        NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
  raised_at       timestamptz NOT NULL,
  details         jsonb       NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by text,
  resolved_at     timestamptz
);
CREATE INDEX sla_alerts_list ON sla_alerts (county_id, raised_at DESC);
CREATE UNIQUE INDEX sla_alerts_rate_live ON sla_alerts (county_id, leg) WHERE kind = 'rate' AND state <> 'resolved';

-- Down Migration
DROP TABLE sla_alerts;
DROP TABLE sla_settings;
DROP TABLE sla_parcel_facts;
DROP TABLE sla_parcels;
DROP TABLE sla_route_parcels;
DROP TABLE sla_station_travel;
DROP TABLE sla_stations;
DROP TABLE sla_villages;
DROP TABLE sla_towns;
DROP TABLE sla_counties;
