import { cleanText, type OutboxEntry } from '@county/contracts';
import { signalOutboxWrite, type Queryable } from '../postgres.js';

export interface Outbox {
  /** Writes the event in the caller's transaction; the relay publishes it after commit. */
  add(tx: Queryable, entry: OutboxEntry): Promise<void>;
  /** Same, for several events, in the given order. */
  addMany(tx: Queryable, entries: OutboxEntry[]): Promise<void>;
}

/** `\u0000`–`\u001f` and lone surrogates as JSON.stringify escapes them: jsonb refuses NUL and lone surrogates. */
const SUSPECT_ESCAPE = /\\u(00[01][0-9a-f]|d[89a-f][0-9a-f]{2})/i;

/**
 * The event as JSON that Postgres's jsonb accepts. Contracts refuse such text on the way in
 * (textSchema); this is the last guard, so that an event quoting bad input can never make the
 * transaction that writes it fail (a consumer would retry it forever). Clean events, nearly all,
 * pay for one regex test.
 */
function storableJson(event: unknown): string {
  const json = JSON.stringify(event);
  if (!SUSPECT_ESCAPE.test(json)) return json;
  return JSON.stringify(event, (_key, value: unknown) => (typeof value === 'string' ? cleanText(value) : value));
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
        entries.map((e) => storableJson(e.event)),
        entries.map((e) => JSON.stringify(e.headers ?? {})),
      ],
    );
    signalOutboxWrite(tx);
  };
  return { add: (tx, entry) => addMany(tx, [entry]), addMany };
}
