import { buildEvent, type Envelope, topics } from '@county/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import {
  createKafka,
  createProducer,
  ensureTopics,
  publish,
  readTopic,
  topicConfigs,
  topicName,
  waitForTopics,
  type Admin,
  type Producer,
} from '../src/index.js';

const iso = isolation();
const config = testConfig(iso);
const logger = testLogger();
const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'platform-test', logger });
const readings = topicName(iso.topicPrefix, topics.coldchainReadings.name);
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    topicConfigs({ prefix: iso.topicPrefix, partitions: 3, replicationFactor: 1, maxMessageBytes: config.KAFKA_MAX_MESSAGE_BYTES }),
  );
  producer = createProducer(kafka);
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
});

describe('the platform Kafka client', () => {
  it('reading a topic that holds a message that is not JSON fails naming it, instead of waiting for ever', async () => {
    const dlq = topicName(iso.topicPrefix, `${topics.courierBookings.name}.dlq`);
    await publish(producer, dlq, [{ key: 'k', value: '{"kind":"dead_letter"}' }, { key: 'k', value: 'not json at all' }]);
    await expect(readTopic(kafka, dlq)).rejects.toThrow(/partition 0 offset 1 is not JSON/);
  });

  it('creates the catalogue topics with dead-letter topics, compacting master data', async () => {
    const names = await admin.listTopics();
    expect(names).toContain(readings);
    expect(names).toContain(`${readings}.dlq`);
    const masterdata = topicName(iso.topicPrefix, topics.masterdata.name);
    const described = await admin.describeConfigs({
      resources: [{ type: 2, name: masterdata, configNames: ['cleanup.policy', 'max.message.bytes'] }],
      includeSynonyms: false,
    });
    const entries = Object.fromEntries(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
    expect(entries).toEqual({ 'cleanup.policy': 'compact', 'max.message.bytes': String(config.KAFKA_MAX_MESSAGE_BYTES) });
  });

  it('creating the topics again changes nothing', async () => {
    const again = await ensureTopics(admin, topicConfigs({ prefix: iso.topicPrefix, partitions: 3, replicationFactor: 1, maxMessageBytes: 1 << 24 }));
    expect(again).toEqual([]);
  });

  it('returns only once new topics are usable: a fresh client without retries finds a leader for every partition and writes to each', async () => {
    const fresh = [topicName(iso.topicPrefix, 'ready.a'), topicName(iso.topicPrefix, 'ready.b')];
    await ensureTopics(admin, fresh.map((topic) => ({ topic, numPartitions: 3 })));
    const impatient = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'platform-test-impatient', logger, retries: 0 });
    const probe = impatient.admin({ retry: { retries: 0 } });
    const writer = impatient.producer({ retry: { retries: 0 }, allowAutoTopicCreation: false });
    await Promise.all([probe.connect(), writer.connect()]);
    try {
      const { topics: described } = await probe.fetchTopicMetadata({ topics: fresh });
      expect(described.map((t) => [t.name, t.partitions.filter((p) => p.leader >= 0).length]).sort()).toEqual(fresh.map((t) => [t, 3]));
      for (const topic of fresh) {
        await writer.send({ topic, acks: -1, messages: [0, 1, 2].map((partition) => ({ partition, key: `k${partition}`, value: 'v' })) });
        expect((await probe.fetchTopicOffsets(topic)).map((p) => p.high)).toEqual(['1', '1', '1']);
      }
    } finally {
      await Promise.all([probe.disconnect(), writer.disconnect()]);
    }
  });

  it('waiting for a topic that never comes fails at the deadline, naming it', async () => {
    const never = topicName(iso.topicPrefix, 'never.created');
    await expect(waitForTopics(admin, [never], { timeoutMs: 500 })).rejects.toThrow(never);
    expect(await admin.listTopics()).not.toContain(never);
  });

  it('delivers events produced by the platform producer in key order', async () => {
    const events = [4.1, 4.6, 9.3].map((temperatureC, i) =>
      buildEvent({
        type: 'coldchain.reading_recorded',
        countyId: 'cn-511623',
        subject: 'truck-07',
        source: 'gateway-12',
        data: { containerId: 'truck-07', sensorId: 's1', temperatureC, measuredAt: new Date(Date.UTC(2026, 5, 10, 2, i)).toISOString() },
      }),
    );
    await publish(
      producer,
      readings,
      events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );

    const received = (await readTopic<Envelope>(kafka, readings)).filter((m) => m.key === 'truck-07').map((m) => m.value);
    expect(received.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(received.map((e) => (e.data as { temperatureC: number }).temperatureC)).toEqual([4.1, 4.6, 9.3]);
  });

  it('carries a gzip-compressed manifest of 1,000 parcels in one message', async () => {
    const manifests = topicName(iso.topicPrefix, topics.courierManifests.name);
    const parcels = Array.from({ length: 1000 }, (_, i) => ({
      waybill: `ZT78${String(i).padStart(8, '0')}`,
      destination: { villageCode: '511623104201' },
      weightKg: 1.5,
      recipient: { name: `收件人${'某'.repeat(90)}`, phone: '13800000000' },
      sender: { name: `某某电商旗舰店${'店铺备注'.repeat(23)}`, phone: '0816-2345678' },
    }));
    const manifest = buildEvent({
      type: 'courier.manifest_submitted',
      countyId: 'cn-511623',
      subject: 'zto',
      source: 'zto',
      data: { courierId: 'zto', manifestId: 'm-1', parcels },
    });
    const value = JSON.stringify(manifest);
    expect(Buffer.byteLength(value)).toBeGreaterThan(400 * 1024);
    await publish(producer, manifests, [{ key: 'zto', value }]);
    const received = await readTopic<Envelope>(kafka, manifests);
    expect(received.map((m) => m.value.id)).toEqual([manifest.id]);
    expect((received[0]!.value.data as { parcels: unknown[] }).parcels).toHaveLength(1000);
  });
});
