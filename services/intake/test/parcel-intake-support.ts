import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createLogger, type Kafka, type Logger } from '@county/platform';

/** What the parcel-intake suites share: parcels as couriers send them, logs and topics to read. */

export function freshPhone(): string {
  return `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

export function freshWaybillNo(prefix = 'ZT'): string {
  return `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** A 12-digit village code no station serves. */
export function unservedVillageCode(): string {
  return `9${String(randomInt(0, 100_000_000_000)).padStart(11, '0')}`;
}

export interface ContractInput {
  waybill?: string;
  stationId?: string;
  villageCode?: string;
  weightKg?: number;
  phone?: string;
  name?: string;
  [extra: string]: unknown;
}

/** A downstream parcel contract as a courier sends it. */
export function contract({ waybill, stationId, villageCode, weightKg = 2, phone, name = '李小红', ...extra }: ContractInput = {}) {
  return {
    waybill: waybill ?? freshWaybillNo(),
    destination: villageCode ? { villageCode } : { stationId: stationId ?? 'st-village-a' },
    weightKg,
    recipient: { name, phone: phone ?? freshPhone() },
    ...extra,
  };
}

/** The phones among `phones` that appear anywhere in `text`, as whole or part of a run of digits. */
export function phonesIn(text: string, phones: readonly string[]): string[] {
  const present = new Set<string>();
  for (const run of text.match(/\d{11,}/g) ?? []) for (let i = 0; i + 11 <= run.length; i++) present.add(run.slice(i, i + 11));
  return phones.filter((phone) => present.has(phone));
}

/** A logger at debug level whose every line is kept, to check what was (never) logged. */
export function capturedLogger(service = 'intake'): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger({ service, level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, text: () => lines.join('') };
}

export interface TopicMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: Record<string, unknown>;
}

/** Every message of a topic, oldest first per partition, without joining a consumer group for long. */
export async function readTopic(kafka: Kafka, topic: string): Promise<TopicMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = (await admin.fetchTopicOffsets(topic)).filter((p) => BigInt(p.high) > BigInt(p.low));
    if (ends.length === 0) return [];
    const remaining = new Map(ends.map((p) => [p.partition, BigInt(p.high) - 1n]));
    const consumer = kafka.consumer({ groupId: `topic-reader-${randomUUID()}`, allowAutoTopicCreation: false });
    const messages: TopicMessage[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              if (message.value) {
                messages.push({
                  partition,
                  offset: message.offset,
                  key: message.key?.toString() ?? null,
                  value: JSON.parse(message.value.toString('utf8')) as Record<string, unknown>,
                });
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
    return messages;
  } finally {
    await admin.disconnect();
  }
}
