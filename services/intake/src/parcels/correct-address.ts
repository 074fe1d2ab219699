import { randomUUID } from 'node:crypto';
import type { Actor, ParcelFact } from '@county/contracts';
import type { Queryable } from '@county/platform';
import { applyFact, type ApplyDeps } from './apply-fact.js';
import { addressUnknownOpen } from './domain/address.js';
import { keyOf, unresolvedReason, type Destination } from './domain/destination.js';
import type { ParcelRecord } from './domain/parcel.js';
import { resolveDestinations } from './store/masterdata.js';
import { loadParcel, setDestination } from './store/parcels.js';

export interface AddressCorrection {
  countyId: string;
  parcelId: string;
  destination: Destination;
  actor: Actor;
  reason?: string;
}

export type CorrectionOutcome =
  | { outcome: 'corrected'; parcel: ParcelRecord }
  | { outcome: 'not_found' }
  | { outcome: 'not_address_unknown' }
  | { outcome: 'unresolved'; reason: string };

/**
 * An operator gives a parcel held in `address_unknown` its destination (the intake issue): the
 * station is set and an `address_corrected` fact clears the exception, published like every fact.
 * The courier's contract stays as announced, so announcing it again is still a duplicate.
 */
export async function correctAddress(tx: Queryable, deps: ApplyDeps & { now: () => Date }, correction: AddressCorrection): Promise<CorrectionOutcome> {
  const parcel = await loadParcel(tx, correction.countyId, correction.parcelId, { forUpdate: true });
  if (!parcel) return { outcome: 'not_found' };
  if (parcel.direction !== 'downstream' || !addressUnknownOpen(parcel)) return { outcome: 'not_address_unknown' };
  const stations = await resolveDestinations(tx, correction.countyId, [correction.destination]);
  const stationId = stations.get(keyOf(correction.destination));
  if (!stationId) return { outcome: 'unresolved', reason: unresolvedReason(correction.countyId, correction.destination) };

  await setDestination(tx, parcel.id, stationId);
  const at = deps.now().toISOString();
  const fact: ParcelFact = {
    id: `address_corrected:${randomUUID()}`,
    kind: 'address_corrected',
    occurredAt: at,
    receivedAt: at,
    actor: correction.actor,
    reason: correction.reason ?? `destination set to station ${stationId}`,
  };
  const applied = await applyFact(tx, deps, { ...parcel, destinationStationId: stationId }, fact);
  if (!applied.accepted) throw new Error(`address correction refused by the lifecycle: ${applied.reason}`);
  return { outcome: 'corrected', parcel: applied.parcel };
}
