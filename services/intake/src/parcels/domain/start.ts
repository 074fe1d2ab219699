import { courierStatusTopic, decideFact, type OutboxEntry, type ParcelFact, topics } from '@county/contracts';
import { parcelEvent } from './events.js';
import { lifecycleOf, receivedAtOf, type NewParcel, type ParcelRecord } from './parcel.js';

/** A parcel not yet stored and the facts it starts with (`manifested` or `booked`, maybe `address_unknown`). */
export interface ParcelToCreate {
  parcel: NewParcel;
  facts: ParcelFact[];
}

/** A new parcel as its first facts leave it: the row, each fact (superseded or not) and their events. */
export interface StartedParcel {
  record: ParcelRecord;
  facts: { fact: ParcelFact; superseded: boolean }[];
  outbox: OutboxEntry[];
}

/**
 * Decides each first fact in order against the facts before it, with the lifecycle (`decideFact`),
 * as successive applyFact calls would, and builds their events for `parcel.events` and the
 * courier's status topic. A first fact the lifecycle refuses is a bug in the caller, not bad input.
 */
export function startParcel(source: string, { parcel, facts }: ParcelToCreate, now: Date): StartedParcel {
  const at = now.toISOString();
  let record: ParcelRecord = {
    ...parcel,
    state: 'manifested',
    progress: null,
    exception: null,
    townStationId: null,
    receivedAt: null,
    createdAt: at,
    updatedAt: at,
    facts: [],
  };
  const superseded = new Set<string>();
  const outbox: OutboxEntry[] = [];
  for (const fact of facts) {
    const decision = decideFact(lifecycleOf(record), record.facts, fact);
    if (!decision.accepted || decision.kind === 'duplicate') {
      throw new Error(`fact ${fact.id} cannot start parcel ${parcel.id}: ${decision.accepted ? 'duplicate' : decision.reason}`);
    }
    for (const id of decision.supersedes) superseded.add(id);
    const { derived } = decision;
    record = {
      ...record,
      state: derived.state,
      progress: derived.progress,
      exception: derived.exception,
      receivedAt: receivedAtOf(derived.timeline),
      facts: [...record.facts, fact],
    };
    const event = parcelEvent(source, record, fact, decision.kind, decision.supersedes);
    outbox.push(
      { topic: topics.parcelEvents.name, key: record.id, event },
      { topic: courierStatusTopic(record.courierId), key: record.id, event },
    );
  }
  return { record, facts: record.facts.map((fact) => ({ fact, superseded: superseded.has(fact.id) })), outbox };
}
