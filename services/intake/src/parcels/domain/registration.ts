import type { Actor, Issue, ParcelFact } from '@county/contracts';
import type { Difference, ParcelContract } from './content.js';
import type { Candidate } from './creation.js';

/** Parcels one courier of one county announces at once: a Kafka manifest or a REST batch. */
export interface Announcement {
  countyId: string;
  courierId: string;
  items: readonly unknown[];
  /** Who announced them: the courier's key, an operator's, or the courier itself over Kafka. */
  actor: Actor;
  /** When they were announced: the manifest's `occurredAt`, or now for REST. */
  occurredAt: string;
  /** Where they came from, kept with conflicts: `manifest:<courierId>:<manifestId>` or `rest:<keyId>`. */
  source: string;
}

export type ItemResult =
  | { index: number; result: 'created'; parcelId: string; waybill: string; exception: 'address_unknown' | null; reason?: string }
  | { index: number; result: 'duplicate'; parcelId: string; waybill: string }
  | { index: number; result: 'conflict'; parcelId: string; waybill: string; differences: Difference[] }
  | { index: number; result: 'rejected'; issues: Issue[] };

export type ItemOutcome = ItemResult['result'];

export type RegistrationCounts = Record<ItemOutcome | 'addressUnknown', number>;

/**
 * An announced parcel as a parcel to create: downstream to its destination, upstream from its
 * origin station, starting with `manifested` (`booked` upstream). The first fact's id comes from
 * (courier, waybill), so the same announcement again is a duplicate fact, never a second one.
 */
export function announcedCandidate(announcement: Announcement, index: number, contract: ParcelContract, hash: string, now: Date): Candidate {
  const { courierId, actor, occurredAt } = announcement;
  const kind = contract.direction === 'upstream' ? 'booked' : 'manifested';
  const first: ParcelFact = { id: `${kind}:${courierId}:${contract.waybill}`, kind, occurredAt, receivedAt: now.toISOString(), actor };
  const place = contract.direction === 'upstream' ? (contract.originStationId ? { stationId: contract.originStationId } : undefined) : contract.destination;
  return { index, waybill: contract.waybill, direction: contract.direction, contract, hash, place, first };
}

/** The results in the order of the items, and how many of each (parcels held in address_unknown too). */
export function tally(results: readonly ItemResult[]): { counts: RegistrationCounts; results: ItemResult[] } {
  const sorted = [...results].sort((a, b) => a.index - b.index);
  const counts: RegistrationCounts = { created: 0, duplicate: 0, conflict: 0, rejected: 0, addressUnknown: 0 };
  for (const item of sorted) {
    counts[item.result] += 1;
    if (item.result === 'created' && item.exception) counts.addressUnknown += 1;
  }
  return { counts, results: sorted };
}
