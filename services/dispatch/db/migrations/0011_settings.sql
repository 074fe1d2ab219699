-- Up Migration
-- dispatch's own per-county settings (src/settings/): how a county runs its routes, its fixed lines (固定线路) and
-- the travel matrix its map provider gave it. Written by admins over REST, read by the planner's input.

CREATE TABLE dispatch_settings (
  county_id  text        PRIMARY KEY,
  settings   jsonb       NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text        NOT NULL
);

CREATE TABLE fixed_lines (
  county_id   text        NOT NULL,
  line_id     text        NOT NULL,
  name        text        NOT NULL,
  station_ids text[]      NOT NULL,
  vehicle_id  text        NOT NULL,
  weekdays    integer[]   NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text        NOT NULL,
  PRIMARY KEY (county_id, line_id)
);

-- Distances (km) and durations (minutes) between the listed stations, row-major float8 (little-endian): a
-- 1,000-station matrix is 8 MB a table, read back without parsing a million numbers from text.
CREATE TABLE travel_matrices (
  county_id        text        PRIMARY KEY,
  station_ids      text[]      NOT NULL,
  distance_km      bytea       NOT NULL,
  duration_minutes bytea       NOT NULL,
  uploaded_at      timestamptz NOT NULL,
  uploaded_by      text        NOT NULL
);

-- Down Migration
DROP TABLE travel_matrices;
DROP TABLE fixed_lines;
DROP TABLE dispatch_settings;
