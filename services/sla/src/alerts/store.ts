import { randomUUID } from 'node:crypto';
import { buildEvent, topics, type SlaAlert, type SlaEventType } from '@county/contracts';
import type { Outbox, Queryable } from '@county/platform';
import type { Leg } from '../timeline/domain/measure.js';
import type { AlertDraft, AlertKind } from './domain/alerts.js';
import { defaultRateSettings, rateFigures, rateVerdict, type RateSettings } from './domain/rate.js';

/** The alerts' SQL (migration 0010) and their events on `sla.events`, written through the same transaction. */

export interface AlertEmitter {
  outbox: Outbox;
  source: string;
}

const raisedType: Record<AlertKind, SlaEventType> = {
  breach: 'sla.breach_detected',
  at_risk: 'sla.parcel_at_risk',
  eta_slip: 'sla.eta_slipped',
  rate: 'sla.rate_below_target',
};

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function alertFromRow(r: Record<string, unknown>): SlaAlert & { countyId: string } {
  return {
    alertId: r.alert_id as string,
    countyId: r.county_id as string,
    kind: r.kind as SlaAlert['kind'],
    leg: r.leg as SlaAlert['leg'],
    parcelId: (r.parcel_id as string | null) ?? null,
    courierId: (r.courier_id as string | null) ?? null,
    state: r.state as SlaAlert['state'],
    raisedAt: (r.raised_at as Date).toISOString(),
    acknowledgedAt: iso(r.acknowledged_at as Date | null),
    acknowledgedBy: (r.acknowledged_by as string | null) ?? null,
    resolvedAt: iso(r.resolved_at as Date | null),
    details: r.details as Record<string, unknown>,
  };
}

function entry(emitter: AlertEmitter, type: SlaEventType, alert: SlaAlert & { countyId: string }, now: Date) {
  const { countyId, ...data } = alert;
  const key = alert.parcelId ?? `${countyId}/${alert.leg}`;
  return { topic: topics.slaEvents.name, key, event: buildEvent({ type, countyId, subject: key, source: emitter.source, data, occurredAt: now }) };
}

async function emit(tx: Queryable, emitter: AlertEmitter, type: SlaEventType, alert: SlaAlert & { countyId: string }, now: Date): Promise<void> {
  await emitter.outbox.add(tx, entry(emitter, type, alert, now));
}

/** Raises the drafts not raised before (by dedupe key) and writes an event for each one raised. */
export async function raiseAlerts(tx: Queryable, emitter: AlertEmitter, drafts: readonly AlertDraft[], now: Date): Promise<number> {
  if (drafts.length === 0) return 0;
  const unique = [...new Map(drafts.map((d) => [d.dedupeKey, d])).values()];
  const col = <T>(pick: (d: AlertDraft) => T) => unique.map(pick);
  const { rows } = await tx.query<Record<string, unknown>>(
    `INSERT INTO sla_alerts (alert_id, dedupe_key, county_id, kind, leg, parcel_id, courier_id, state, raised_at, details)
     SELECT a.id, a.key, a.county, a.kind, a.leg, a.parcel, a.courier, 'open', $8, a.details
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $9::jsonb[])
            AS a(id, key, county, kind, leg, parcel, courier, details)
     ON CONFLICT DO NOTHING
     RETURNING *`,
    [
      col(() => randomUUID()),
      col((d) => d.dedupeKey),
      col((d) => d.countyId),
      col((d) => d.kind),
      col((d) => d.leg),
      col((d) => d.parcelId),
      col((d) => d.courierId),
      now,
      col((d) => JSON.stringify(d.details)),
    ],
  );
  const raised = rows.map(alertFromRow).sort((a, b) => (a.parcelId ?? '').localeCompare(b.parcelId ?? '') || a.kind.localeCompare(b.kind));
  await emitter.outbox.addMany(tx, raised.map((alert) => entry(emitter, raisedType[alert.kind], alert, now)));
  return rows.length;
}

export async function loadRateSettings(db: Queryable, countyId: string): Promise<RateSettings & { updatedAt: string | null; updatedBy: string | null }> {
  const { rows } = await db.query<{ target_rate: number; window_hours: number; min_legs: number; updated_at: Date; updated_by: string }>(
    `SELECT target_rate, window_hours, min_legs, updated_at, updated_by FROM sla_settings WHERE county_id = $1`,
    [countyId],
  );
  const r = rows[0];
  if (!r) return { ...defaultRateSettings, updatedAt: null, updatedBy: null };
  return { targetRate: r.target_rate, windowHours: r.window_hours, minLegs: r.min_legs, updatedAt: r.updated_at.toISOString(), updatedBy: r.updated_by };
}

