import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import { kcatConsume, kcatProduce, type KcatCodec } from '../../../tests/support/kcat.js';
import { createKafka, createProducer, ensureTopics, readTopic, topicConfigs, type Kafka, type Producer } from '../src/index.js';
import { CompressionTypes } from 'kafkajs';

// Issue #8: a snappy batch from kcat stopped intake's consumer ("Snappy compression not
// implemented"). Every codec a standard producer may use must be readable by the platform's
// clients, and what the platform compresses must be readable by a standard client.
const iso = isolation();
const config = testConfig(iso);
const brokers = config.KAFKA_BROKERS.join(',');
let kafka: Kafka;
let producer: Producer;

const codecs: { codec: KcatCodec; type: CompressionTypes }[] = [
  { codec: 'none', type: CompressionTypes.None },
  { codec: 'gzip', type: CompressionTypes.GZIP },
  { codec: 'snappy', type: CompressionTypes.Snappy },
  { codec: 'lz4', type: CompressionTypes.LZ4 },
  { codec: 'zstd', type: CompressionTypes.ZSTD },
];

/** Values repetitive enough that each codec really compresses them, with Chinese text. */
const values = (codec: string) => Array.from({ length: 50 }, (_, i) => JSON.stringify({ codec, i, note: `黄桃 ${codec} `.repeat(40) }));

async function freshTopic(name: string): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [config] = topicConfigs({ prefix: iso.topicPrefix, partitions: 1, replicationFactor: 1, maxMessageBytes: 1 << 24 }, [{ name, description: '', key: '', compacted: false }]);
    await ensureTopics(admin, [config!]);
    return config!.topic;
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `test-${iso.id}`, logger: testLogger() });
  producer = createProducer(kafka);
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
});

describe('compression codecs', () => {
  it.each(codecs)('reads what kcat publishes with $codec', async ({ codec }) => {
    const topic = await freshTopic(`kcat-${codec}`);
    const sent = values(codec).map((value, i) => ({ key: `courier-${i % 3}`, value }));
    await kcatProduce({ brokers, topic, codec, messages: sent });
    const read = await readTopic<unknown>(kafka, topic);
    expect(read.map((m) => ({ key: m.key, value: JSON.stringify(m.value) }))).toEqual(sent);
  });

  it.each(codecs)('publishes with $codec so that kcat reads it', async ({ codec, type }) => {
    const topic = await freshTopic(`kafkajs-${codec}`);
    const sent = values(codec).map((value, i) => ({ key: `courier-${i % 3}`, value }));
    await producer.send({ topic, messages: sent, compression: type, acks: -1 });
    expect(await kcatConsume({ brokers, topic })).toEqual(sent);
  });
});
