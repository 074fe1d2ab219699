import { cleanText, type Envelope } from '@county/contracts';
import type { KafkaMessage } from 'kafkajs';
import type { PoolClient } from '../postgres.js';
import type { EventHandler, ManyHandler } from './consumer-runner.js';
import type { MessageMeta } from './message.js';

/**
 * Runs: consecutive messages of one partition applied in one transaction, for handlers that can apply several
 * events at once (`EventHandler.handleMany`). One event per transaction costs a commit each (a WAL flush):
 * a read model folding every parcel event (dispatch, issue #10) managed about 250 events/s that way. Per-key
 * order holds: a run is consecutive offsets of one partition, handed over in offset order.
 */

/** Messages per run at most: a run is one transaction and one offset commit. */
export const MAX_RUN = 500;

export interface RunItem {
  envelope: Envelope;
  meta: MessageMeta;
  handler: EventHandler & { handleMany: ManyHandler };
}

/**
 * The messages from `start` on that can go in one run: each a valid event whose handler applies several at once,
 * up to `MAX_RUN`. Anything else (poison, a type without a handler, a handler without `handleMany`) ends it, and
 * is handled on its own as before.
 */
export function collectRun(
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
  start: number,
  handlers: Readonly<Record<string, EventHandler>>,
  parse: (value: Buffer | null) => { ok: true; value: Envelope } | { ok: false },
): RunItem[] {
  const run: RunItem[] = [];
  for (let i = start; i < messages.length && run.length < MAX_RUN; i++) {
    const message = messages[i]!;
    const parsed = parse(message.value);
    if (!parsed.ok) break;
    const handler = handlers[parsed.value.type];
    if (!handler?.handleMany) break;
    const meta = { topic, partition, offset: message.offset, key: message.key ? cleanText(message.key.toString()) : null };
    run.push({ envelope: parsed.value, meta, handler: handler as RunItem['handler'] });
  }
  return run;
}

/**
 * Applies a run with its inbox rows in the caller's transaction: every event id not in the inbox yet is recorded,
 * and those events (the first copy of an id the run holds twice) go to their handlers' `handleMany`, consecutive
 * events of one handler together, in offset order. Returns how many were applied and how many were duplicates.
 */
export async function applyRun(tx: PoolClient, consumer: string, topic: string, run: readonly RunItem[]): Promise<{ applied: number; duplicate: number }> {
  const { rows } = await tx.query<{ event_id: string }>(
    `INSERT INTO inbox (consumer, event_id, topic) SELECT $1, id, $3 FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, run.map((item) => item.envelope.id), topic],
  );
  const fresh = new Set(rows.map((r) => r.event_id));
  const groups: { handler: ManyHandler; events: { envelope: Envelope; message: MessageMeta }[] }[] = [];
  for (const item of run) {
    // Postgres answers uuids in lower case; an envelope may carry one in upper case.
    if (!fresh.delete(item.envelope.id.toLowerCase())) continue;
    const last = groups.at(-1);
    if (last?.handler === item.handler.handleMany) last.events.push({ envelope: item.envelope, message: item.meta });
    else groups.push({ handler: item.handler.handleMany, events: [{ envelope: item.envelope, message: item.meta }] });
  }
  let applied = 0;
  for (const group of groups) {
    await group.handler(tx, group.events);
    applied += group.events.length;
  }
  return { applied, duplicate: run.length - applied };
}
