import type { Queryable } from '@county/platform';
import type { ApplyDeps } from './apply-fact.js';
import { startParcel, type ParcelToCreate } from './domain/start.js';
import { insertParcels } from './store/parcels.js';

export type { ParcelToCreate } from './domain/start.js';

/**
 * Creates brand-new parcels with their first facts and events in one statement: the same rows
 * and events as `insertParcel` followed by `applyFact` for each fact (test/create-parcels.int.test.ts
 * holds the two side by side), without their per-parcel round trips. Each parcel is started by the
 * lifecycle in memory (domain/start.ts). A parcel whose (county, courier, waybill) exists by now
 * (announced before, or another batch won the race) is left out, with its facts and events; the
 * ids of those inserted are returned.
 */
export async function createParcels(tx: Queryable, deps: ApplyDeps, items: readonly ParcelToCreate[], now: Date): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const started = items.map((item) => startParcel(deps.source, item, now));
  return insertParcels(tx, deps.outbox, started);
}
