import { cleanText, deadLetterTopic, isCleanText, parseEnvelope, type Envelope, type Issue } from '@county/contracts';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { MessageMeta } from './message.js';
import type { Logger } from '../logger.js';
import { MAX_BULK_WAIT_MS, timeSlices, type Pacer } from '../pacer.js';
import { afterCommit, withTransaction, type Pool, type PoolClient } from '../postgres.js';
import { applyRun, collectRun, type RunItem } from './consumer-runs.js';
import { deadLetter, summarise, type OriginalMessage } from './dead-letter.js';
import { isOutage } from './outage.js';
import type { Outbox } from './outbox.js';
import { supervise, type ConsumerState } from './supervisor.js';

/** The domain refuses this event (or these items): it is poison, not an outage. */
export class RejectedError extends Error {
  constructor(
    message: string,
    readonly issues: Issue[] = [{ path: '', reason: message }],
  ) {
    super(message);
    this.name = 'RejectedError';
  }
}

export interface HandlerResult {
  /** Batch items the domain refused; the others were applied in the same transaction. */
  rejected?: { index: number; issues: Issue[] }[];
}

export interface EventHandler {
  /**
   * Runs in a transaction that also records the event id in the inbox. `message` (the key as sent,
   * the topic as on the broker) lets a handler check the key against the envelope (#8: a courier's
   * manifest is keyed by the courier it comes from).
   */
  handle: (tx: PoolClient, envelope: Envelope, message: MessageMeta) => Promise<HandlerResult | void>;
  /** For batch events: where the items sit in `data` (e.g. `parcels`), so replays send only refused ones. */
  itemsPath?: string;
  /**
   * Runs in the transaction that dead-letters an event `handle` refused (threw RejectedError), so
   * the sender can be told through the outbox exactly when the dead letter is written.
   */
  refused?: (tx: PoolClient, envelope: Envelope, refusal: { reason: string; issues: Issue[] }) => Promise<void>;
  /**
   * Optional, for events that are many and small (a read model's): applies several events at once, in one
   * transaction with their inbox rows (consumer-runs.ts). The runner hands it the new events of consecutive
   * messages of a partition, in offset order, duplicates left out. Its effect must be that of `handle` on each
   * in turn; when it throws anything but an outage, the runner goes through those messages one at a time with
   * `handle`, so a bad event is dead-lettered alone and the others are applied.
   */
  handleMany?: ManyHandler;
}

export type ManyHandler = (tx: PoolClient, events: { envelope: Envelope; message: MessageMeta }[]) => Promise<void>;

export interface EventConsumerSettings {
  /** Names the inbox and (with the group prefix) the consumer group. */
  name: string;
  kafka: Kafka;
  pool: Pool;
  outbox: Outbox;
  logger: Logger;
  topicPrefix: string;
  groupPrefix: string;
  /** Logical topic names. */
  topics: string[];
  handlers: Record<string, EventHandler>;
  sessionTimeout: number;
  /** Attempts before a message the handler refuses goes to the dead-letter topic. */
  maxAttempts?: number;
  fromBeginning?: boolean;
  /** Where to count outcomes and outage pauses. */
  metrics?: Registry;
  /** Each message waits for the service's HTTP requests in flight first (pacer.ts); none by default. */
  pacer?: Pacer;
  /** Stamps dead letters; the runtime's clock. */
  clock: Clock;
}


export interface EventConsumer {
  /** Down while a crashed consumer is being replaced (readiness and `consumer_up` report it). */
  state(): ConsumerState;
  stop(): Promise<void>;
}

type Outcome =
  | { kind: 'applied' | 'duplicate' | 'ignored' }
  | { kind: 'poison'; reason: string; issues: Issue[]; final: boolean; tell?: (tx: PoolClient) => Promise<void> }
  | { kind: 'outage'; error: Error };

const MAX_OUTAGE_BACKOFF_MS = 30_000;

/**
 * Consumes events effectively once (docs/architecture.md §3): each event is applied in one transaction with
 * its inbox row, and its offset is committed only after that transaction commits. Poison goes to
 * `<topic>.dlq` through the outbox (so a dead letter is never lost either); an outage pauses the
 * partition at the failed message and retries with backoff, without limit.
 */
