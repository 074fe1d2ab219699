import type { Envelope } from '@county/contracts';
import { signalOutboxWrite, type Queryable } from '../postgres.js';
import type { DeadLetter } from './dead-letter.js';

export interface OutboxEntry {
  /** Logical topic name (e.g. `masterdata.events`); the deployment's TOPIC_PREFIX is added here. */
  topic: string;
  /** Kafka key: per-key order is preserved from the order rows are written. */
  key: string;
  /** An event, or a dead letter on its way to `<topic>.dlq`. */
  event: Envelope | DeadLetter;
  headers?: Record<string, string>;
}

export interface Outbox {
  /** Writes the event in the caller's transaction; the relay publishes it after commit. */
  add(tx: Queryable, entry: OutboxEntry): Promise<void>;
  /** Same, for several events, in the given order. */
  addMany(tx: Queryable, entries: OutboxEntry[]): Promise<void>;
}

export function createOutbox({ topicPrefix }: { topicPrefix: string }): Outbox {
  const addMany = async (tx: Queryable, entries: OutboxEntry[]): Promise<void> => {
    if (entries.length === 0) return;
    await tx.query(
      // ORDER BY the array position so seq follows the caller's order.
      `INSERT INTO outbox (event_id, topic, key, payload, headers)
       SELECT event_id, topic, key, payload, headers
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[])
         WITH ORDINALITY AS t(event_id, topic, key, payload, headers, n)
       ORDER BY n`,
      [
        entries.map((e) => e.event.id),
        entries.map((e) => `${topicPrefix}${e.topic}`),
        entries.map((e) => e.key),
        entries.map((e) => JSON.stringify(e.event)),
        entries.map((e) => JSON.stringify(e.headers ?? {})),
      ],
    );
    signalOutboxWrite(tx);
  };
  return { add: (tx, entry) => addMany(tx, [entry]), addMany };
}
