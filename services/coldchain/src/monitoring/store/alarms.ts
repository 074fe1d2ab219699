import type { Queryable } from '@county/platform';
import type { AlarmState } from '../domain/alarm-commands.js';
import type { Severity } from '../domain/severity.js';

/** alarms and alarm_audit (migration 0020). Instants are ISO-8601 UTC. */
export type AlarmKind = 'tolerance_exceeded' | 'sensor_silent' | 'precooling_missed';

export interface Actor {
  keyId: string;
  role: string;
}

export interface AlarmRow {
  alarmId: string;
  countyId: string;
  containerId: string;
  kind: AlarmKind;
  severity: Severity;
  excursionId: string | null;
  raisedAt: string;
  detail: string;
  parcelIds: string[];
  silentSince: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: Actor | null;
  acknowledgeComment: string | null;
  clearedAt: string | null;
  /** null when cleared by the data. */
  clearedBy: Actor | null;
  clearComment: string | null;
}

interface Row {
  alarm_id: string;
  county_id: string;
  container_id: string;
  kind: AlarmKind;
  severity: Severity;
  excursion_id: string | null;
  raised_at: Date;
  detail: string;
  parcel_ids: string[];
  silent_since: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by_key: string | null;
  acknowledged_by_role: string | null;
  acknowledge_comment: string | null;
  cleared_at: Date | null;
  cleared_by_key: string | null;
  cleared_by_role: string | null;
  clear_comment: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const actor = (keyId: string | null, role: string | null): Actor | null => (keyId && role ? { keyId, role } : null);

const rowOf = (r: Row): AlarmRow => ({
  alarmId: r.alarm_id,
  countyId: r.county_id,
  containerId: r.container_id,
  kind: r.kind,
  severity: r.severity,
  excursionId: r.excursion_id,
  raisedAt: r.raised_at.toISOString(),
  detail: r.detail,
  parcelIds: r.parcel_ids,
  silentSince: iso(r.silent_since),
  acknowledgedAt: iso(r.acknowledged_at),
  acknowledgedBy: actor(r.acknowledged_by_key, r.acknowledged_by_role),
  acknowledgeComment: r.acknowledge_comment,
  clearedAt: iso(r.cleared_at),
  clearedBy: actor(r.cleared_by_key, r.cleared_by_role),
  clearComment: r.clear_comment,
});

const COLUMNS = `alarm_id, county_id, container_id, kind, severity, excursion_id, raised_at, detail, parcel_ids, silent_since,
  acknowledged_at, acknowledged_by_key, acknowledged_by_role, acknowledge_comment, cleared_at, cleared_by_key, cleared_by_role, clear_comment`;

export interface NewAlarm {
  alarmId: string;
  countyId: string;
  containerId: string;
  kind: AlarmKind;
  severity: Severity;
  excursionId: string | null;
  raisedAt: string;
  detail: string;
  parcelIds: string[];
  silentSince: string | null;
}

/** Raises the alarm unless it exists (deterministic ids): true when this call raised it. */
export async function insertAlarm(tx: Queryable, alarm: NewAlarm): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO alarms (alarm_id, county_id, container_id, kind, severity, excursion_id, raised_at, detail, parcel_ids, silent_since)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (alarm_id) DO NOTHING`,
    [alarm.alarmId, alarm.countyId, alarm.containerId, alarm.kind, alarm.severity, alarm.excursionId, alarm.raisedAt, alarm.detail, alarm.parcelIds, alarm.silentSince],
  );
  if (rowCount === 0) return false;
  await audit(tx, alarm.countyId, alarm.alarmId, 'raised', alarm.raisedAt, null, null);
  return true;
}

export async function findAlarm(db: Queryable, countyId: string, alarmId: string, { forUpdate = false } = {}): Promise<AlarmRow | undefined> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM alarms WHERE county_id = $1 AND alarm_id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [countyId, alarmId]);
  return rows[0] && rowOf(rows[0]);
}

/** Alarms of these excursions, locked. */
export async function alarmsOfExcursions(tx: Queryable, excursionIds: readonly string[]): Promise<AlarmRow[]> {
  if (excursionIds.length === 0) return [];
  const { rows } = await tx.query<Row>(`SELECT ${COLUMNS} FROM alarms WHERE excursion_id = ANY($1) ORDER BY alarm_id FOR UPDATE`, [excursionIds]);
  return rows.map(rowOf);
}

/**
 * The acknowledged alarm of an excursion that late readings replaced by `excursionId` (directly or through a chain,
 * as each carried its acknowledgement on), the earliest acknowledged first: what the replacement's alarm inherits.
 */
export async function acknowledgedPredecessorAlarm(tx: Queryable, excursionId: string): Promise<AlarmRow | undefined> {
  const { rows } = await tx.query<Row>(
    `SELECT ${COLUMNS.split(',').map((c) => `a.${c.trim()}`).join(', ')} FROM alarms a JOIN excursions e ON e.excursion_id = a.excursion_id
      WHERE e.superseded_by = $1 AND a.acknowledged_at IS NOT NULL ORDER BY a.acknowledged_at, a.alarm_id LIMIT 1`,
    [excursionId],
  );
  return rows[0] && rowOf(rows[0]);
}

export async function markAcknowledged(tx: Queryable, alarm: AlarmRow, by: Actor, at: string, comment: string | null): Promise<void> {
  await tx.query(
    `UPDATE alarms SET acknowledged_at = $2, acknowledged_by_key = $3, acknowledged_by_role = $4, acknowledge_comment = $5 WHERE alarm_id = $1`,
    [alarm.alarmId, at, by.keyId, by.role, comment],
  );
  await audit(tx, alarm.countyId, alarm.alarmId, 'acknowledged', at, by, comment);
}

/** Clears the alarm: by a person (`by`), or by the data (`by` null). */
export async function markCleared(tx: Queryable, alarm: Pick<AlarmRow, 'alarmId' | 'countyId'>, by: Actor | null, at: string, comment: string | null): Promise<void> {
  await tx.query(`UPDATE alarms SET cleared_at = $2, cleared_by_key = $3, cleared_by_role = $4, clear_comment = $5 WHERE alarm_id = $1`, [
    alarm.alarmId,
    at,
    by?.keyId ?? null,
    by?.role ?? null,
    comment,
  ]);
  await audit(tx, alarm.countyId, alarm.alarmId, 'cleared', at, by, comment);
}

async function audit(tx: Queryable, countyId: string, alarmId: string, action: 'raised' | 'acknowledged' | 'cleared', at: string, by: Actor | null, comment: string | null) {
  await tx.query(`INSERT INTO alarm_audit (alarm_id, county_id, action, at, by_key_id, by_role, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    alarmId,
    countyId,
    action,
    at,
    by?.keyId ?? null,
    by?.role ?? null,
    comment,
  ]);
}

