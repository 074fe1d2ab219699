import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger, waitFor } from '../../../tests/support/harness.js';
import {
  createKafka,
  createMetricsRegistry,
  createOutbox,
  createProducer,
  ensureTopics,
  keyEventHandlers,
  revokeKey,
  startEventConsumer,
  startRelay,
  topicConfigs,
  withTransaction,
  type App,
  type EventConsumer,
  type Producer,
  type Relay,
  systemClock,
} from '../src/index.js';
import { authApp, authFixture, type AuthFixture } from './support/access.js';

// Two services on one cluster: the issuer (intake's role) and another that keeps a copy.
const issuerIso = isolation();
const copyIso = { ...isolation(), topicPrefix: issuerIso.topicPrefix, groupPrefix: issuerIso.groupPrefix };
const config = testConfig(issuerIso);
const logger = testLogger();
const county = 'cn-511623';
let issuer: AuthFixture;
let copy: AuthFixture;
let app: App;
let producer: Producer;
let relay: Relay;
let consumer: EventConsumer;

beforeAll(async () => {
  issuer = await authFixture(config, issuerIso);
  copy = await authFixture(config, copyIso);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `test-${issuerIso.id}`, logger });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicConfigs({ prefix: issuerIso.topicPrefix, partitions: 3, replicationFactor: 1, maxMessageBytes: 1 << 24 }));
  await admin.disconnect();
  producer = createProducer(kafka);
  await producer.connect();
  relay = startRelay({ url: config.DATABASE_URL, schema: issuerIso.schema, producer, logger, metrics: createMetricsRegistry('test'), pollIntervalMs: 200 });
  consumer = await startEventConsumer({
    name: 'access-keys',
    kafka,
    pool: copy.pool,
    outbox: createOutbox({ topicPrefix: copyIso.topicPrefix }),
    clock: systemClock,
    logger,
    topicPrefix: copyIso.topicPrefix,
    groupPrefix: `${copyIso.groupPrefix}copy.`,
    topics: ['masterdata.events'],
    handlers: keyEventHandlers,
    sessionTimeout: 6000,
  });
  ({ app } = await authApp(copy));
  app.get('/center', { config: { access: ['operator'] } }, async () => ({ ok: true }));
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await consumer?.stop();
  await relay?.stop();
  await producer?.disconnect();
  await copy?.close();
  await issuer?.close();
});

const status = async (key: string) => (await app.inject({ method: 'GET', url: '/center', headers: { 'x-api-key': key } })).statusCode;

describe('keys across services', () => {
  it('a key issued at one service works at another, and once revoked is refused there within seconds', async () => {
    const { key, keyId } = await issuer.issue({ countyId: county, role: 'operator', name: 'desk' });
    await waitFor(async () => ((await status(key)) === 200 ? true : undefined), { timeoutMs: 20_000 });
    await withTransaction(issuer.pool, (tx) => revokeKey(tx, createOutbox({ topicPrefix: issuerIso.topicPrefix }), keyId, new Date()));
    // "Within seconds" (docs/architecture.md §3 "Access"): the relay, the consumer and the 500 ms key cache.
    await waitFor(async () => ((await status(key)) === 401 ? true : undefined), { timeoutMs: 10_000 });
    const { rows } = await copy.pool.query('SELECT revision, revoked_at FROM api_keys WHERE key_id = $1', [keyId]);
    expect(rows).toEqual([{ revision: 2, revoked_at: expect.any(Date) }]);
  });
});
