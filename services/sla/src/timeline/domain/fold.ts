import type { Envelope, ParcelEventData, ParcelEventType } from '@county/contracts';

/**
 * A parcel's timeline as sla keeps it (issue #12 "Read model"): each step by when it happened (the fact's
 * occurredAt), whatever order the events arrive in. Folding is order-independent and idempotent: a step keeps the
 * earliest instant reported for it, and the state, stations and courier are those of the fact that happened last
 * (ties: the greater fact id), so any order of the same events gives the same row.
 */

export const steps = [
  'manifested',
  'received',
  'sorted',
  'departed',
  'at_town',
  'at_station',
  'delivered',
  'booked',
  'collected',
  'at_center',
  'handed_over',
  'returned',
  'lost',
] as const;
export type Step = (typeof steps)[number];

/** The step each event type reports; exceptions, corrections and cancelled sorts report none. */
export const stepOfEvent: Partial<Record<ParcelEventType, Step>> = {
  'parcel.manifested': 'manifested',
  'parcel.received': 'received',
  'parcel.sorted': 'sorted',
  'parcel.departed': 'departed',
  'parcel.arrived_at_town': 'at_town',
  'parcel.arrived_at_station': 'at_station',
  'parcel.delivered': 'delivered',
  'parcel.booked': 'booked',
  'parcel.collected': 'collected',
  'parcel.arrived_at_center': 'at_center',
  'parcel.handed_over': 'handed_over',
  'parcel.returned': 'returned',
  'parcel.lost': 'lost',
};

export interface SlaParcel {
  parcelId: string;
  countyId: string;
  courierId: string;
  direction: 'downstream' | 'upstream';
  destinationStationId: string | null;
  originStationId: string | null;
  declaredValueYuan: number | null;
  coldChainProfileId: string | null;
  state: string;
  /**
   * When intake applied the latest fact (its `receivedAt`), and its id (the tie-break). Intake moves a parcel as facts
   * reach it, so the state after the fact it applied last is its state, whatever order the facts happened in: a
   * station's refusal scanned after the hand-over but uploaded before the driver's report leaves it `at_station`.
   */
  stateAt: string;
  stateFactId: string;
  steps: Partial<Record<Step, string>>;
}

/** One timeline entry: the fact as its event carried it. */
export interface TimelineFact {
  parcelId: string;
  factId: string;
  eventType: string;
  kind: string;
  occurredAt: string;
  receivedAt: string;
  stationId: string | null;
  routeId: string | null;
  actor: { keyId: string; role: string };
  stateAfter: string;
}

const iso = (instant: string) => new Date(instant).toISOString();
const earliest = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined ? a : a < b ? a : b);

/** The parcel after one more event (`before` undefined: the first seen). */
export function applyParcelEvent(before: SlaParcel | undefined, envelope: Envelope<ParcelEventData>): SlaParcel {
  const data = envelope.data;
  const at = iso(data.fact.occurredAt);
  const appliedAt = iso(data.fact.receivedAt);
  const step = stepOfEvent[envelope.type as ParcelEventType];
  const later = !before || appliedAt > before.stateAt || (appliedAt === before.stateAt && data.fact.id > before.stateFactId);
  const stepsAfter = { ...(before?.steps ?? {}) };
  if (step) stepsAfter[step] = earliest(stepsAfter[step], at);
  const content = data.parcel;
  const base: SlaParcel = later
    ? {
        parcelId: data.parcelId,
        countyId: envelope.countyId,
        courierId: data.courierId,
        direction: data.direction,
        destinationStationId: data.destinationStationId,
        originStationId: data.originStationId,
        declaredValueYuan: before?.declaredValueYuan ?? null,
        coldChainProfileId: before?.coldChainProfileId ?? null,
        state: data.state,
        stateAt: appliedAt,
        stateFactId: data.fact.id,
        steps: stepsAfter,
      }
    : { ...before, steps: stepsAfter };
  if (content) {
    base.declaredValueYuan = content.declaredValueYuan ?? null;
    base.coldChainProfileId = content.coldChainProfileId ?? null;
  }
  return base;
}

export function timelineFact(envelope: Envelope<ParcelEventData>): TimelineFact {
  const { data } = envelope;
  return {
    parcelId: data.parcelId,
    factId: data.fact.id,
    eventType: envelope.type,
    kind: data.fact.kind,
    occurredAt: iso(data.fact.occurredAt),
    receivedAt: iso(data.fact.receivedAt),
    stationId: data.fact.stationId ?? null,
    routeId: data.fact.routeId ?? null,
    actor: data.fact.actor,
    stateAfter: data.state,
  };
}

/** Why sla refuses an event the contracts accept: it names another parcel than its subject. */
export function parcelEventProblem(envelope: Envelope<ParcelEventData>): string | undefined {
  if (envelope.subject !== envelope.data.parcelId) return `the subject ${envelope.subject} is not the parcel ${envelope.data.parcelId} the data describes`;
  return undefined;
}
