import { fileURLToPath } from 'node:url';
import {
  connectRedis,
  createLogger,
  createMetricsRegistry,
  createOutbox,
  createPool,
  createRedis,
  issueKey,
  migrateService,
  withTransaction,
  type BaseConfig,
  type Logger,
  type NewKey,
  systemClock,
  type Clock,
} from '@county/platform';
import { testLogger } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';

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
