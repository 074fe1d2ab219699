-- Up Migration
-- Temperature readings from gateways (issue #11 "Readings in"). Range-partitioned by month on measured_at: a
-- county's 290,000 readings a day make ~8.8 million rows a month, and a container's range query touches one or
-- two months. The service creates each month's partition ahead (src/readings/partitions.ts) and on demand for
-- a late reading, and drops those past the retention. The primary key is the one index: it stores a
-- duplicate (same container, sensor and measured_at) once, and its prefix (county, container, measured_at)
-- answers a container's readings over a range in time order. README "Readings in" has the measurements.
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

-- Down Migration
DROP TABLE readings;
