import { fileURLToPath } from 'node:url';
import { buildEvent, topics, type Envelope } from '@county/contracts';
import { isolation, testConfig, testLogger } from '../../../../tests/support/harness.js';
import {
  createKafka,
  createOutbox,
  createPool,
  createMetricsRegistry,
  createProducer,
  ensureTopics,
  migrateService,
  RejectedError,
  startEventConsumer,
  startRelay,
  topicConfigs,
  withTransaction,
  type EventConsumerSettings,
  type Pool,
  type PoolClient,
  type RelaySettings,
  systemClock,
} from '../../src/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/migrations', import.meta.url));
export const READINGS = topics.coldchainReadings.name;
export const MANIFESTS = topics.courierManifests.name;

/** One isolated "service" for the messaging tests: its schema, topics, pool, producer and outbox. */
export async function messagingFixture(overrides: Record<string, string> = {}) {
  const iso = isolation();
  const config = testConfig(iso, overrides);
  const logger = testLogger('messaging');
  const direct = testConfig(iso);
  await migrateService({ url: direct.DATABASE_URL, schema: iso.schema, dir: fixtures, logger });
  const pool = createPool({ url: config.DATABASE_URL, schema: iso.schema, logger, connectionTimeoutMillis: 2000 });
  const directPool = createPool({ url: direct.DATABASE_URL, schema: iso.schema, logger });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `test-${iso.id}`, logger });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicConfigs({ prefix: iso.topicPrefix, partitions: 3, replicationFactor: 1, maxMessageBytes: 1 << 24 }));
  const producer = createProducer(kafka);
  await producer.connect();
  const outbox = createOutbox({ topicPrefix: iso.topicPrefix });
  const cleanups: (() => Promise<unknown>)[] = [];

  return {
    iso,
    config,
    logger,
    pool,
    /** Always straight to Postgres, for assertions while `pool` may go through a cut proxy. */
    directPool,
    kafka,
    producer,
    outbox,
    topic: (logical: string) => `${iso.topicPrefix}${logical}`,
    relay(settings: Partial<RelaySettings> = {}) {
      const relay = startRelay({
        url: direct.DATABASE_URL,
        schema: iso.schema,
        producer,
        logger,
        metrics: createMetricsRegistry('test'),
        pollIntervalMs: 200,
        standbyRetryMs: 200,
        ...settings,
      });
      cleanups.push(() => relay.stop());
      return relay;
    },
    async consumer(settings: Pick<EventConsumerSettings, 'handlers'> & Partial<EventConsumerSettings>) {
      const consumer = await startEventConsumer({
        name: 'test-consumer',
        kafka,
        pool,
        outbox,
        logger,
        clock: systemClock,
        topicPrefix: iso.topicPrefix,
        groupPrefix: iso.groupPrefix,
        topics: [READINGS],
        sessionTimeout: 6000,
        ...settings,
      });
      cleanups.push(() => consumer.stop());
      return consumer;
    },
    /** Writes events to the outbox in one committed transaction, in order. */
    async emit(events: Envelope[], topic: string = READINGS) {
      await withTransaction(directPool, (tx) => outbox.addMany(tx, events.map((event) => ({ topic, key: event.subject, event }))));
    },
    async applied(): Promise<{ event_id: string; item: string }[]> {
      return (await directPool.query('SELECT event_id, item FROM applied ORDER BY seq')).rows;
    },
    /** How many messages a topic holds, across partitions. */
    async messageCount(logical: string): Promise<number> {
      const offsets = await admin.fetchTopicOffsets(`${iso.topicPrefix}${logical}`);
      return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    },
    /** How many messages a consumer group has committed on a topic, across partitions. */
    async committedCount(consumer: string, logical: string): Promise<number> {
      const offsets = await admin.fetchOffsets({ groupId: `${iso.groupPrefix}${consumer}`, topics: [`${iso.topicPrefix}${logical}`] });
      return offsets[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    },
    async close() {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      await producer.disconnect();
      await admin.disconnect();
      await pool.end().catch(() => undefined);
      await directPool.end();
    },
  };
}

export type MessagingFixture = Awaited<ReturnType<typeof messagingFixture>>;

export function reading(containerId: string, temperatureC: number, minute = 0): Envelope {
  return buildEvent({
    type: 'coldchain.reading_recorded',
    countyId: 'cn-511623',
    subject: containerId,
    source: 'gateway-1',
    data: { containerId, sensorId: 's1', temperatureC, measuredAt: new Date(Date.UTC(2026, 5, 10, 2, minute)).toISOString() },
  });
}

/** A handler that records each application of a reading, refusing unknown containers when asked. */
export function recordReadings({ requireKnownContainer = false } = {}) {
  return {
    'coldchain.reading_recorded': {
      handle: async (tx: PoolClient, envelope: Envelope) => {
        const { containerId, temperatureC } = envelope.data as { containerId: string; temperatureC: number };
        if (requireKnownContainer) {
          const known = await tx.query('SELECT 1 FROM known_containers WHERE id = $1', [containerId]);
          if (known.rowCount === 0) {
            throw new RejectedError(`unknown container ${containerId}`, [{ path: 'data.containerId', reason: 'unknown container' }]);
          }
        }
        await tx.query('INSERT INTO applied (event_id, item) VALUES ($1, $2)', [envelope.id, `${containerId}:${temperatureC}`]);
      },
    },
  };
}
