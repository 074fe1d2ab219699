import { cleanText, countyIdSchema, deadLetterTopic, isCleanText, readingsSubmittedSchema, topics, type Issue } from '@county/contracts';
import { deadLetter, summarise, withTransaction, type Clock, type Outbox, type Pool } from '@county/platform';
import { parseReadingsTopic } from './domain/mqtt-topic.js';
import type { ReadingsIngest } from './ingest.js';

/** Names the dead letters of MQTT messages (the Kafka consumer is `coldchain.readings`). */
export const MQTT_CONSUMER = 'coldchain.mqtt-readings';

export interface MqttMessage {
  topic: string;
  payload: Buffer;
  /** The packet id, for the dead letter's `offset` (MQTT has no offsets). */
  messageId: number | undefined;
}

export type MqttOutcome =
  | { kind: 'stored'; stored: number; duplicates: number; refused: number }
  | { kind: 'dead_lettered'; reason: string };

export interface MqttMessageDeps {
  pool: Pool;
  outbox: Outbox;
  clock: Clock;
  ingest: ReadingsIngest;
  /** `TOPIC_PREFIX`: MQTT topics sit under it, as Kafka's do. */
  topicPrefix: string;
}

type Items = { ok: true; items: unknown[]; batch: boolean } | { ok: false; issues: Issue[] };

/** A payload is one reading, a batch `{ gatewayId?, readings: [...] }` as on Kafka, or a JSON array of readings. */
function itemsOf(payload: Buffer): Items {
  const text = payload.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, issues: [{ path: '', reason: `not JSON: ${(err as Error).message}` }] };
  }
  if (Array.isArray(json)) {
    const batch = readingsSubmittedSchema.safeParse({ readings: json });
    if (!batch.success) return { ok: false, issues: batch.error.issues.map((i) => ({ path: i.path.join('.'), reason: i.message })) };
    return { ok: true, items: json, batch: true };
  }
  if (json !== null && typeof json === 'object' && 'readings' in json) {
    const batch = readingsSubmittedSchema.safeParse(json);
    if (!batch.success) return { ok: false, issues: batch.error.issues.map((i) => ({ path: i.path.join('.'), reason: i.message })) };
    return { ok: true, items: batch.data.readings, batch: true };
  }
  return { ok: true, items: [json], batch: false };
}

/** An item without a containerId takes its topic's: a gateway need not repeat it. */
function withContainer(item: unknown, containerId: string): unknown {
  if (item !== null && typeof item === 'object' && !Array.isArray(item) && !('containerId' in item)) return { ...item, containerId };
  return item;
}

/**
 * One MQTT message to the end: its good readings stored, its bad ones (or the whole message, when it cannot be
 * read) dead-lettered to Kafka `coldchain.readings.dlq` with the reason — in one transaction, so the caller
 * acknowledges it to the broker only once both are durable. Throws only when Postgres is away (nothing done).
 */
export async function handleMqttMessage(deps: MqttMessageDeps, message: MqttMessage): Promise<MqttOutcome> {
  const place = parseReadingsTopic(deps.topicPrefix, message.topic);
  if (!place.ok) return deadLetterWhole(deps, message, undefined, [{ path: 'topic', reason: place.reason }]);
  const county = countyIdSchema.safeParse(place.countyId);
  if (!county.success) return deadLetterWhole(deps, message, place.containerId, [{ path: 'topic', reason: `county ${place.countyId}: ${county.error.issues[0]!.message}` }]);
  const parsed = itemsOf(message.payload);
  if (!parsed.ok) return deadLetterWhole(deps, message, place.containerId, parsed.issues);

  return withTransaction(deps.pool, async (tx) => {
    const judged = await deps.ingest.judge(tx, {
      countyId: place.countyId,
      items: parsed.items.map((item) => withContainer(item, place.containerId)),
      check: (reading) =>
        reading.containerId === place.containerId ? undefined : { path: 'containerId', reason: `${reading.containerId} is not the topic's container ${place.containerId}` },
    });
    const stored = await deps.ingest.store(tx, judged.accepted);
    if (judged.refused.length > 0) {
      const issues = judged.refused.flatMap((r) => r.issues.map((i) => ({ path: parsed.batch ? `readings.${r.index}${i.path ? `.${i.path}` : ''}` : i.path, reason: i.reason })));
      const reason = parsed.batch ? `${judged.refused.length} item(s) refused: ${summarise(issues)}` : `reading refused: ${summarise(issues)}`;
      await writeDeadLetter(deps, tx, message, place.containerId, {
        reason,
        issues,
        ...(parsed.batch && judged.accepted.length > 0 ? { failedIndexes: judged.refused.map((r) => r.index), itemsPath: 'readings' } : {}),
      });
    }
    return { kind: 'stored', stored: stored.length, duplicates: judged.accepted.length - stored.length, refused: judged.refused.length } as const;
  });
}

/** A message whose handling failed for a reason of its own (a bug): dead-lettered whole, with the error. */
export async function deadLetterFailure(deps: MqttMessageDeps, message: MqttMessage, err: Error): Promise<MqttOutcome> {
  const place = parseReadingsTopic(deps.topicPrefix, message.topic);
  return deadLetterWhole(deps, message, place.ok ? place.containerId : undefined, [{ path: '', reason: err.message }], 'handler failed');
}

async function deadLetterWhole(
  deps: MqttMessageDeps,
  message: MqttMessage,
  containerId: string | undefined,
  issues: Issue[],
  why = 'invalid message',
): Promise<MqttOutcome> {
  const reason = `${why}: ${summarise(issues)}`;
  await withTransaction(deps.pool, (tx) => writeDeadLetter(deps, tx, message, containerId, { reason, issues }));
  return { kind: 'dead_lettered', reason };
}

async function writeDeadLetter(
  deps: MqttMessageDeps,
  tx: Parameters<Outbox['add']>[0],
  message: MqttMessage,
  containerId: string | undefined,
  refusal: { reason: string; issues: Issue[]; failedIndexes?: number[]; itemsPath?: string },
): Promise<void> {
  const text = message.payload.toString('utf8');
  const storable = isCleanText(text) && Buffer.byteLength(text) === message.payload.length;
  await deps.outbox.add(tx, {
    topic: deadLetterTopic(topics.coldchainReadings.name),
    key: containerId ? cleanText(containerId) : 'unkeyed',
    event: deadLetter(
      {
        consumer: MQTT_CONSUMER,
        ...refusal,
        attempts: 1,
        original: {
          topic: cleanText(message.topic),
          partition: 0,
          offset: String(message.messageId ?? 0),
          key: null,
          value: storable ? text : null,
          ...(storable ? {} : { valueBase64: message.payload.toString('base64') }),
          headers: { transport: 'mqtt' },
          timestamp: String(deps.clock().getTime()),
        },
      },
      deps.clock(),
    ),
  });
}
