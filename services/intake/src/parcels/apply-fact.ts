import { courierStatusTopic, decideFact, topics, type ParcelFact, type RejectionCode } from '@county/contracts';
import type { Outbox, Queryable } from '@county/platform';
import { parcelEvent } from './domain/events.js';
import { lifecycleOf, receivedAtOf, type ParcelRecord } from './domain/parcel.js';
import { writeFact } from './store/parcels.js';

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

  const { derived } = decision;
  const updated: ParcelRecord = {
    ...parcel,
    state: derived.state,
    progress: derived.progress,
    exception: derived.exception,
    receivedAt: receivedAtOf(derived.timeline),
    facts: [...parcel.facts, fact],
  };
  await writeFact(tx, updated, fact, decision.supersedes);
  const event = parcelEvent(deps.source, updated, fact, decision.kind, decision.supersedes);
  await deps.outbox.addMany(tx, [
    { topic: topics.parcelEvents.name, key: parcel.id, event },
    { topic: courierStatusTopic(parcel.courierId), key: parcel.id, event },
  ]);
  return { accepted: true, kind: decision.kind, parcel: updated };
}
