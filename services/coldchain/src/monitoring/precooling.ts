import { withTransaction, type Clock, type Outbox, type Pool, type Queryable } from '@county/platform';
import { PRECOOLING_ALARM_SEVERITY, precoolingCheck, precoolingDetail, type ContainerReading } from './domain/precooling.js';
import { monitoringEvent } from './events.js';
import { precoolingAlarmIdOf } from './ids.js';
import type { MonitoringMetrics } from './metrics.js';
import type { MonitoringPorts, PrecoolingDue } from './ports.js';
import { insertAlarm } from './store/alarms.js';

export interface PrecoolingDeps {
  pool: Pool;
  outbox: Pick<Outbox, 'addMany'>;
  ports: MonitoringPorts;
  source: string;
  clock: Clock;
  metrics: MonitoringMetrics;
}

/** A window is checked this long after it ended, so a gateway's late upload still counts. */
export const PRECOOLING_GRACE_MS = 15 * 60_000;
/** Windows that ended longer ago than this are not checked any more (the scanner was down that long). */
const LOOKBACK_MS = 7 * 86_400_000;

/**
 * One pass of the pre-cooling check (`domain/precooling.ts`): each collected cold-chain parcel whose window ended
 * (plus the grace) is checked once against the readings of the containers it was in; one that missed gets its
 * `precooling_missed` alarm, shown on the container it was in at the deadline. The alarm stays until a person
 * clears it: what was missed stays missed (its compliance record says so too). Returns the alarms raised.
 */
export async function checkPrecooling(deps: PrecoolingDeps): Promise<number> {
  const { precoolingDue, staysOf } = deps.ports;
  if (!precoolingDue || !staysOf) return 0;
  const now = deps.clock().getTime();
  const due = await precoolingDue(deps.pool, new Date(now - LOOKBACK_MS), new Date(now - PRECOOLING_GRACE_MS));
  const checked = await checkedParcels(deps.pool, due.map((d) => d.parcelId));
  let raised = 0;
  for (const parcel of due.filter((d) => !checked.has(d.parcelId))) {
    if (await checkOne(deps, parcel, await staysOf(deps.pool, parcel.countyId, parcel.parcelId))) raised += 1;
  }
  return raised;
}

async function checkOne(deps: PrecoolingDeps, parcel: PrecoolingDue, stays: Awaited<ReturnType<NonNullable<MonitoringPorts['staysOf']>>>): Promise<boolean> {
  const collectedAt = Date.parse(parcel.collectedAt);
  const rule = { targetC: parcel.targetC, withinHours: parcel.withinHours };
  const deadline = collectedAt + rule.withinHours * 3_600_000;
  const spans = stays.map((s) => ({ containerId: s.containerId, from: Date.parse(s.from), to: s.to === null ? null : Date.parse(s.to) }));
  const readings: ContainerReading[] = [];
  for (const span of spans) {
    const from = Math.max(collectedAt, span.from);
    const to = Math.min(deadline + 1, span.to ?? Infinity);
    if (to <= from) continue;
    const points = await deps.ports.readingsBetween(deps.pool, parcel.countyId, span.containerId, new Date(from), new Date(to));
    readings.push(...points.map((p) => ({ containerId: span.containerId, at: Date.parse(p.measuredAt), temperatureC: p.temperatureC })));
  }
  const check = precoolingCheck(collectedAt, rule, spans, readings);
  return withTransaction(deps.pool, async (tx) => {
    const first = await tx.query(
      `INSERT INTO precooling_checks (parcel_id, county_id, profile_id, deadline, reached_at, missed, checked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING`,
      [parcel.parcelId, parcel.countyId, parcel.profileId, new Date(deadline), check.reachedAt === null ? null : new Date(check.reachedAt), check.missed, deps.clock()],
    );
    // Checked by another pass already, or in time, or never in a watched container (its compliance record tells).
    if (first.rowCount === 0 || !check.missed || check.containerId === null) return false;
    const alarmId = precoolingAlarmIdOf(parcel.countyId, parcel.parcelId);
    const raisedAt = deps.clock().toISOString();
    const alarm = {
      alarmId,
      countyId: parcel.countyId,
      containerId: check.containerId,
      kind: 'precooling_missed' as const,
      severity: PRECOOLING_ALARM_SEVERITY,
      excursionId: null,
      raisedAt,
      detail: `parcel ${parcel.parcelId} (${parcel.profileId}): ${precoolingDetail(check, rule, collectedAt)}`,
      parcelIds: [parcel.parcelId],
      silentSince: null,
    };
    if (!(await insertAlarm(tx, alarm))) return false;
    await tx.query(`UPDATE precooling_checks SET alarm_id = $2 WHERE parcel_id = $1`, [parcel.parcelId, alarmId]);
    deps.metrics.countAlarm(tx, alarm.kind);
    const ctx = { countyId: parcel.countyId, containerId: check.containerId, source: deps.source, now: deps.clock };
    await deps.outbox.addMany(tx, [
      monitoringEvent(ctx, 'coldchain.alarm_raised', { alarmId, containerId: check.containerId, kind: alarm.kind, severity: alarm.severity, raisedAt, parcelIds: alarm.parcelIds, detail: alarm.detail }, raisedAt),
    ]);
    return true;
  });
}

async function checkedParcels(db: Queryable, parcelIds: readonly string[]): Promise<Set<string>> {
  if (parcelIds.length === 0) return new Set();
  const { rows } = await db.query<{ parcel_id: string }>(`SELECT parcel_id FROM precooling_checks WHERE parcel_id = ANY($1::uuid[])`, [parcelIds]);
  return new Set(rows.map((r) => r.parcel_id));
}
