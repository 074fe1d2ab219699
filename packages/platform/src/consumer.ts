import { parseEnvelope, type Envelope, type Issue } from '@county/contracts';
import type { Kafka } from 'kafkajs';
import type { Logger } from './logger.js';

export interface MessageMeta {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
}

export interface ConsumerSettings {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  sessionTimeout: number;
  fromBeginning?: boolean;
  handle: (envelope: Envelope, meta: MessageMeta) => Promise<void>;
  /** What to do with a message that is not a valid event. */
  onInvalid: (raw: Buffer | null, issues: Issue[], meta: MessageMeta) => Promise<void>;
}

export interface RunningConsumer {
  stop: () => Promise<void>;
}

function decode(value: Buffer | null): { ok: true; value: unknown } | { ok: false; issues: Issue[] } {
  if (!value) return { ok: false, issues: [{ path: '', reason: 'empty message' }] };
  try {
    return { ok: true, value: JSON.parse(value.toString('utf8')) };
  } catch (err) {
    return { ok: false, issues: [{ path: '', reason: `not JSON: ${(err as Error).message}` }] };
  }
}

/**
 * Subscribes a consumer group and hands each valid envelope to `handle`, in order per partition.
 * Resolves once the group has been joined, so callers (and tests) can publish knowing it listens.
 */
export async function startConsumer(settings: ConsumerSettings): Promise<RunningConsumer> {
  const consumer = settings.kafka.consumer({
    groupId: settings.groupId,
    sessionTimeout: settings.sessionTimeout,
    heartbeatInterval: Math.floor(settings.sessionTimeout / 4),
    allowAutoTopicCreation: false,
  });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
  });
  await consumer.connect();
  await consumer.subscribe({ topics: settings.topics, fromBeginning: settings.fromBeginning ?? true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const meta: MessageMeta = { topic, partition, offset: message.offset, key: message.key?.toString() ?? null };
      const decoded = decode(message.value);
      const parsed = decoded.ok ? parseEnvelope(decoded.value) : decoded;
      if (!parsed.ok) {
        await settings.onInvalid(message.value, parsed.issues, meta);
        return;
      }
      await settings.handle(parsed.value, meta);
    },
  });
  await joined;
  settings.logger.info({ groupId: settings.groupId, topics: settings.topics }, 'consumer joined');
  return { stop: () => consumer.disconnect() };
}