export async function saveRateSettings(db: Queryable, countyId: string, settings: RateSettings, by: string, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO sla_settings (county_id, target_rate, window_hours, min_legs, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (county_id) DO UPDATE SET target_rate = EXCLUDED.target_rate, window_hours = EXCLUDED.window_hours,
       min_legs = EXCLUDED.min_legs, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
    [countyId, settings.targetRate, settings.windowHours, settings.minLegs, now, by],
  );
}

/**
 * A leg's rate over the county's window ending `now`: opens a rate alert when it falls below the target, keeps the
 * open one's figures current while it stays below, and resolves it when it is back.
 */
export async function evaluateRate(tx: Queryable, emitter: AlertEmitter, countyId: string, leg: Leg, now: Date): Promise<void> {
  // one evaluation of a county's leg at a time (instances scan alike), each counting what the ones before committed
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('sla.rate'), hashtext($1))`, [`${countyId}/${leg}`]);
  const settings = await loadRateSettings(tx, countyId);
  const from = new Date(now.getTime() - settings.windowHours * 3_600_000);
  const { rows } = await tx.query<{ legs: string; late: string }>(
    `SELECT count(*) AS legs, count(*) FILTER (WHERE NOT ${leg}_on_time) AS late
       FROM sla_parcels WHERE county_id = $1 AND ${leg}_ended_at > $2 AND ${leg}_ended_at <= $3 AND ${leg}_on_time IS NOT NULL`,
    [countyId, from, now],
  );
  const figures = rateFigures({ countyId, leg, legs: Number(rows[0]?.legs ?? 0), late: Number(rows[0]?.late ?? 0) }, settings, now.getTime());
  const verdict = rateVerdict(figures, settings);
  const live = await tx.query<Record<string, unknown>>(
    `SELECT * FROM sla_alerts WHERE county_id = $1 AND leg = $2 AND kind = 'rate' AND state <> 'resolved' FOR UPDATE`,
    [countyId, leg],
  );
  const current = live.rows[0];
  if (verdict === 'below' && !current) {
    await raiseAlerts(
      tx,
      emitter,
      [{ dedupeKey: `rate/${countyId}/${leg}/${now.toISOString()}`, countyId, kind: 'rate', leg, parcelId: null, courierId: null, details: { ...figures } }],
      now,
    );
  } else if (verdict === 'below' && current) {
    await tx.query(`UPDATE sla_alerts SET details = $2 WHERE alert_id = $1`, [current.alert_id, JSON.stringify(figures)]);
  } else if (verdict === 'ok' && current) {
    const { rows: updated } = await tx.query<Record<string, unknown>>(
      `UPDATE sla_alerts SET state = 'resolved', resolved_at = $2, details = $3 WHERE alert_id = $1 RETURNING *`,
      [current.alert_id, now, JSON.stringify(figures)],
    );
    await emit(tx, emitter, 'sla.rate_recovered', alertFromRow(updated[0] as Record<string, unknown>), now);
  }
}

export interface AlertFilters {
  kind?: string;
  leg?: string;
  state?: string;
  courierId?: string;
  from?: string;
  to?: string;
  limit: number;
}

export async function listAlerts(db: Queryable, countyId: string, f: AlertFilters) {
  const where = ['county_id = $1'];
  const params: unknown[] = [countyId];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.kind) add('kind = ?', f.kind);
  if (f.leg) add('leg = ?', f.leg);
  if (f.state) add('state = ?', f.state);
  if (f.courierId) add('courier_id = ?', f.courierId);
  if (f.from) add('raised_at >= ?', f.from);
  if (f.to) add('raised_at < ?', f.to);
  params.push(f.limit);
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT * FROM sla_alerts WHERE ${where.join(' AND ')} ORDER BY raised_at DESC, alert_id LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => {
    const { countyId: _c, ...alert } = alertFromRow(r);
    return alert;
  });
}

/** Acknowledges an open alert (an acknowledged or resolved one is left as it is); undefined: no such alert. */
export async function acknowledgeAlert(tx: Queryable, emitter: AlertEmitter, countyId: string, alertId: string, by: string, now: Date) {
  const { rows } = await tx.query<Record<string, unknown>>(`SELECT * FROM sla_alerts WHERE county_id = $1 AND alert_id = $2 FOR UPDATE`, [countyId, alertId]);
  const row = rows[0];
  if (!row) return undefined;
  if (row.state !== 'open') return alertFromRow(row);
  const { rows: updated } = await tx.query<Record<string, unknown>>(
    `UPDATE sla_alerts SET state = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3 WHERE alert_id = $1 RETURNING *`,
    [alertId, now, by],
  );
  const alert = alertFromRow(updated[0] as Record<string, unknown>);
  await emit(tx, emitter, 'sla.alert_acknowledged', alert, now);
  return alert;
}
