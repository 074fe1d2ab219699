import { courierStatusTopic, topics, type ParcelFact } from '@county/contracts';
import type { Outbox, Queryable } from '@county/platform';
import { parcelEvent } from './domain/events.js';
import { decideOnParcel, type FactOutcome } from './domain/fact-outcome.js';
import type { ParcelRecord } from './domain/parcel.js';
import { writeFact } from './store/parcels.js';

export type { FactOutcome } from './domain/fact-outcome.js';

export interface ApplyDeps {
  outbox: Outbox;
  /** The `source` of the events: the service. */
  source: string;
}

/**
 * Applies one fact to a parcel loaded FOR UPDATE in `tx`: decides it with the lifecycle table, keeps
 * it, stores the derived state and publishes a `parcel.*` event (through the outbox) on
 * `parcel.events` and on the courier's own status topic. A duplicate changes nothing and publishes
 * nothing; a refusal changes nothing and is returned for the caller to answer 409 or dead-letter.
 */
export async function applyFact(tx: Queryable, deps: ApplyDeps, parcel: ParcelRecord, fact: ParcelFact): Promise<FactOutcome> {
  const outcome = decideOnParcel(parcel, fact);
  if (!outcome.accepted || outcome.kind === 'duplicate') return outcome;
  const updated = outcome.parcel;
  await writeFact(tx, updated, fact, outcome.supersedes);
  const event = parcelEvent(deps.source, updated, fact, outcome.kind, outcome.supersedes);
  await deps.outbox.addMany(tx, [
    { topic: topics.parcelEvents.name, key: parcel.id, event },
    { topic: courierStatusTopic(parcel.courierId), key: parcel.id, event },
  ]);
  return outcome;
}
