import type { Envelope, ParcelEventData } from '@county/contracts';

/** A recipient as intake's events carry it: masked (张**, 139****5678), never in clear. Never logged. */
export interface MaskedRecipient {
  name: string;
  phone: string;
}

/**
 * What dispatch keeps of a parcel (the read model): enough to plan it and to know whether it waits at the
 * center. Every `parcel.*` event carries the parcel's state after its fact, so the latest event of a parcel is
 * its current state: events of one parcel arrive in order (keyed by parcel id, docs/architecture.md §3 "Topics").
 */
export interface ParcelChange {
  parcelId: string;
  countyId: string;
  courierId: string;
  direction: 'downstream' | 'upstream';
  state: string;
  /** The open exception (damaged, refused, address_unknown), or null. */
  exception: string | null;
  /** Downstream its destination (an address correction moves it), upstream its origin; null while unresolved. */
  stationId: string | null;
  /** The courier's waybill: every event carries it (the route sheet shows it). */
  waybill: string;
  /**
   * Only `parcel.manifested` and `parcel.booked` carry size, cold-chain profile and the recipient (masked by intake,
   * downstream only; the route sheet shows it); null: keep what is stored.
   */
  content: { weightKg: number; volumeM3: number; coldChainProfileId: string | null; recipient: MaskedRecipient | null } | null;
  /** The earliest receive scan (downstream) or booking (upstream) seen: when the SLA clock started. */
  clockStartedAt: string | null;
  /** The earliest time a downstream parcel was seen past `manifested`: the clock's start when no receive scan came. */
  progressedAt: string | null;
}

const earliest = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

/** The change one event makes, before it is merged with what dispatch already holds. */
export function parcelChange(envelope: Envelope<ParcelEventData>): ParcelChange {
  const data = envelope.data;
  const fact = data.fact;
  const startsClock = fact.kind === 'receive' || fact.kind === 'booked';
  const progressed = data.direction === 'downstream' && data.progress !== null && data.progress !== 'manifested';
  return {
    parcelId: data.parcelId,
    countyId: envelope.countyId,
    courierId: data.courierId,
    direction: data.direction,
    state: data.state,
    exception: data.exception?.kind ?? null,
    stationId: data.direction === 'downstream' ? data.destinationStationId : data.originStationId,
    waybill: data.waybill,
    content: data.parcel
      ? {
          weightKg: data.parcel.weightKg,
          volumeM3: data.parcel.volumeM3,
          coldChainProfileId: data.parcel.coldChainProfileId ?? null,
          recipient: data.parcel.recipient ? { name: data.parcel.recipient.name, phone: data.parcel.recipient.phone } : null,
        }
      : null,
    clockStartedAt: startsClock ? fact.occurredAt : null,
    progressedAt: progressed ? fact.occurredAt : null,
  };
}

/** A later change of the same parcel over an earlier one: its state wins, content and clock times accumulate. */
export function mergeChanges(earlier: ParcelChange, later: ParcelChange): ParcelChange {
  return {
    ...later,
    countyId: earlier.countyId,
    content: later.content ?? earlier.content,
    clockStartedAt: earliest(earlier.clockStartedAt, later.clockStartedAt),
    progressedAt: earliest(earlier.progressedAt, later.progressedAt),
  };
}

/**
 * Several events folded into one change per parcel, in the order given (a consumer's batch in partition order),
 * so a batch writes each parcel once.
 */
export function foldParcelEvents(envelopes: readonly Envelope<ParcelEventData>[]): ParcelChange[] {
  const byParcel = new Map<string, ParcelChange>();
  for (const envelope of envelopes) {
    const change = parcelChange(envelope);
    const before = byParcel.get(change.parcelId);
    byParcel.set(change.parcelId, before ? mergeChanges(before, change) : change);
  }
  return [...byParcel.values()];
}

/** Why dispatch refuses an event the contracts accept: it names another parcel than its subject. */
export function parcelEventProblem(envelope: Envelope<ParcelEventData>): string | undefined {
  if (envelope.subject !== envelope.data.parcelId) return `the subject ${envelope.subject} is not the parcel ${envelope.data.parcelId} the data describes`;
  return undefined;
}
