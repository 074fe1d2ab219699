import type { PoolClient } from '@county/platform';
import { collectedAt, custodyOf } from './domain/custody.js';
import type { ColdParcel, ComplianceTrigger, ParcelFact } from './domain/events.js';
import { coldRoomsOf } from './store/containers.js';
import { factsOf, insertFacts, lockColdParcels, registerColdParcels, saveCustodyState, writeEventBindings } from './store/custody.js';

/** What happened to cold-chain parcels' custody in one transaction, for whoever follows it (compliance). */
export interface CustodyChange {
  countyId: string;
  /** Hand-overs and deliveries that call for a compliance record. */
  triggers: ComplianceTrigger[];
  /** Every parcel whose facts changed: its bindings were rewritten. */
  touched: string[];
}

export interface CustodyListener {
  afterCustody(tx: PoolClient, change: CustodyChange): Promise<void>;
}

export const noCustodyListener: CustodyListener = { afterCustody: async () => {} };

export interface CustodyUpdate {
  countyId: string;
  /** The event the facts come from: a redelivered event adds nothing (the inbox stops it first anyway). */
  eventId: string;
  parcels: readonly ColdParcel[];
  facts: readonly ParcelFact[];
  triggers: readonly ComplianceTrigger[];
}

/**
 * Records what an event says about cold-chain parcels and rewrites the bindings of each parcel it touches from all
 * of that parcel's facts (domain/custody.ts), then tells the listener, in the same transaction.
 */
export async function applyCustody(tx: PoolClient, update: CustodyUpdate, at: Date, listener: CustodyListener): Promise<void> {
  const { countyId } = update;
  await registerColdParcels(tx, countyId, update.parcels);
  const touched = [...new Set(update.facts.map((f) => f.parcelId))].sort();
  if (touched.length === 0) return;
  await lockColdParcels(tx, touched);
  await insertFacts(tx, countyId, update.eventId, update.facts);
  const facts = await factsOf(tx, touched);
  const stations = [...facts.values()].flatMap((list) => list.flatMap((f) => (f.fact.kind === 'at_station' ? [f.fact.stationId] : [])));
  const coldRooms = await coldRoomsOf(tx, countyId, stations);
  for (const parcelId of touched) {
    const own = facts.get(parcelId) ?? [];
    const custody = custodyOf(
      own.map((f) => f.fact),
      coldRooms,
    );
    await writeEventBindings(tx, countyId, parcelId, custody.bindings, at);
    await saveCustodyState(tx, parcelId, { ended: custody.ended, collectedAt: collectedAt(own.map((f) => ({ at: f.fact.at, collected: f.collected }))) });
  }
  await listener.afterCustody(tx, { countyId, triggers: [...update.triggers], touched });
}
