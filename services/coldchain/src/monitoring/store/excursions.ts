import type { Queryable } from '@county/platform';
import type { Resolution } from '../domain/alarm-commands.js';
import type { Key } from '../domain/fold.js';
import type { Severity } from '../domain/severity.js';

/** excursions and excursion_resolutions (migration 0020). Instants are ISO-8601 UTC. */
export interface ExcursionRow {
  excursionId: string;
  countyId: string;
  containerId: string;
  profileId: string;
  startedAt: string;
  startSensorId: string;
  side: 'above' | 'below';
  endedAt: string | null;
  closedAt: string | null;
  closeSensorId: string | null;
  minutesOutOfRange: number;
  minC: number;
  maxC: number;
  severity: Severity;
  hardLimitCrossed: boolean;
  exceededAt: string | null;
  exceededBy: 'tolerance' | 'hard_limit' | null;
  parcelIds: string[];
  supersededBy: string | null;
  resolution: Resolution | null;
}

interface Row {
  excursion_id: string;
  county_id: string;
  container_id: string;
  profile_id: string;
  started_at: Date;
  start_sensor_id: string;
  side: 'above' | 'below';
  ended_at: Date | null;
  closed_at: Date | null;
  close_sensor_id: string | null;
  minutes_out_of_range: number;
  min_c: number;
  max_c: number;
  severity: Severity;
  hard_limit_crossed: boolean;
  exceeded_at: Date | null;
  exceeded_by: 'tolerance' | 'hard_limit' | null;
  parcel_ids: string[];
  superseded_by: string | null;
  resolution: Resolution | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const rowOf = (r: Row): ExcursionRow => ({
  excursionId: r.excursion_id,
  countyId: r.county_id,
  containerId: r.container_id,
  profileId: r.profile_id,
  startedAt: r.started_at.toISOString(),
  startSensorId: r.start_sensor_id,
  side: r.side,
  endedAt: iso(r.ended_at),
  closedAt: iso(r.closed_at),
  closeSensorId: r.close_sensor_id,
  minutesOutOfRange: r.minutes_out_of_range,
  minC: r.min_c,
  maxC: r.max_c,
  severity: r.severity,
  hardLimitCrossed: r.hard_limit_crossed,
  exceededAt: iso(r.exceeded_at),
  exceededBy: r.exceeded_by,
  parcelIds: r.parcel_ids,
  supersededBy: r.superseded_by,
  resolution: r.resolution,
});

const COLUMNS = `excursion_id, county_id, container_id, profile_id, started_at, start_sensor_id, side, ended_at, closed_at, close_sensor_id,
  minutes_out_of_range, min_c, max_c, severity, hard_limit_crossed, exceeded_at, exceeded_by, parcel_ids, superseded_by, resolution`;

/** The keys of an excursion's opening and closing readings, for the fold's anchors. */
export function keysOf(row: ExcursionRow): { startKey: Key; closeKey: Key | null } {
  return {
    startKey: { at: Date.parse(row.startedAt), sensorId: row.startSensorId },
    closeKey: row.closedAt ? { at: Date.parse(row.closedAt), sensorId: row.closeSensorId ?? '' } : null,
  };
}

/** The container's excursions (not superseded) that may hold the instant `at`: started by then, not closed before. */
export async function excursionsAround(db: Queryable, countyId: string, containerId: string, at: Date): Promise<ExcursionRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM excursions
      WHERE county_id = $1 AND container_id = $2 AND superseded_by IS NULL AND started_at <= $3 AND (closed_at IS NULL OR closed_at >= $3)
      ORDER BY started_at`,
    [countyId, containerId, at],
  );
  return rows.map(rowOf);
}

/** The container's excursions (not superseded) started at or after `from`, oldest first. */
export async function excursionsSince(db: Queryable, countyId: string, containerId: string, from: Date): Promise<ExcursionRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM excursions WHERE county_id = $1 AND container_id = $2 AND superseded_by IS NULL AND started_at >= $3 ORDER BY started_at`,
    [countyId, containerId, from],
  );
  return rows.map(rowOf);
}

export async function findExcursion(db: Queryable, countyId: string, excursionId: string, { forUpdate = false } = {}): Promise<ExcursionRow | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM excursions WHERE county_id = $1 AND excursion_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [countyId, excursionId],
  );
  return rows[0] && rowOf(rows[0]);
}

