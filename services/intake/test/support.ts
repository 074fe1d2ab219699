import { fileURLToPath } from 'node:url';
import {
  consume,
  connectRedis,
  createKafka,
  createProducer,
  createLogger,
  createMetricsRegistry,
  createOutbox,
  createPool,
  createRedis,
  issueKey,
  migrateService,
  openRuntime,
  withTransaction,
  type BaseConfig,
  type Logger,
  type NewKey,
  type Producer,
  systemClock,
  type Clock,
} from '@county/platform';
import { testLogger } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';
import { manifestConsumer } from '../src/consumers/manifests.js';
import { seedNetwork } from './seed.js';

export const intakeMigrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

export interface IntakeAppOptions {
  /** Where the app logs; a test reading what was logged passes its own. */
  logger?: Logger;
  /** The service's clock; real time unless a test decides what time it is. */
  clock?: Clock;
}

/** Intake as main.ts builds it, over a test's own schema, plus a way to issue keys directly. */
export async function intakeApp(config: BaseConfig, options: IntakeAppOptions = {}) {
  const logger = options.logger ?? testLogger('intake');
  await migrateService({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, dir: intakeMigrationsDir, logger });
  const pool = createPool({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, logger });
  const redis = createRedis(config.REDIS_URL, createLogger({ service: 'intake', level: 'silent' }));
  await connectRedis(redis);
  const outbox = createOutbox({ topicPrefix: config.TOPIC_PREFIX });
  const app = await buildApp({ service: 'intake', config, logger, metrics: createMetricsRegistry('intake'), health: [], pool, redis, outbox, clock: options.clock ?? systemClock });
  await app.ready();
  return {
    app,
    pool,
    outbox,
    issue: async (input: NewKey) => (await withTransaction(pool, (tx) => issueKey(tx, outbox, input, new Date()))).key,
    close: async () => {
      await app.close();
      redis.disconnect();
      await pool.end();
    },
  };
}

/**
 * Intake as main.ts runs it, for suites that drive it over Kafka as well as REST: the runtime (relay
 * included) over the test's own schema and topics, the county's network seeded, the HTTP app and the
 * manifest consumer. `runtime.lifecycle.shutdown()` stops it all.
 */
export async function runningIntake(config: BaseConfig, countyId: string, options: { logger?: Logger } = {}) {
  const runtime = openRuntime({ service: 'intake', config, migrationsDir: intakeMigrationsDir, logger: options.logger ?? testLogger('intake') });
  await runtime.migrated;
  const net = await seedNetwork(runtime.pool, countyId);
  const app = await buildApp(runtime);
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  await consume(runtime, manifestConsumer(runtime));
  const issue = async (input: NewKey) => (await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, input, new Date()))).key;
  return { runtime, app, net, issue };
}

/** A courier's own producer, connected: what publishes manifests in these suites. */
export async function courierProducer(config: BaseConfig, id: string): Promise<Producer> {
  const producer = createProducer(createKafka({ brokers: config.KAFKA_BROKERS, clientId: `courier-${id}`, logger: testLogger('courier') }));
  await producer.connect();
  return producer;
}
