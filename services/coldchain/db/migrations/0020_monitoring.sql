-- Up Migration
-- coldchain's monitoring (issue #11, src/monitoring/): each container's excursion state, its excursions and alarms,
-- and who did what about them. Postgres is the truth; Redis holds a copy of container_state for fast ingest.

-- Each container's fold of its readings (src/monitoring/domain/fold.ts) as of `state.last`: written whenever an
-- excursion opens, exceeds or closes, a late reading is folded again, an alarm of silence is raised or cleared,
-- and at least every few seconds while readings come (the checkpoint a flushed Redis is rebuilt from).
CREATE TABLE container_state (
  county_id          text        NOT NULL,
  container_id       text        NOT NULL,
  profile_id         text,
  state              jsonb       NOT NULL,
  last_reading_at    timestamptz,
  last_sensor_id     text,
  last_temperature_c double precision,
  open_excursion_id  text,
  silent_alarm_id    text,
  updated_at         timestamptz NOT NULL,
  PRIMARY KEY (county_id, container_id)
);

-- Excursions, by a deterministic id (county, container, start): a recompute writes the same row again. One that
-- late readings replaced (another start) is kept, superseded, for the audit.
CREATE TABLE excursions (
  excursion_id          text             PRIMARY KEY,
  county_id             text             NOT NULL,
  container_id          text             NOT NULL,
  profile_id            text             NOT NULL,
  started_at            timestamptz      NOT NULL,
  start_sensor_id       text             NOT NULL,
  side                  text             NOT NULL CHECK (side IN ('above', 'below')),
  ended_at              timestamptz,
  closed_at             timestamptz,
  close_sensor_id       text,
  minutes_out_of_range  double precision NOT NULL,
  min_c                 double precision NOT NULL,
  max_c                 double precision NOT NULL,
  severity              text             NOT NULL,
  hard_limit_crossed    boolean          NOT NULL,
  exceeded_at           timestamptz,
  exceeded_by           text CHECK (exceeded_by IN ('tolerance', 'hard_limit')),
  parcel_ids            uuid[]           NOT NULL DEFAULT '{}',
  superseded_by         text,
  resolution            text CHECK (resolution IN ('released', 'downgraded', 'discarded')),
  updated_at            timestamptz      NOT NULL
);
CREATE INDEX excursions_container ON excursions (county_id, container_id, started_at);
CREATE INDEX excursions_county ON excursions (county_id, started_at DESC);

-- The quality manager's decisions about an excursion's goods, every one kept (the latest is excursions.resolution).
CREATE TABLE excursion_resolutions (
  seq          bigserial   PRIMARY KEY,
  excursion_id text        NOT NULL REFERENCES excursions (excursion_id),
  county_id    text        NOT NULL,
  resolution   text        NOT NULL CHECK (resolution IN ('released', 'downgraded', 'discarded')),
  by_key_id    text        NOT NULL,
  by_role      text        NOT NULL,
  at           timestamptz NOT NULL,
  comment      text
);
CREATE INDEX excursion_resolutions_excursion ON excursion_resolutions (excursion_id, seq);

-- Alarms, by a deterministic id (an excursion's and its kind; a silence's container and last reading), so raising
-- one again is a no-op. Acknowledged and cleared are independent marks, never taken back.
CREATE TABLE alarms (
  alarm_id             text        PRIMARY KEY,
  county_id            text        NOT NULL,
  container_id         text        NOT NULL,
  kind                 text        NOT NULL CHECK (kind IN ('tolerance_exceeded', 'sensor_silent', 'precooling_missed')),
  severity             text        NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'warning')),
  excursion_id         text        REFERENCES excursions (excursion_id),
  raised_at            timestamptz NOT NULL,
  detail               text        NOT NULL,
  parcel_ids           uuid[]      NOT NULL DEFAULT '{}',
  silent_since         timestamptz,
  acknowledged_at      timestamptz,
  acknowledged_by_key  text,
  acknowledged_by_role text,
  acknowledge_comment  text,
  cleared_at           timestamptz,
  cleared_by_key       text,
  cleared_by_role      text,
  clear_comment        text
);
CREATE INDEX alarms_county ON alarms (county_id, raised_at DESC, alarm_id);
CREATE INDEX alarms_container ON alarms (county_id, container_id, raised_at DESC);
CREATE INDEX alarms_open ON alarms (county_id, raised_at DESC) WHERE cleared_at IS NULL;

-- Everything that happened to an alarm, in order: raised, acknowledged, cleared (by whom; by the data when no key).
CREATE TABLE alarm_audit (
  seq       bigserial   PRIMARY KEY,
  alarm_id  text        NOT NULL REFERENCES alarms (alarm_id),
  county_id text        NOT NULL,
  action    text        NOT NULL CHECK (action IN ('raised', 'acknowledged', 'cleared')),
  at        timestamptz NOT NULL,
  by_key_id text,
  by_role   text,
  comment   text
);
CREATE INDEX alarm_audit_alarm ON alarm_audit (alarm_id, seq);

-- Pre-cooling checked once per cold-chain parcel when its window has passed (src/monitoring/precooling.ts): whether
-- it got below its profile's target in time, and the alarm raised when it did not.
CREATE TABLE precooling_checks (
  parcel_id  uuid        PRIMARY KEY,
  county_id  text        NOT NULL,
  profile_id text        NOT NULL,
  deadline   timestamptz NOT NULL,
  reached_at timestamptz,
  missed     boolean     NOT NULL,
  alarm_id   text        REFERENCES alarms (alarm_id),
  checked_at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE precooling_checks;
DROP TABLE alarm_audit;
DROP TABLE alarms;
DROP TABLE excursion_resolutions;
DROP TABLE excursions;
DROP TABLE container_state;