export async function startEventConsumer(settings: EventConsumerSettings): Promise<EventConsumer> {
  const { name, kafka, pool, outbox, topicPrefix, clock, maxAttempts = 3 } = settings;
  const log = settings.logger.child({ component: 'consumer', consumer: name });
  const counters = consumerCounters(settings.metrics);
  const outageAttempts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  const apply = async (topic: string, partition: number, message: KafkaMessage): Promise<Outcome> => {
    const original = originalOf(topic, partition, message);
    const parsed = parse(message.value);
    if (!parsed.ok) return { kind: 'poison', reason: `invalid event: ${summarise(parsed.issues)}`, issues: parsed.issues, final: true };
    const envelope = parsed.value;
    const handler = settings.handlers[envelope.type];
    if (!handler) return { kind: 'ignored' };
    try {
      return await withTransaction(pool, async (tx) => {
        const inserted = await tx.query('INSERT INTO inbox (consumer, event_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
          name,
          envelope.id,
          topic,
        ]);
        if (inserted.rowCount === 0) return { kind: 'duplicate' } as const;
        const result = await handler.handle(tx, envelope, { key: original.key, topic, partition, offset: message.offset });
        if (result?.rejected?.length) {
          const issues = result.rejected.flatMap((r) => r.issues.map((i) => ({ path: `${r.index}${i.path ? `.${i.path}` : ''}`, reason: i.reason })));
          await outbox.add(tx, {
            topic: `${topic.slice(topicPrefix.length)}.dlq`,
            key: message.key ? cleanText(message.key.toString()) : envelope.subject,
            event: deadLetter({
              consumer: name,
              reason: `${result.rejected.length} item(s) refused: ${summarise(issues)}`,
              issues,
              failedIndexes: result.rejected.map((r) => r.index),
              ...(handler.itemsPath ? { itemsPath: handler.itemsPath } : {}),
              attempts: 1,
              original,
            }, clock()),
          });
          afterCommit(tx, () => counters?.deadLetters.inc({ topic: topic.slice(topicPrefix.length) }));
        }
        return { kind: 'applied' } as const;
      });
    } catch (err) {
      if (isOutage(err)) return { kind: 'outage', error: err as Error };
      if (err instanceof RejectedError) {
        const refusal = { reason: err.message, issues: err.issues };
        const tell = handler.refused && ((tx: PoolClient) => handler.refused!(tx, envelope, refusal));
        return { kind: 'poison', ...refusal, final: false, ...(tell ? { tell } : {}) };
      }
      log.error({ err, eventId: envelope.id, type: envelope.type }, 'handler failed');
      return { kind: 'poison', reason: `handler failed: ${(err as Error).message}`, issues: [{ path: '', reason: (err as Error).message }], final: false };
    }
  };

  const sendToDeadLetters = async (topic: string, partition: number, message: KafkaMessage, outcome: Extract<Outcome, { kind: 'poison' }>, attempts: number) => {
    await withTransaction(pool, async (tx) => {
      await outbox.add(tx, {
        topic: deadLetterTopic(topic.slice(topicPrefix.length)),
        key: message.key ? cleanText(message.key.toString()) : 'unkeyed',
        event: deadLetter({ consumer: name, reason: outcome.reason, issues: outcome.issues, attempts, original: originalOf(topic, partition, message) }, clock()),
      });
      await outcome.tell?.(tx);
    });
    counters?.deadLetters.inc({ topic: topic.slice(topicPrefix.length) });
    log.warn({ topic, partition, offset: message.offset, reason: outcome.reason }, 'dead-lettered');
  };

  /** Handles one message to the end: applied, skipped, dead-lettered — or an outage to wait out. */
  const settle = async (topic: string, partition: number, message: KafkaMessage): Promise<Error | undefined> => {
    for (let attempt = 1; ; attempt++) {
      const outcome = await apply(topic, partition, message);
      if (outcome.kind === 'outage') return outcome.error;
      if (outcome.kind !== 'poison') {
        counters?.messages.inc({ consumer: name, outcome: outcome.kind });
        return undefined;
      }
      if (!outcome.final && attempt < maxAttempts) continue;
      try {
        await sendToDeadLetters(topic, partition, message, outcome, attempt);
        counters?.messages.inc({ consumer: name, outcome: 'dead_lettered' });
        return undefined;
      } catch (err) {
        return err as Error;
      }
    }
  };

  /** One kafkajs consumer, from connect until it crashes or is stopped; the supervisor replaces it. */
  const startSession = async (onCrash: (error: Error) => void): Promise<Consumer> => {
    const consumer = kafka.consumer({
      groupId: `${settings.groupPrefix}${name}`,
      sessionTimeout: settings.sessionTimeout,
      heartbeatInterval: Math.floor(settings.sessionTimeout / 4),
      // Stopping waits for the fetch in flight: at kafkajs's 5 s default, a service with three
      // consumers (intake) overran SHUTDOWN_TIMEOUT_MS. A fetch with records returns at once anyway.
      maxWaitTimeInMs: 1000,
      allowAutoTopicCreation: false,
      // Retriable errors are retried inside kafkajs without limit; on any other it gives up on this
      // consumer, and the supervisor starts a new one, with its own backoff.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 30_000, restartOnFailure: async () => false },
    });
    let joinedOnce = false;
    const joined = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.GROUP_JOIN, () => {
        joinedOnce = true;
        resolve();
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        // Pauses and their timers belong to the dead consumer; its replacement starts at the committed offsets.
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        if (joinedOnce) onCrash(payload.error);
        else reject(payload.error);
      });
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: settings.topics.map((t) => `${topicPrefix}${t}`), fromBeginning: settings.fromBeginning ?? true });
      await consumer.run({ eachBatchAutoResolve: false, eachBatch: (payload) => eachBatch(consumer, payload) });
      await joined;
    } catch (err) {
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
    return consumer;
  };

  const slices = settings.pacer ? timeSlices(settings.pacer, { maxWaitMs: MAX_BULK_WAIT_MS }) : undefined;

  /** Applies a run in one transaction: `applied`, an outage to wait out, or `singly` when an event in it fails. */
  const settleRun = async (topic: string, run: readonly RunItem[]): Promise<{ kind: 'applied' } | { kind: 'singly' } | { kind: 'outage'; error: Error }> => {
    try {
      const counts = await withTransaction(pool, (tx) => applyRun(tx, name, topic, run));
      counters?.messages.inc({ consumer: name, outcome: 'applied' }, counts.applied);
      if (counts.duplicate > 0) counters?.messages.inc({ consumer: name, outcome: 'duplicate' }, counts.duplicate);
      return { kind: 'applied' };
    } catch (err) {
      if (isOutage(err)) return { kind: 'outage', error: err as Error };
      log.debug({ err, from: run[0]!.meta.offset, to: run.at(-1)!.meta.offset }, 'a run failed; applying its messages one at a time');
      return { kind: 'singly' };
    }
  };

  const eachBatch = async (consumer: Consumer, { batch, resolveOffset, heartbeat, pause, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload) => {
    const { topic, partition } = batch;
    const partitionKey = `${topic}:${partition}`;
    // A manifest may take longer than the session timeout (a slow database, a busy service): keep
    // the group membership alive meanwhile, or the partition moves and the work is done twice.
    const beating = <T>(work: Promise<T>) => {
      const interval = setInterval(() => void heartbeat().catch(() => undefined), Math.max(500, Math.floor(settings.sessionTimeout / 4)));
      return work.finally(() => clearInterval(interval));
    };
    const done = async (offset: string) => {
      outageAttempts.delete(partitionKey);
      resolveOffset(offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    };
    // Messages before this index are handled one at a time: a run holding them failed.
    let singlyUntil = 0;
    for (let i = 0; i < batch.messages.length; ) {
      if (!isRunning() || isStale()) return;
      await slices?.checkpoint();
      if (!isRunning() || isStale()) return;
      const run = i >= singlyUntil ? collectRun(topic, partition, batch.messages, i, settings.handlers, parse) : [];
      if (run.length > 1) {
        const outcome = await beating(settleRun(topic, run));
        if (outcome.kind === 'outage') {
          waitOutOutage(consumer, { topic, partition, offset: run[0]!.meta.offset }, pause, outcome.error);
          return;
        }
        if (outcome.kind === 'applied') {
          await done(run.at(-1)!.meta.offset);
          i += run.length;
        } else {
          singlyUntil = i + run.length;
        }
        continue;
      }
      const message = batch.messages[i]!;
      const outage = await beating(settle(topic, partition, message));
      if (outage) {
        waitOutOutage(consumer, { topic, partition, offset: message.offset }, pause, outage);
        return;
      }
      await done(message.offset);
      i++;
    }
  };

  function waitOutOutage(
    c: Consumer,
    at: { topic: string; partition: number; offset: string },
    pause: () => () => void,
    error: Error,
  ): void {
    const key = `${at.topic}:${at.partition}`;
    const attempts = (outageAttempts.get(key) ?? 0) + 1;
    outageAttempts.set(key, attempts);
    const delay = Math.min(250 * 2 ** attempts, MAX_OUTAGE_BACKOFF_MS);
    counters?.outagePauses.inc({ consumer: name });
    if (attempts === 1) log.warn({ err: error.message, ...at }, 'infrastructure unavailable; pausing partition and retrying');
    const resume = pause();
    // Next fetch starts again at the message that could not be applied: nothing skipped, nothing lost.
    c.seek(at);
    const timer = setTimeout(() => {
      timers.delete(timer);
      resume();
    }, delay);
    timers.add(timer);
  }

  const supervised = await supervise({ name, logger: settings.logger, metrics: settings.metrics, start: startSession });
  log.info({ topics: settings.topics }, 'consumer joined');
  return {
    state: () => supervised.state(),
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      await supervised.stop();
    },
  };
}