export interface AuditEntry {
  action: 'raised' | 'acknowledged' | 'cleared';
  at: string;
  by: Actor | null;
  comment: string | null;
}

export async function auditOf(db: Queryable, alarmId: string): Promise<AuditEntry[]> {
  const { rows } = await db.query<{ action: AuditEntry['action']; at: Date; by_key_id: string | null; by_role: string | null; comment: string | null }>(
    `SELECT action, at, by_key_id, by_role, comment FROM alarm_audit WHERE alarm_id = $1 ORDER BY seq`,
    [alarmId],
  );
  return rows.map((r) => ({ action: r.action, at: r.at.toISOString(), by: actor(r.by_key_id, r.by_role), comment: r.comment }));
}

export interface AlarmFilter {
  state?: AlarmState | undefined;
  kind?: AlarmKind | undefined;
  severity?: Severity | undefined;
  containerIds?: readonly string[] | undefined;
  excursionId?: string | undefined;
  /** Raised in [from, to]. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  /** Continue after this alarm (newest first: raised_at, id). */
  after?: { raisedAt: string; alarmId: string } | undefined;
}

/** A county's alarms, newest first. */
export async function listAlarms(db: Queryable, countyId: string, filter: AlarmFilter): Promise<AlarmRow[]> {
  const where = ['county_id = $1'];
  const values: unknown[] = [countyId];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replaceAll('?', `$${values.length}`));
  };
  if (filter.state === 'active') where.push('cleared_at IS NULL AND acknowledged_at IS NULL');
  if (filter.state === 'acknowledged') where.push('cleared_at IS NULL AND acknowledged_at IS NOT NULL');
  if (filter.state === 'cleared') where.push('cleared_at IS NOT NULL');
  if (filter.kind) add('kind = ?', filter.kind);
  if (filter.severity) add('severity = ?', filter.severity);
  if (filter.containerIds) add('container_id = ANY(?)', filter.containerIds);
  if (filter.excursionId) add('excursion_id = ?', filter.excursionId);
  if (filter.from) add('raised_at >= ?', filter.from);
  if (filter.to) add('raised_at <= ?', filter.to);
  if (filter.after) {
    values.push(filter.after.raisedAt, filter.after.alarmId);
    where.push(`(raised_at, alarm_id) < ($${values.length - 1}, $${values.length})`);
  }
  values.push(filter.limit);
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM alarms WHERE ${where.join(' AND ')} ORDER BY raised_at DESC, alarm_id DESC LIMIT $${values.length}`, values);
  return rows.map(rowOf);
}
