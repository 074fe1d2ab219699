import type { Queryable } from '@county/platform';
import type { CountyReading } from './domain/batch.js';
import { monthStart, addMonths, partitionName, type Month } from './domain/partitions.js';
import type { StoredReading } from './listener.js';

interface ReadingRow {
  county_id: string;
  container_id: string;
  sensor_id: string;
  measured_at: Date;
  temperature_c: number;
  humidity_pct: number | null;
  received_at: Date;
}

const COLUMNS = 'county_id, container_id, sensor_id, measured_at, temperature_c, humidity_pct, received_at';

function stored(row: ReadingRow): StoredReading {
  return {
    countyId: row.county_id,
    containerId: row.container_id,
    sensorId: row.sensor_id,
    measuredAt: row.measured_at.toISOString(),
    temperatureC: row.temperature_c,
    humidityPct: row.humidity_pct,
    receivedAt: row.received_at.toISOString(),
  };
}

/**
 * Inserts readings in one statement; a reading already stored (same county, container, sensor and measured_at) is
 * left as it is. Returns the readings this call stored — duplicates left out — in the order given. Their months'
 * partitions must exist (`ensurePartitions`).
 */
export async function insertReadings(db: Queryable, readings: readonly CountyReading[], receivedAt: Date): Promise<StoredReading[]> {
  if (readings.length === 0) return [];
  const { rows } = await db.query<ReadingRow>(
    `INSERT INTO readings (${COLUMNS})
     SELECT county_id, container_id, sensor_id, measured_at, temperature_c, humidity_pct, $7
     FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::float8[], $6::float8[])
       AS r(county_id, container_id, sensor_id, measured_at, temperature_c, humidity_pct)
     ON CONFLICT DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      readings.map((r) => r.countyId),
      readings.map((r) => r.containerId),
      readings.map((r) => r.sensorId),
      readings.map((r) => r.measuredAt),
      readings.map((r) => r.temperatureC),
      readings.map((r) => r.humidityPct ?? null),
      receivedAt,
    ],
  );
  return rows.map(stored);
}

/**
 * A container's readings measured in [from, to), in time order (then by sensor): what monitoring and compliance
 * read back. Answered from the primary key's prefix in the months the range touches.
 */
export async function readingsBetween(
  db: Queryable,
  countyId: string,
  containerId: string,
  from: Date | string,
  to: Date | string,
  limit?: number,
): Promise<StoredReading[]> {
  const { rows } = await db.query<ReadingRow>(
    `SELECT ${COLUMNS} FROM readings
     WHERE county_id = $1 AND container_id = $2 AND measured_at >= $3 AND measured_at < $4
     ORDER BY measured_at, sensor_id
     LIMIT $5`,
    [countyId, containerId, from, to, limit ?? null],
  );
  return rows.map(stored);
}

/** The monthly partitions there are. */
export async function listPartitions(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
     JOIN pg_class c ON c.oid = i.inhrelid
     JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = 'readings' AND p.relnamespace = current_schema()::regnamespace
     ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** Creates a month's partition unless it exists. Callers serialise it (partitions.ts). */
export async function createPartition(db: Queryable, month: Month): Promise<void> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS ${partitionName(month)} PARTITION OF readings FOR VALUES FROM ('${monthStart(month)}') TO ('${monthStart(addMonths(month, 1))}')`,
  );
}

export async function dropPartition(db: Queryable, name: string): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${name}`);
}
