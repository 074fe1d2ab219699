import type { Direction, LifecycleParcel, ParcelFact, ParcelState, TimelineEntry } from '@county/contracts';

/** A parcel as intake keeps it, with every accepted fact (overruled ones included). */
export interface ParcelRecord {
  id: string;
  countyId: string;
  courierId: string;
  waybill: string;
  direction: Direction;
  state: ParcelState;
  progress: string | null;
  exception: { kind: string; since: string } | null;
  destinationStationId: string | null;
  originStationId: string | null;
  townStationId: string | null;
  contract: Record<string, unknown>;
  contentHash: string;
  receivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  facts: ParcelFact[];
}

/** A parcel without its contract, content hash and facts: what a search lists. */
export type ParcelHead = Omit<ParcelRecord, 'contract' | 'contentHash' | 'facts'>;

/** What a new parcel is created with, before its first fact decides its state. */
export type NewParcel = Pick<
  ParcelRecord,
  'id' | 'countyId' | 'courierId' | 'waybill' | 'direction' | 'destinationStationId' | 'originStationId' | 'contract' | 'contentHash'
>;

/** The lifecycle's view of a parcel. A destination that does not resolve matches no station. */
export function lifecycleOf(parcel: Pick<ParcelRecord, 'direction' | 'destinationStationId' | 'originStationId' | 'townStationId'>): LifecycleParcel {
  return parcel.direction === 'downstream'
    ? { direction: 'downstream', destinationStationId: parcel.destinationStationId ?? '', townStationId: parcel.townStationId }
    : { direction: 'upstream', originStationId: parcel.originStationId ?? '' };
}

/**
 * When the inbound scan happened, from the derived timeline: the SLA clock starts at the time it
 * happened, even when it arrived late.
 */
export function receivedAtOf(timeline: readonly TimelineEntry[]): string | null {
  return timeline.find((entry) => entry.state === 'received' && !entry.inferred)?.occurredAt ?? null;
}