function consumerCounters(registry: Registry | undefined) {
  if (!registry) return undefined;
  const existing = (metric: string) => registry.getSingleMetric(metric) as Counter<'consumer' | 'outcome'> | undefined;
  return {
    messages:
      existing('consumer_messages_total') ??
      new Counter({ name: 'consumer_messages_total', help: 'Messages consumed, by outcome', labelNames: ['consumer', 'outcome'], registers: [registry] }),
    deadLetters:
      (registry.getSingleMetric('dead_letters_total') as Counter<'topic'> | undefined) ??
      new Counter({ name: 'dead_letters_total', help: 'Dead letters written, by the topic their message came from', labelNames: ['topic'], registers: [registry] }),
    outagePauses:
      existing('consumer_outage_pauses_total') ??
      new Counter({
        name: 'consumer_outage_pauses_total',
        help: 'Times a partition was paused because Postgres, Redis or the broker was unavailable',
        labelNames: ['consumer'],
        registers: [registry],
      }),
  };
}

function parse(value: Buffer | null): { ok: true; value: Envelope } | { ok: false; issues: Issue[] } {
  if (!value) return { ok: false, issues: [{ path: '', reason: 'empty message' }] };
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { ok: false, issues: [{ path: '', reason: `not JSON: ${(err as Error).message}` }] };
  }
  return parseEnvelope(json);
}

/**
 * The message as a dead letter keeps it. Whatever a producer sent must be storable (the dead letter
 * goes through the outbox's jsonb): a value that is not clean UTF-8 text is kept byte for byte in
 * base64, so a replay sends exactly what came; a key or header that is not is kept readable.
 */
function originalOf(topic: string, partition: number, message: KafkaMessage): OriginalMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[cleanText(k)] = cleanText(String(v));
  const text = message.value?.toString('utf8');
  const storable = text !== undefined && isCleanText(text) && Buffer.byteLength(text) === message.value!.length;
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? cleanText(message.key.toString()) : null,
    value: storable ? text : null,
    ...(message.value && !storable ? { valueBase64: message.value.toString('base64') } : {}),
    headers,
    timestamp: message.timestamp,
  };
}
