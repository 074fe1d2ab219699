-- Up Migration
-- Every parcel's record (docs/architecture.md §3: intake owns parcels and their state machine). State, progress
-- and exception are derived from the accepted facts (parcel_facts) by the lifecycle in
-- packages/contracts and stored here for queries.
CREATE TABLE parcels (
  id                     uuid        PRIMARY KEY,
  county_id              text        NOT NULL,
  courier_id             text        NOT NULL,
  waybill                text        NOT NULL,
  direction              text        NOT NULL,
  state                  text        NOT NULL,
  progress               text,
  exception              jsonb,
  -- Null while the destination does not resolve to an active village station (address_unknown).
  destination_station_id text,
  origin_station_id      text,
  town_station_id        text,
  -- The parcel as the courier sent it (recipient included: it is needed at delivery; it is masked
  -- in every event and never logged), and a hash of it to tell a repeat from a conflict.
  contract               jsonb       NOT NULL,
  content_hash           text        NOT NULL,
  -- When the inbound scan happened: the SLA clock starts here.
  received_at            timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_id, courier_id, waybill)
);
CREATE INDEX parcels_by_state ON parcels (county_id, state, created_at, id);
CREATE INDEX parcels_by_courier ON parcels (county_id, courier_id, created_at, id);
CREATE INDEX parcels_by_destination ON parcels (county_id, destination_station_id, created_at, id);
CREATE INDEX parcels_by_origin ON parcels (county_id, origin_station_id, created_at, id) WHERE origin_station_id IS NOT NULL;
CREATE INDEX parcels_created ON parcels (county_id, created_at, id);

-- Every accepted fact (scan, courier announcement, dispatch fact, correction) with who, where, when
-- it happened and when it was received. Overruled facts stay, flagged (see decideFact's supersedes).
CREATE TABLE parcel_facts (
  parcel_id   uuid        NOT NULL REFERENCES parcels (id),
  fact_id     text        NOT NULL,
  kind        text        NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  fact        jsonb       NOT NULL,
  superseded  boolean     NOT NULL DEFAULT false,
  PRIMARY KEY (parcel_id, fact_id)
);

-- The same (courier, waybill) announced again with different content: recorded for operators,
-- never a second parcel (the intake issue).
CREATE TABLE parcel_conflicts (
  id          bigserial   PRIMARY KEY,
  county_id   text        NOT NULL,
  parcel_id   uuid        NOT NULL REFERENCES parcels (id),
  source      text        NOT NULL,
  received    jsonb       NOT NULL,
  differences jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX parcel_conflicts_open ON parcel_conflicts (county_id, created_at) WHERE resolved_at IS NULL;

-- Down Migration
DROP TABLE parcel_conflicts;
DROP TABLE parcel_facts;
DROP TABLE parcels;
