import { topics, type Envelope } from '@county/contracts';
import { RejectedError, summarise, type ConsumerSpec, type EventHandler, type PoolClient } from '@county/platform';
import type { CountyReading } from './domain/batch.js';
import type { ReadingsIngest } from './ingest.js';

/** The items of an event on `coldchain.readings`: a gateway's batch, or one reading. */
function itemsOf(envelope: Envelope): unknown[] {
  return envelope.type === 'coldchain.readings_submitted' ? (envelope.data as { readings: unknown[] }).readings : [envelope.data];
}

/** A run of events holds refused readings: the runner applies its events one at a time, so each refusal is dead-lettered. */
class RunHoldsRefusals extends Error {}

/**
 * `coldchain.readings` (keyed by container): `coldchain.readings_submitted` batches and single
 * `coldchain.reading_recorded`s. A batch's bad items are dead-lettered by index with their reasons (`readings` is
 * the items' path, so a replay sends only those) and its good ones stored; a bad single reading is dead-lettered
 * whole. Runs of events are stored in one transaction (`handleMany`); a run holding a refusal goes one event at a
 * time instead.
 */
export function readingsConsumer(service: string, ingest: ReadingsIngest): ConsumerSpec {
  const handler: EventHandler = {
    itemsPath: 'readings',
    async handle(tx, envelope) {
      const judged = await ingest.judge(tx, { countyId: envelope.countyId, items: itemsOf(envelope) });
      if (envelope.type === 'coldchain.reading_recorded' && judged.refused.length > 0) {
        const issues = judged.refused[0]!.issues.map((i) => ({ path: `data.${i.path}`, reason: i.reason }));
        throw new RejectedError(`reading refused: ${summarise(issues)}`, issues);
      }
      await ingest.store(tx, judged.accepted);
      return judged.refused.length > 0 ? { rejected: judged.refused } : undefined;
    },
    async handleMany(tx: PoolClient, events) {
      // One judgement per county of the run: the container look-up is one query, not one per event.
      const byCounty = new Map<string, unknown[]>();
      for (const { envelope } of events) {
        const items = byCounty.get(envelope.countyId) ?? [];
        items.push(...itemsOf(envelope));
        byCounty.set(envelope.countyId, items);
      }
      const readings: CountyReading[] = [];
      for (const [countyId, items] of byCounty) {
        const judged = await ingest.judge(tx, { countyId, items });
        if (judged.refused.length > 0) throw new RunHoldsRefusals(`the run holds ${judged.refused.length} refused reading(s) of county ${countyId}`);
        readings.push(...judged.accepted);
      }
      await ingest.store(tx, readings);
    },
  };
  return {
    name: `${service}.readings`,
    topics: [topics.coldchainReadings.name],
    handlers: { 'coldchain.readings_submitted': handler, 'coldchain.reading_recorded': handler },
  };
}
