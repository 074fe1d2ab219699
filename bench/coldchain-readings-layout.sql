-- The figures of services/coldchain README "Readings in / Storage": one county's month of readings (100 containers,
-- one reading every 30 s: 8.64 million rows) in the layout of migration 0010, then a container's range queries.
--   psql postgres://postgres@127.0.0.1:5432/postgres -f bench/coldchain-readings-layout.sql
\timing on
DROP SCHEMA IF EXISTS bench_readings_layout CASCADE;
CREATE SCHEMA bench_readings_layout;
SET search_path = bench_readings_layout;
CREATE TABLE readings (
  county_id text NOT NULL,
  container_id text NOT NULL,
  sensor_id text NOT NULL,
  measured_at timestamptz NOT NULL,
  temperature_c double precision NOT NULL,
  humidity_pct double precision,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (county_id, container_id, measured_at, sensor_id)
) PARTITION BY RANGE (measured_at);
CREATE TABLE readings_y2026m06 PARTITION OF readings FOR VALUES FROM ('2026-06-01T00:00:00Z') TO ('2026-07-01T00:00:00Z');
CREATE TABLE readings_y2026m07 PARTITION OF readings FOR VALUES FROM ('2026-07-01T00:00:00Z') TO ('2026-08-01T00:00:00Z');

-- June, as it arrives: every 30 s a reading of each container (time-major order, as gateways send).
INSERT INTO readings
SELECT 'cn-430225', CASE WHEN c % 5 = 4 THEN 'st-' || c || '/cold-room' ELSE 'veh-' || c || '/refrigerated' END, 's1',
       t, 2 + random() * 6, 60 + random() * 30, t
FROM generate_series('2026-06-01T00:00:00Z'::timestamptz, '2026-06-30T23:59:30Z', interval '30 seconds') AS t,
     generate_series(0, 99) AS c;
-- The first of July, so a range may cross the month.
INSERT INTO readings
SELECT 'cn-430225', CASE WHEN c % 5 = 4 THEN 'st-' || c || '/cold-room' ELSE 'veh-' || c || '/refrigerated' END, 's1',
       t, 2 + random() * 6, 60 + random() * 30, t
FROM generate_series('2026-07-01T00:00:00Z'::timestamptz, '2026-07-01T23:59:30Z', interval '30 seconds') AS t,
     generate_series(0, 99) AS c;
VACUUM ANALYZE readings;

SELECT relname, n_live_tup, pg_size_pretty(pg_table_size(relid)) AS heap, pg_size_pretty(pg_indexes_size(relid)) AS index
FROM pg_stat_user_tables WHERE schemaname = 'bench_readings_layout' ORDER BY relname;

-- A trip: 8 hours of one container.
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM readings
WHERE county_id = 'cn-430225' AND container_id = 'veh-42/refrigerated' AND measured_at >= '2026-06-15T06:00:00Z' AND measured_at < '2026-06-15T14:00:00Z'
ORDER BY measured_at, sensor_id;
-- A week, crossing into July.
EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM readings
WHERE county_id = 'cn-430225' AND container_id = 'veh-42/refrigerated' AND measured_at >= '2026-06-25T00:00:00Z' AND measured_at < '2026-07-02T00:00:00Z'
ORDER BY measured_at, sensor_id;
-- A duplicate stored once: the insert of a reading already there changes nothing.
EXPLAIN (ANALYZE) INSERT INTO readings VALUES ('cn-430225', 'veh-42/refrigerated', 's1', '2026-06-15T06:00:00Z', 4, NULL, now()) ON CONFLICT DO NOTHING;

DROP SCHEMA bench_readings_layout CASCADE;
