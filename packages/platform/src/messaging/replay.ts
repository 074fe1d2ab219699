import { randomUUID } from 'node:crypto';
import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import type { DeadLetter } from './dead-letter.js';

export interface StoredDeadLetter {
  partition: number;
  offset: string;
  record: DeadLetter;
}

export interface TopicMessage<T = unknown> {
  partition: number;
  offset: string;
  key: string | null;
  /** The message parsed as JSON. */
  value: T;
}

/**
 * Every message of a topic up to its end when called, oldest first per partition, without joining
 * a consumer group for long: for operators' tools (dead letters) and tests that check a topic.
 */
export async function readTopic<T = unknown>(kafka: Kafka, topic: string): Promise<TopicMessage<T>[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = (await admin.fetchTopicOffsets(topic)).filter((p) => BigInt(p.high) > BigInt(p.low));
    if (ends.length === 0) return [];
    const consumer = kafka.consumer({ groupId: `topic-reader-${randomUUID()}`, allowAutoTopicCreation: false });
    const messages: TopicMessage<T>[] = [];
    const remaining = new Map(ends.map((p) => [p.partition, BigInt(p.high) - 1n]));
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              if (message.value) {
                let value: T;
                try {
                  value = JSON.parse(message.value.toString('utf8')) as T;
                } catch (err) {
                  // Thrown here, kafkajs would retry the message for ever and the caller would wait.
                  reject(new Error(`${topic} partition ${partition} offset ${message.offset} is not JSON: ${(err as Error).message}`));
                  return;
                }
                messages.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value });
              }
              if (BigInt(message.offset) >= (remaining.get(partition) ?? -1n)) remaining.delete(partition);
              if (remaining.size === 0) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await admin.disconnect();
  }
}

/** Every record of a dead-letter topic, oldest first. */
export async function readDeadLetters(kafka: Kafka, topic: string): Promise<StoredDeadLetter[]> {
  return (await readTopic<DeadLetter>(kafka, topic)).map(({ partition, offset, value }) => ({ partition, offset, record: value }));
}

/**
 * The message to send back to the original topic. A whole message goes back as it was (same event
 * id: the consumer never recorded it as applied). For a partly applied batch only the refused
 * items go back, as a new event correlated to the original, since the original id is in the inbox.
 */
export function replayMessage(stored: StoredDeadLetter, dlqTopic: string): { topic: string; message: Message } {
  const { record } = stored;
  const headers = { ...record.original.headers, 'x-replayed-from': `${dlqTopic}/${stored.partition}/${stored.offset}` };
  let value: string | Buffer | null = record.original.valueBase64 ? Buffer.from(record.original.valueBase64, 'base64') : record.original.value;
  if (typeof value === 'string' && record.failedIndexes && record.itemsPath) {
    const envelope = JSON.parse(value) as { id: string; correlationId?: string; data: Record<string, unknown> };
    const items = envelope.data[record.itemsPath];
    if (!Array.isArray(items)) throw new Error(`dead letter ${stored.offset}: data.${record.itemsPath} is not a list`);
    value = JSON.stringify({
      ...envelope,
      id: randomUUID(),
      correlationId: envelope.correlationId ?? envelope.id,
      data: { ...envelope.data, [record.itemsPath]: record.failedIndexes.map((i) => items[i]) },
    });
  }
  return { topic: record.original.topic, message: { key: record.original.key, value, headers } };
}

export async function replayDeadLetters(producer: Producer, dlqTopic: string, chosen: StoredDeadLetter[]): Promise<number> {
  for (const stored of chosen) {
    const { topic, message } = replayMessage(stored, dlqTopic);
    await producer.send({ topic, messages: [message], compression: CompressionTypes.GZIP, acks: -1 });
  }
  return chosen.length;
}
