import type { Queryable } from '@county/platform';
import type { DispatchSettings, FixedLine, TravelMatrix } from '../planning/domain/types.js';
import { packTable, unpackTable } from './domain/matrix.js';
import { dispatchSettingsSchema } from './domain/settings.js';

/** The settings feature's SQL (migration 0011): settings, fixed lines and travel matrices per county. */

export interface StoredSettings {
  settings: DispatchSettings;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** A county's settings; the defaults (every field) where it set none. Stored settings gain defaults added later. */
export async function loadSettings(db: Queryable, countyId: string): Promise<StoredSettings> {
  const { rows } = await db.query<{ settings: unknown; updated_at: Date; updated_by: string }>(
    `SELECT settings, updated_at, updated_by FROM dispatch_settings WHERE county_id = $1`,
    [countyId],
  );
  const row = rows[0];
  return {
    settings: dispatchSettingsSchema.parse(row?.settings ?? {}),
    updatedAt: row?.updated_at.toISOString() ?? null,
    updatedBy: row?.updated_by ?? null,
  };
}

export async function saveSettings(db: Queryable, countyId: string, settings: DispatchSettings, by: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO dispatch_settings (county_id, settings, updated_at, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (county_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
    [countyId, JSON.stringify(settings), at, by],
  );
}

interface LineRow {
  line_id: string;
  name: string;
  station_ids: string[];
  vehicle_id: string;
  weekdays: number[];
}

const lineOf = (row: LineRow): FixedLine => ({ id: row.line_id, name: row.name, stationIds: row.station_ids, vehicleId: row.vehicle_id, weekdays: row.weekdays });

export async function listLines(db: Queryable, countyId: string): Promise<FixedLine[]> {
  const { rows } = await db.query<LineRow>(`SELECT line_id, name, station_ids, vehicle_id, weekdays FROM fixed_lines WHERE county_id = $1 ORDER BY line_id`, [countyId]);
  return rows.map(lineOf);
}

export async function findLine(db: Queryable, countyId: string, lineId: string): Promise<FixedLine | undefined> {
  const { rows } = await db.query<LineRow>(`SELECT line_id, name, station_ids, vehicle_id, weekdays FROM fixed_lines WHERE county_id = $1 AND line_id = $2`, [
    countyId,
    lineId,
  ]);
  return rows[0] && lineOf(rows[0]);
}

/** Creates or replaces a line; whether it was new. */
export async function saveLine(db: Queryable, countyId: string, line: FixedLine, by: string, at: Date): Promise<boolean> {
  const { rows } = await db.query<{ created: boolean }>(
    `INSERT INTO fixed_lines (county_id, line_id, name, station_ids, vehicle_id, weekdays, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (county_id, line_id) DO UPDATE SET name = EXCLUDED.name, station_ids = EXCLUDED.station_ids, vehicle_id = EXCLUDED.vehicle_id,
       weekdays = EXCLUDED.weekdays, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
     RETURNING (xmax = 0) AS created`,
    [countyId, line.id, line.name, line.stationIds, line.vehicleId, line.weekdays, at, by],
  );
  return rows[0]!.created;
}

export async function deleteLine(db: Queryable, countyId: string, lineId: string): Promise<boolean> {
  const result = await db.query(`DELETE FROM fixed_lines WHERE county_id = $1 AND line_id = $2`, [countyId, lineId]);
  return (result.rowCount ?? 0) > 0;
}

/** Serialises writers of one county's lines, so two lines cannot both claim a station on a weekday. */
export async function lockLines(db: Queryable, countyId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('dispatch.fixed_lines'), hashtext($1))`, [countyId]);
}

export interface StoredMatrix {
  matrix: TravelMatrix;
  uploadedAt: string;
  uploadedBy: string;
}

export async function loadMatrix(db: Queryable, countyId: string): Promise<StoredMatrix | undefined> {
  const { rows } = await db.query<{ station_ids: string[]; distance_km: Buffer; duration_minutes: Buffer; uploaded_at: Date; uploaded_by: string }>(
    `SELECT station_ids, distance_km, duration_minutes, uploaded_at, uploaded_by FROM travel_matrices WHERE county_id = $1`,
    [countyId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const size = row.station_ids.length;
  return {
    matrix: { stationIds: row.station_ids, distanceKm: unpackTable(row.distance_km, size), durationMinutes: unpackTable(row.duration_minutes, size) },
    uploadedAt: row.uploaded_at.toISOString(),
    uploadedBy: row.uploaded_by,
  };
}

export async function saveMatrix(db: Queryable, countyId: string, matrix: TravelMatrix, by: string, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO travel_matrices (county_id, station_ids, distance_km, duration_minutes, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (county_id) DO UPDATE SET station_ids = EXCLUDED.station_ids, distance_km = EXCLUDED.distance_km,
       duration_minutes = EXCLUDED.duration_minutes, uploaded_at = EXCLUDED.uploaded_at, uploaded_by = EXCLUDED.uploaded_by`,
    [countyId, matrix.stationIds, Buffer.from(packTable(matrix.distanceKm)), Buffer.from(packTable(matrix.durationMinutes)), at, by],
  );
}

export async function deleteMatrix(db: Queryable, countyId: string): Promise<boolean> {
  const result = await db.query(`DELETE FROM travel_matrices WHERE county_id = $1`, [countyId]);
  return (result.rowCount ?? 0) > 0;
}
