import type { Envelope, ParcelEventData, ParcelEventType } from '@county/contracts';
import type { PoolClient } from '@county/platform';
import { applyCustody, type CustodyListener } from './custody.js';
import { parcelEventFacts } from './domain/events.js';
import { coldParcelsAmong } from './store/custody.js';

/**
 * A run of parcel events, in order (issue #11 "Bindings": cold-room stays, deliveries, line-haul hand-overs). Nearly
 * all parcels are not cold-chain ones: one query finds the run's cold-chain parcels, and only their events are
 * applied. A manifest or booking naming a profile makes its parcel one, for the events after it.
 */
export async function applyParcelEvents(tx: PoolClient, events: readonly Envelope<ParcelEventData>[], at: Date, listener: CustodyListener): Promise<void> {
  const cold = new Set<string>();
  for (const [countyId, ids] of groupBy(events, (e) => e.countyId, (e) => e.data.parcelId)) {
    for (const id of await coldParcelsAmong(tx, countyId, ids)) cold.add(`${countyId}|${id}`);
  }
  for (const event of events) {
    const key = `${event.countyId}|${event.data.parcelId}`;
    const learnt = parcelEventFacts(event.type as ParcelEventType, event.data);
    if (learnt.parcel) cold.add(key);
    if (!cold.has(key) || (!learnt.parcel && !learnt.fact)) continue;
    await applyCustody(
      tx,
      {
        countyId: event.countyId,
        eventId: event.id,
        parcels: learnt.parcel ? [learnt.parcel] : [],
        facts: learnt.fact ? [learnt.fact] : [],
        triggers: learnt.trigger ? [learnt.trigger] : [],
      },
      at,
      listener,
    );
  }
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string, valueOf: (item: T) => string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), valueOf(item)]);
  return groups;
}
