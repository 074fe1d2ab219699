import type { MonitoringPorts } from './ports.js';

/**
 * The real ports (see ports.ts). Until the catalogue and the ingest are on main, a container has no profile (it is
 * watched for its latest reading only) and no parcels, and readings are read from the ingest's `readings` table
 * (migration 0010) as its `readingsBetween` will.
 */
export const monitoringPorts: MonitoringPorts = {
  profileOfContainer: async () => undefined,
  parcelsInContainer: async () => [],
  readingsBetween: async (db, countyId, containerId, from, to) => {
    const { rows } = await db.query<{ sensor_id: string; measured_at: Date; temperature_c: number }>(
      `SELECT sensor_id, measured_at, temperature_c FROM readings
        WHERE county_id = $1 AND container_id = $2 AND measured_at >= $3 AND measured_at < $4 ORDER BY measured_at, sensor_id`,
      [countyId, containerId, from, to],
    );
    return rows.map((r) => ({ sensorId: r.sensor_id, measuredAt: r.measured_at.toISOString(), temperatureC: r.temperature_c }));
  },
};
