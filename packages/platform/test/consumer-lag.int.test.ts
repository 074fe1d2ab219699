import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import { createKafka, createMetricsRegistry, createProducer, ensureTopics, publish, topicConfigs, trackConsumerLag, type Admin, type Producer } from '../src/index.js';

const iso = isolation();
const config = testConfig(iso);
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'lag-test', logger: testLogger() });
const topic = 'courier.manifests';
const groupId = `${iso.groupPrefix}lag`;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicConfigs({ prefix: iso.topicPrefix, partitions: 1, replicationFactor: 1, maxMessageBytes: config.KAFKA_MAX_MESSAGE_BYTES }));
  producer = createProducer(kafka);
  await producer.connect();
  await publish(producer, `${iso.topicPrefix}${topic}`, ['a', 'b', 'c'].map((value) => ({ key: 'k', value })));
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
});

/** The lag series of the scrape, by label set. */
async function lagOf(registry: ReturnType<typeof createMetricsRegistry>) {
  const metric = await registry.getSingleMetric('kafka_consumer_lag')!.get();
  return metric.values.map((v) => ({ ...v.labels, lag: v.value }));
}

describe('kafka_consumer_lag', () => {
  it('is what the group has not committed, per partition, read from the broker at each scrape', async () => {
    const registry = createMetricsRegistry('test');
    const untrack = trackConsumerLag(registry, kafka, { consumer: 'intake.lag', groupId, topicPrefix: iso.topicPrefix, topics: [topic] });
    try {
      // Nothing committed yet: everything on the partition is behind.
      expect(await lagOf(registry)).toEqual([{ consumer: 'intake.lag', topic, partition: '0', lag: 3 }]);
      await admin.setOffsets({ groupId, topic: `${iso.topicPrefix}${topic}`, partitions: [{ partition: 0, offset: '2' }] });
      expect(await lagOf(registry)).toEqual([{ consumer: 'intake.lag', topic, partition: '0', lag: 1 }]);
    } finally {
      await untrack();
    }
  });

  it('answers a scrape without the lag when the broker cannot be asked', async () => {
    const registry = createMetricsRegistry('test');
    const unreachable = createKafka({ brokers: ['127.0.0.1:1'], clientId: 'lag-test-down', logger: testLogger() });
    const untrack = trackConsumerLag(registry, unreachable, { consumer: 'intake.lag', groupId, topicPrefix: iso.topicPrefix, topics: [topic] });
    try {
      expect(await lagOf(registry)).toEqual([]);
      expect(await registry.metrics()).toContain('# TYPE kafka_consumer_lag gauge');
    } finally {
      await untrack();
    }
  });
});
