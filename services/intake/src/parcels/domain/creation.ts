import type { Actor, Direction, ParcelFact } from '@county/contracts';
import { differences, type Difference } from './content.js';
import { keyOf, unresolvedReason, type Destination } from './destination.js';
import type { ParcelToCreate } from './start.js';

/**
 * The one way a parcel comes into being, whether a courier announced it (register.ts) or booked a
 * pickup of produce (book-pickup.ts): a candidate is compared with the parcel already kept under its
 * (courier, waybill), and a new one is placed at its station and started with its first fact.
 */

/** A parcel to create, validated: its contract, the hash that identifies its content, and its first fact. */
export interface Candidate {
  /** Its position in the announcement, for per-item results. */
  index: number;
  waybill: string;
  direction: Direction;
  contract: Record<string, unknown>;
  hash: string;
  /** Downstream: where it goes; upstream: the station it is collected from. */
  place: Destination | undefined;
  /** `manifested` (downstream) or `booked` (upstream). */
  first: ParcelFact;
}

/** The parcel kept for a (courier, waybill): what a candidate with the same waybill is compared with. */
export interface Kept {
  parcelId: string;
  direction: Direction;
  hash: string;
  contract: Record<string, unknown>;
}

export type Comparison = { result: 'duplicate'; parcelId: string } | { result: 'conflict'; parcelId: string; differences: Difference[] };

/**
 * The same content again is a duplicate; other content under the same waybill is a conflict, the
 * parcel kept unchanged (the intake issue: a parcel is never announced twice).
 */
export function compareWithKept(candidate: Candidate, kept: Kept): Comparison {
  if (candidate.hash === kept.hash) return { result: 'duplicate', parcelId: kept.parcelId };
  return { result: 'conflict', parcelId: kept.parcelId, differences: differences(kept.contract, candidate.contract) };
}

/** Where a new parcel is placed, or why it cannot be created. */
export type Placement =
  | { ok: true; destinationStationId: string | null; originStationId: string | null; addressUnknown?: { centerId: string; reason: string } }
  | { ok: false; path: string; reason: string };

/**
 * Places a new parcel given the station its place resolved to (`undefined`: none) and the county's
 * active center. Upstream produce must be collected at an active village or town station. A
 * downstream parcel whose destination does not resolve is still created, held at the center in an
 * `address_unknown` exception; without a center to hold it, it is refused.
 */
export function placeParcel(countyId: string, candidate: Candidate, stationId: string | undefined, centerId: string | null): Placement {
  if (candidate.direction === 'upstream') {
    if (stationId) return { ok: true, destinationStationId: null, originStationId: stationId };
    const named = candidate.place && 'stationId' in candidate.place ? candidate.place.stationId : undefined;
    return { ok: false, path: 'originStationId', reason: `station ${named} is not an active village or town station of county ${countyId}` };
  }
  if (stationId) return { ok: true, destinationStationId: stationId, originStationId: null };
  const reason = unresolvedReason(countyId, candidate.place!);
  if (!centerId) return { ok: false, path: 'destination', reason: `${reason}, and the county has no active center station to hold the parcel` };
  return { ok: true, destinationStationId: null, originStationId: null, addressUnknown: { centerId, reason } };
}

/** Whether placing this candidate needs the county's center: a downstream destination that did not resolve. */
export function needsCenter(candidate: Candidate, resolved: ReadonlyMap<string, string>): boolean {
  return candidate.direction === 'downstream' && !(candidate.place && resolved.has(keyOf(candidate.place)));
}

/** The service itself notices an unresolved destination when the parcel arrives. */
const INTAKE_ACTOR: Actor = { keyId: 'intake', role: 'service' };

/**
 * The `address_unknown` fact of a parcel created without a resolvable destination: noticed on
 * arrival, so it happened when intake received the announcement, not when the courier sent it. Its
 * id comes from (courier, waybill), so the same announcement again is a duplicate fact.
 */
export function addressUnknownFact(courierId: string, waybill: string, centerId: string, reason: string, now: Date): ParcelFact {
  const at = now.toISOString();
  return { id: `address_unknown:${courierId}:${waybill}`, kind: 'address_unknown', stationId: centerId, occurredAt: at, receivedAt: at, actor: INTAKE_ACTOR, reason };
}

/**
 * A placed candidate as a parcel to create: its row, and its first fact, followed by its
 * `address_unknown` when it is held at the center.
 */
export function parcelToCreate(
  parcel: { id: string; countyId: string; courierId: string; now: Date },
  candidate: Candidate,
  placement: Extract<Placement, { ok: true }>,
): ParcelToCreate {
  const { id, countyId, courierId, now } = parcel;
  const held = placement.addressUnknown;
  return {
    parcel: {
      id,
      countyId,
      courierId,
      waybill: candidate.waybill,
      direction: candidate.direction,
      destinationStationId: placement.destinationStationId,
      originStationId: placement.originStationId,
      contract: candidate.contract,
      contentHash: candidate.hash,
    },
    facts: [candidate.first, ...(held ? [addressUnknownFact(courierId, candidate.waybill, held.centerId, held.reason, now)] : [])],
  };
}
