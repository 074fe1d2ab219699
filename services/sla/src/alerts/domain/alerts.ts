import { legs, policyHours, type Leg, type Measured } from '../../timeline/domain/measure.js';
import type { SlaParcel } from '../../timeline/domain/fold.js';

/**
 * When sla raises an alert (issue #12 "Alerts"; README "Alerts"):
 * - breach: a leg ended over its target, or an open parcel's clock passed its deadline — once per parcel and leg;
 * - at risk: an open parcel's ETA is past its deadline while the deadline is still ahead (so always strictly before
 *   the breach) — once per parcel and leg;
 * - ETA slip: the ETA moved from within the deadline to past it — once per new ETA;
 * - rate: a leg's on-time rate over the county's rolling window below its target (rate.ts).
 */

export type AlertKind = 'breach' | 'at_risk' | 'eta_slip' | 'rate';

export interface AlertDraft {
  dedupeKey: string;
  countyId: string;
  kind: AlertKind;
  leg: Leg;
  parcelId: string | null;
  courierId: string | null;
  details: Record<string, unknown>;
}

export interface Previous {
  eta: string | null;
  deadline: string | null;
}

/**
 * `breachesUntil`: an open parcel whose deadline is at or before it (and before `now`) is a breach; null: none is.
 * The scanner passes the instant through which the parcel consumer has folded everything (`domain/watermark.ts`);
 * folding events passes null, so catching up on a backlog (a parcel's later events not yet folded) raises no false
 * breach.
 */
export function parcelAlerts(
  parcel: SlaParcel,
  before: Previous | undefined,
  m: Measured,
  now: number,
  targets: Partial<Record<Leg, number>>,
  breachesUntil: number | null = now,
): AlertDraft[] {
  const drafts: AlertDraft[] = [];
  const base = { countyId: parcel.countyId, parcelId: parcel.parcelId, courierId: parcel.courierId };
  for (const l of legs) {
    const measured = m.legs[l];
    if (measured.onTime === false) {
      drafts.push({
        ...base,
        dedupeKey: `breach/${parcel.parcelId}/${l}`,
        kind: 'breach',
        leg: l,
        details: { minutes: measured.minutes, targetMinutes: (targets[l] ?? 0) * 60, endedAt: measured.endedAt, deadline: l === m.deadlineLeg ? m.deadline : null, open: false },
      });
    }
  }
  if (!m.open || m.deadline === null || m.eta === null || m.deadlineLeg === null) return drafts;
  const deadline = Date.parse(m.deadline);
  const leg = m.deadlineLeg;
  if (now >= deadline) {
    if (breachesUntil === null || deadline > breachesUntil) return drafts;
    drafts.push({ ...base, dedupeKey: `breach/${parcel.parcelId}/${leg}`, kind: 'breach', leg, details: { deadline: m.deadline, eta: m.eta, open: true, detectedAt: new Date(now).toISOString() } });
    return drafts;
  }
  if (Date.parse(m.eta) > deadline) {
    const details = { deadline: m.deadline, eta: m.eta, etaSource: m.etaSource, detectedAt: new Date(now).toISOString() };
    drafts.push({ ...base, dedupeKey: `at_risk/${parcel.parcelId}/${leg}`, kind: 'at_risk', leg, details });
    const wasWithin = before?.eta != null && before.deadline != null && Date.parse(before.eta) <= Date.parse(before.deadline);
    if (wasWithin) {
      drafts.push({ ...base, dedupeKey: `eta_slip/${parcel.parcelId}/${m.eta}`, kind: 'eta_slip', leg, details: { ...details, previousEta: before?.eta } });
    }
  }
  return drafts;
}

/** The policy's targets in hours by leg. */
export function legTargets(sla: Record<string, number> | undefined): Partial<Record<Leg, number>> {
  if (!sla) return {};
  return Object.fromEntries(legs.map((l) => [l, sla[policyHours[l]]])) as Partial<Record<Leg, number>>;
}
