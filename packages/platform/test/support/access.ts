import { randomBytes } from 'node:crypto';
import { type Isolation } from '../../../../tests/support/harness.js';
import {
  connectRedis,
  createHttpApp,
  createLogger,
  createMetricsRegistry,
  createOutbox,
  createPool,
  createRedis,
  issueKey,
  migrate,
  platformMigrationsDir,
  withTransaction,
  type App,
  type BaseConfig,
  type NewKey,
  type Pool,
  type RateLimitSettings,
  type Redis,
} from '../../src/index.js';

/** A logger whose lines a test can read, to check what was (and was not) logged. */
export function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger({ service: 'test', level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** The platform's tables (outbox, inbox, api_keys) in a test's own schema. */
export async function migratePlatform(config: BaseConfig, schema: string): Promise<void> {
  const logger = createLogger({ service: 'test', level: 'silent' });
  await migrate({ url: config.DATABASE_URL, schema, dir: platformMigrationsDir, logger, table: 'platform_migrations' });
}

export interface AuthFixture {
  pool: Pool;
  redis: Redis;
  issue: (input: NewKey) => Promise<{ key: string; keyId: string }>;
  close: () => Promise<void>;
}

/** Postgres and Redis for a suite, and a way to issue keys straight into its schema. */
export async function authFixture(config: BaseConfig, iso: Isolation, redisUrl = config.REDIS_URL): Promise<AuthFixture> {
  const silent = createLogger({ service: 'test', level: 'silent' });
  await migratePlatform(config, iso.schema);
  const pool = createPool({ url: config.DATABASE_URL, schema: iso.schema, logger: silent });
  const redis = createRedis(redisUrl, silent);
  await connectRedis(redis);
  const outbox = createOutbox({ topicPrefix: iso.topicPrefix });
  return {
    pool,
    redis,
    issue: async (input) => {
      const { key, record } = await withTransaction(pool, (tx) => issueKey(tx, outbox, input, new Date()));
      return { key, keyId: record.keyId };
    },
    close: async () => {
      redis.disconnect();
      await pool.end();
    },
  };
}

/** An app with the auth plugin over the fixture, a fresh rate-limit namespace, and a readable log. */
export async function authApp(fixture: AuthFixture, options: { rateLimit?: RateLimitSettings; keyCacheTtlMs?: number } = {}) {
  const log = capturingLogger();
  const app: App = await createHttpApp({
    service: 'test',
    logger: log.logger,
    metrics: createMetricsRegistry('test'),
    health: [],
    auth: {
      pool: fixture.pool,
      redis: fixture.redis,
      keyCacheTtlMs: options.keyCacheTtlMs ?? 500,
      rateLimit: { namespace: `rate-limit:test-${randomBytes(4).toString('hex')}:`, ...options.rateLimit },
    },
  });
  return { app, log };
}
