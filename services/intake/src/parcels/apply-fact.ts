import {
  courierStatusTopic,
  decideFact,
  parcelEventTypeOf,
  topics,
  type Envelope,
  type ParcelEventData,
  type ParcelFact,
  type RejectionCode,
} from '@county/contracts';
import { buildEvent, type Outbox, type Queryable } from '@county/platform';
import { maskName, maskPhone } from './domain/mask.js';
import { lifecycleOf, type ParcelRecord } from './store.js';

export interface ApplyDeps {
  outbox: Outbox;
  /** The `source` of the events: the service. */
  source: string;
}

export type FactOutcome =
  | { accepted: true; kind: 'move' | 'recorded' | 'confirming' | 'duplicate'; parcel: ParcelRecord }
  | { accepted: false; code: RejectionCode; reason: string; reasonZh: string };

/**
 * Applies one fact to a parcel loaded FOR UPDATE in `tx`: decides it with the lifecycle table, keeps
 * it, stores the derived state and publishes a `parcel.*` event (through the outbox) on
 * `parcel.events` and on the courier's own status topic. A duplicate changes nothing and publishes
 * nothing; a refusal changes nothing and is returned for the caller to answer 409 or dead-letter.
 */
export async function applyFact(tx: Queryable, deps: ApplyDeps, parcel: ParcelRecord, fact: ParcelFact): Promise<FactOutcome> {
  const decision = decideFact(lifecycleOf(parcel), parcel.facts, fact);
  if (!decision.accepted) return { accepted: false, code: decision.code, reason: decision.reason, reasonZh: decision.reasonZh };
  if (decision.kind === 'duplicate') return { accepted: true, kind: 'duplicate', parcel };

  await tx.query(
    `INSERT INTO parcel_facts (parcel_id, fact_id, kind, occurred_at, received_at, fact) VALUES ($1, $2, $3, $4, $5, $6)`,
    [parcel.id, fact.id, fact.kind, fact.occurredAt, fact.receivedAt, JSON.stringify(fact)],
  );
  if (decision.supersedes.length > 0) {
    await tx.query('UPDATE parcel_facts SET superseded = true WHERE parcel_id = $1 AND fact_id = ANY($2::text[])', [parcel.id, decision.supersedes]);
  }
  const { derived } = decision;
  // The SLA clock starts at the inbound scan: the time it happened, even when it arrived late.
  const receivedAt = derived.timeline.find((entry) => entry.state === 'received' && !entry.inferred)?.occurredAt ?? null;
  await tx.query(
    `UPDATE parcels SET state = $2, progress = $3, exception = $4, received_at = $5, updated_at = now() WHERE id = $1`,
    [parcel.id, derived.state, derived.progress, derived.exception ? JSON.stringify(derived.exception) : null, receivedAt],
  );
  const updated: ParcelRecord = {
    ...parcel,
    state: derived.state,
    progress: derived.progress,
    exception: derived.exception,
    receivedAt,
    facts: [...parcel.facts, fact],
  };
  const event = parcelEvent(deps, updated, fact, decision.kind, decision.supersedes);
  await deps.outbox.addMany(tx, [
    { topic: topics.parcelEvents.name, key: parcel.id, event },
    { topic: courierStatusTopic(parcel.courierId), key: parcel.id, event },
  ]);
  return { accepted: true, kind: decision.kind, parcel: updated };
}

/** The `parcel.*` event of an accepted fact; the bulk path for new parcels (create-parcels.ts) shares it. */
export function parcelEvent(deps: ApplyDeps, parcel: ParcelRecord, fact: ParcelFact, kind: 'move' | 'recorded' | 'confirming', supersedes: string[]): Envelope<ParcelEventData> {
  const data: ParcelEventData = {
    parcelId: parcel.id,
    courierId: parcel.courierId,
    waybill: parcel.waybill,
    direction: parcel.direction,
    state: parcel.state,
    progress: parcel.progress as ParcelEventData['progress'],
    exception: parcel.exception as ParcelEventData['exception'],
    destinationStationId: parcel.destinationStationId,
    originStationId: parcel.originStationId,
    moved: kind === 'move',
    confirming: kind === 'confirming',
    fact: {
      id: fact.id,
      kind: fact.kind,
      occurredAt: fact.occurredAt,
      receivedAt: fact.receivedAt,
      actor: fact.actor,
      ...('stationId' in fact ? { stationId: fact.stationId } : {}),
      ...('routeId' in fact ? { routeId: fact.routeId } : {}),
      ...(fact.reason ? { reason: fact.reason } : {}),
    },
    supersedes,
    ...(fact.kind === 'manifested' || fact.kind === 'booked' ? { parcel: parcelSummary(parcel.contract) } : {}),
  };
  return buildEvent({
    type: parcelEventTypeOf(lifecycleOf(parcel), fact),
    countyId: parcel.countyId,
    subject: parcel.id,
    source: deps.source,
    occurredAt: new Date(fact.occurredAt),
    data,
  });
}

function parcelSummary(contract: Record<string, unknown>): NonNullable<ParcelEventData['parcel']> {
  const recipient = contract.recipient as { name: string; phone: string } | undefined;
  return {
    weightKg: Number(contract.weightKg),
    volumeM3: Number(contract.volumeM3),
    ...(typeof contract.declaredValueYuan === 'number' ? { declaredValueYuan: contract.declaredValueYuan } : {}),
    ...(typeof contract.coldChainProfileId === 'string' ? { coldChainProfileId: contract.coldChainProfileId } : {}),
    serviceType: String(contract.serviceType ?? 'standard'),
    ...(recipient ? { recipient: { name: maskName(recipient.name), phone: maskPhone(recipient.phone) } } : {}),
  };
}
