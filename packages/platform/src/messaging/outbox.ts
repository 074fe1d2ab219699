import { cleanText, type OutboxEntry } from '@county/contracts';
import { signalOutboxWrite, type Queryable } from '../postgres.js';

export interface Outbox {
  /** Writes the event in the caller's transaction; the relay publishes it after commit. */
  add(tx: Queryable, entry: OutboxEntry): Promise<void>;
  /** Same, for several events, in the given order. */
  addMany(tx: Queryable, entries: OutboxEntry[]): Promise<void>;
  /**
   * The same insert as one part of the caller's own data-modifying statement (`WITH written AS
   * (INSERT … RETURNING id), events AS (<part>) …`), so that state and the events about it are
   * written in one round trip (issue #8: every round trip of a request waited for the event loop
   * again under bulk load). Each entry is written only when its `guard` is among the ids the CTE
   * named `guardedBy` returned, e.g. only the events of the rows an `ON CONFLICT DO NOTHING`
   * inserted. The caller runs the statement, then calls `signalOutboxWrite(tx)`.
   */
  insertPart(entries: readonly GuardedEntry[], at: { firstParam: number; guardedBy: string }): StatementPart;
}

/** An outbox entry written only if `guard` is among the ids of the caller's write. */
export interface GuardedEntry {
  guard: string;
  entry: OutboxEntry;
}

/** SQL with its parameters, `$firstParam` onwards, for the caller to place into a statement of its own. */
export interface StatementPart {
  sql: string;
  values: unknown[];
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

/** The outbox's INSERT, parameters from `$first`; with `guardedBy`, of the rows whose guard that CTE returned. */
function insertSql(first: number, guardedBy?: string): string {
  const p = (i: number) => `$${first + i}`;
  const guard = guardedBy ? { column: `, ${p(5)}::text[]`, name: 'guard, ', where: `WHERE t.guard IN (SELECT id::text FROM ${guardedBy})` } : { column: '', name: '', where: '' };
  // ORDER BY the array position so seq follows the caller's order.
  return `INSERT INTO outbox (event_id, topic, key, payload, headers)
       SELECT event_id, topic, key, payload, headers
       FROM unnest(${p(0)}::uuid[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::jsonb[], ${p(4)}::jsonb[]${guard.column})
         WITH ORDINALITY AS t(event_id, topic, key, payload, headers, ${guard.name}n)
       ${guard.where}
       ORDER BY n`;
}

export function createOutbox({ topicPrefix }: { topicPrefix: string }): Outbox {
  const columns = (entries: readonly OutboxEntry[]): unknown[] => [
    entries.map((e) => e.event.id),
    entries.map((e) => `${topicPrefix}${e.topic}`),
    entries.map((e) => e.key),
    entries.map((e) => storableJson(e.event)),
    entries.map((e) => JSON.stringify(e.headers ?? {})),
  ];
  const addMany = async (tx: Queryable, entries: OutboxEntry[]): Promise<void> => {
    if (entries.length === 0) return;
    await tx.query(insertSql(1), columns(entries));
    signalOutboxWrite(tx);
  };
  return {
    add: (tx, entry) => addMany(tx, [entry]),
    addMany,
    insertPart: (entries, { firstParam, guardedBy }) => ({
      sql: insertSql(firstParam, guardedBy),
      values: [...columns(entries.map((e) => e.entry)), entries.map((e) => e.guard)],
    }),
  };
}
