import { randomUUID } from 'node:crypto';
import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import type { DeadLetter } from './dead-letter.js';

export interface StoredDeadLetter {
  partition: number;
  offset: string;
  record: DeadLetter;
}

/** Reads every record of a dead-letter topic, oldest first, without joining a consumer group. */
export async function readDeadLetters(kafka: Kafka, topic: string): Promise<StoredDeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = (await admin.fetchTopicOffsets(topic)).filter((p) => BigInt(p.high) > BigInt(p.low));
    if (ends.length === 0) return [];
    const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}`, allowAutoTopicCreation: false });
    const records: StoredDeadLetter[] = [];
    const remaining = new Map(ends.map((p) => [p.partition, BigInt(p.high) - 1n]));
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              if (message.value) records.push({ partition, offset: message.offset, record: JSON.parse(message.value.toString('utf8')) as DeadLetter });
              if (BigInt(message.offset) >= (remaining.get(partition) ?? -1n)) remaining.delete(partition);
              if (remaining.size === 0) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await admin.disconnect();
  }
}

/**
 * The message to send back to the original topic. A whole message goes back as it was (same event
 * id: the consumer never recorded it as applied). For a partly applied batch only the refused
 * items go back, as a new event correlated to the original, since the original id is in the inbox.
 */
export function replayMessage(stored: StoredDeadLetter, dlqTopic: string): { topic: string; message: Message } {
  const { record } = stored;
  const headers = { ...record.original.headers, 'x-replayed-from': `${dlqTopic}/${stored.partition}/${stored.offset}` };
  let value = record.original.value;
  if (record.failedIndexes && record.itemsPath && value) {
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