/** Writes the excursion's figures as the fold has them now (a recompute writes the same row again). */
export async function upsertExcursion(tx: Queryable, row: Omit<ExcursionRow, 'supersededBy' | 'resolution'>, at: Date): Promise<void> {
  await tx.query(
    `INSERT INTO excursions (excursion_id, county_id, container_id, profile_id, started_at, start_sensor_id, side, ended_at, closed_at, close_sensor_id,
                             minutes_out_of_range, min_c, max_c, severity, hard_limit_crossed, exceeded_at, exceeded_by, parcel_ids, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (excursion_id) DO UPDATE SET
       profile_id = EXCLUDED.profile_id, side = EXCLUDED.side, ended_at = EXCLUDED.ended_at, closed_at = EXCLUDED.closed_at,
       close_sensor_id = EXCLUDED.close_sensor_id, minutes_out_of_range = EXCLUDED.minutes_out_of_range, min_c = EXCLUDED.min_c,
       max_c = EXCLUDED.max_c, severity = EXCLUDED.severity, hard_limit_crossed = EXCLUDED.hard_limit_crossed,
       exceeded_at = EXCLUDED.exceeded_at, exceeded_by = EXCLUDED.exceeded_by, parcel_ids = EXCLUDED.parcel_ids,
       superseded_by = NULL, updated_at = EXCLUDED.updated_at`,
    [
      row.excursionId,
      row.countyId,
      row.containerId,
      row.profileId,
      row.startedAt,
      row.startSensorId,
      row.side,
      row.endedAt,
      row.closedAt,
      row.closeSensorId,
      row.minutesOutOfRange,
      row.minC,
      row.maxC,
      row.severity,
      row.hardLimitCrossed,
      row.exceededAt,
      row.exceededBy,
      row.parcelIds,
      at,
    ],
  );
}

export async function supersedeExcursion(tx: Queryable, excursionId: string, by: string, at: Date): Promise<void> {
  await tx.query(`UPDATE excursions SET superseded_by = $2, updated_at = $3 WHERE excursion_id = $1`, [excursionId, by, at]);
}

export interface ExcursionFilter {
  containerIds?: readonly string[] | undefined;
  state?: 'open' | 'closed' | undefined;
  from?: string | undefined;
  to?: string | undefined;
  includeSuperseded?: boolean | undefined;
  limit: number;
  /** Continue after this excursion (newest first: started_at, id). */
  after?: { startedAt: string; excursionId: string } | undefined;
}

/** A county's excursions, newest first, overlapping [from, to]. */
export async function listExcursions(db: Queryable, countyId: string, filter: ExcursionFilter): Promise<ExcursionRow[]> {
  const where = ['county_id = $1'];
  const values: unknown[] = [countyId];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replaceAll('?', `$${values.length}`));
  };
  if (filter.containerIds) add('container_id = ANY(?)', filter.containerIds);
  if (filter.state === 'open') where.push('closed_at IS NULL');
  if (filter.state === 'closed') where.push('closed_at IS NOT NULL');
  if (!filter.includeSuperseded) where.push('superseded_by IS NULL');
  if (filter.from) add('(ended_at IS NULL OR ended_at >= ?)', filter.from);
  if (filter.to) add('started_at <= ?', filter.to);
  if (filter.after) {
    values.push(filter.after.startedAt, filter.after.excursionId);
    where.push(`(started_at, excursion_id) < ($${values.length - 1}, $${values.length})`);
  }
  values.push(filter.limit);
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM excursions WHERE ${where.join(' AND ')} ORDER BY started_at DESC, excursion_id DESC LIMIT $${values.length}`,
    values,
  );
  return rows.map(rowOf);
}

/**
 * The excursions (not superseded) of these containers that overlap [from, to], still open ones included: what
 * compliance (src/compliance/) reads for a parcel's record.
 */
export async function excursionsBetween(
  db: Queryable,
  countyId: string,
  containerIds: readonly string[],
  from: Date,
  to: Date,
): Promise<{ excursionId: string; containerId: string; startedAt: string; endedAt: string | null }[]> {
  const { rows } = await db.query<{ excursion_id: string; container_id: string; started_at: Date; ended_at: Date | null }>(
    `SELECT excursion_id, container_id, started_at, ended_at FROM excursions
      WHERE county_id = $1 AND container_id = ANY($2) AND superseded_by IS NULL AND started_at <= $4 AND (ended_at IS NULL OR ended_at >= $3)
      ORDER BY started_at, excursion_id`,
    [countyId, containerIds, from, to],
  );
  return rows.map((r) => ({ excursionId: r.excursion_id, containerId: r.container_id, startedAt: r.started_at.toISOString(), endedAt: iso(r.ended_at) }));
}

export interface ResolutionEntry {
  resolution: Resolution;
  by: { keyId: string; role: string };
  at: string;
  comment: string | null;
}

export async function addResolution(tx: Queryable, countyId: string, excursionId: string, entry: ResolutionEntry): Promise<void> {
  await tx.query(
    `INSERT INTO excursion_resolutions (excursion_id, county_id, resolution, by_key_id, by_role, at, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [excursionId, countyId, entry.resolution, entry.by.keyId, entry.by.role, entry.at, entry.comment],
  );
  await tx.query(`UPDATE excursions SET resolution = $2 WHERE excursion_id = $1`, [excursionId, entry.resolution]);
}

export async function resolutionsOf(db: Queryable, excursionId: string): Promise<ResolutionEntry[]> {
  const { rows } = await db.query<{ resolution: Resolution; by_key_id: string; by_role: string; at: Date; comment: string | null }>(
    `SELECT resolution, by_key_id, by_role, at, comment FROM excursion_resolutions WHERE excursion_id = $1 ORDER BY seq`,
    [excursionId],
  );
  return rows.map((r) => ({ resolution: r.resolution, by: { keyId: r.by_key_id, role: r.by_role }, at: r.at.toISOString(), comment: r.comment }));
}
