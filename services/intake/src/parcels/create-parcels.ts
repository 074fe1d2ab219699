import type { Queryable } from '@county/platform';
import type { ApplyDeps } from './apply-fact.js';
import { startParcel, type ParcelToCreate } from './domain/start.js';
import { insertParcels } from './store/parcels.js';

export type { ParcelToCreate } from './domain/start.js';

/**
 * Creates brand-new parcels with their first facts in a few multi-row statements: the same rows
 * and events as `insertParcel` followed by `applyFact` for each fact (test/create-parcels.int.test.ts
 * holds the two side by side), without their per-parcel round trips. Each parcel is started by the
 * lifecycle in memory (domain/start.ts). A parcel whose (county, courier, waybill) exists by now
 * (another batch won the race) is left out, with its facts and events; the ids of those inserted
 * are returned.
 */
export async function createParcels(tx: Queryable, deps: ApplyDeps, items: readonly ParcelToCreate[], now: Date): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const started = items.map((item) => startParcel(deps.source, item, now));
  const inserted = await insertParcels(tx, started);
  await deps.outbox.addMany(tx, started.filter((s) => inserted.has(s.record.id)).flatMap((s) => s.outbox));
  return inserted;
}
