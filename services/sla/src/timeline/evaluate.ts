import type { Envelope, ParcelEventData } from '@county/contracts';
import type { Queryable } from '@county/platform';
import { legTargets, parcelAlerts, type AlertDraft } from '../alerts/domain/alerts.js';
import { raiseAlerts, type AlertEmitter } from '../alerts/store.js';
import { applyParcelEvent, timelineFact, type SlaParcel } from './domain/fold.js';
import { measure, type Measured } from './domain/measure.js';
import { insertFacts, loadContexts, lockCountiesForMeasuring, lockParcels, saveParcels, type StoredParcel } from './store.js';

/**
 * The parcels given, measured again at `now` (legs, deadline, ETA), written, and their alerts raised. One
 * transaction and a fixed number of statements, whatever the number of parcels. Rates are the scanner's.
 */
export async function remeasure(
  tx: Queryable,
  emitter: AlertEmitter,
  parcels: readonly SlaParcel[],
  before: Map<string, StoredParcel>,
  now: Date,
  breachesUntil: Date | null,
): Promise<void> {
  if (parcels.length === 0) return;
  const contextOf = await loadContexts(tx, parcels);
  const rows: { parcel: SlaParcel; measured: Measured }[] = [];
  const drafts: AlertDraft[] = [];
  for (const parcel of parcels) {
    const ctx = contextOf(parcel);
    const measured = measure(parcel, ctx, now.getTime());
    rows.push({ parcel, measured });
    drafts.push(...parcelAlerts(parcel, before.get(parcel.parcelId), measured, now.getTime(), legTargets(ctx.county?.sla), breachesUntil === null ? null : breachesUntil.getTime()));
  }
  await saveParcels(tx, rows);
  await raiseAlerts(tx, emitter, drafts, now);
}

/** Folds a run of parcel events (any order, duplicates harmless) into the timeline. */
export async function foldParcelEvents(tx: Queryable, emitter: AlertEmitter, events: readonly Envelope<ParcelEventData>[], now: Date): Promise<void> {
  await lockCountiesForMeasuring(tx, events.map((e) => e.countyId));
  const ids = [...new Set(events.map((e) => e.data.parcelId))];
  const before = await lockParcels(tx, ids);
  const after = new Map<string, SlaParcel>();
  for (const event of events) {
    const id = event.data.parcelId;
    after.set(id, applyParcelEvent(after.get(id) ?? before.get(id)?.parcel, event));
  }
  await insertFacts(tx, events.map(timelineFact));
  await remeasure(tx, emitter, [...after.values()], before, now, null);
}

/** Measures again the parcels of `ids` sla already holds (a route's ETAs arrived, the clock moved). */
export async function remeasureIds(tx: Queryable, emitter: AlertEmitter, ids: readonly string[], now: Date, breachesUntil: Date | null): Promise<number> {
  const before = await lockParcels(tx, ids);
  await remeasure(tx, emitter, [...before.values()].map((s) => s.parcel), before, now, breachesUntil);
  return before.size;
}
