import { randomBytes } from 'node:crypto';
import { baseConfigSchema, createLogger, type BaseConfig, type Logger } from '@county/platform';
import { inject } from 'vitest';

/** Fresh names for one suite: its own schema, topics and consumer groups (docs/style.md "Tests"). */
export interface Isolation {
  id: string;
  schema: string;
  topicPrefix: string;
  groupPrefix: string;
}

export function isolation(): Isolation {
  const id = randomBytes(4).toString('hex');
  return { id, schema: `test_${id}`, topicPrefix: `test-${id}.`, groupPrefix: `test-${id}.` };
}

/** A service configuration against the test infrastructure, isolated, with short Kafka timeouts. */
export function testConfig(iso: Isolation, overrides: Record<string, string> = {}): BaseConfig {
  const infra = inject('infra');
  return baseConfigSchema.parse({
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: infra.DATABASE_URL,
    KAFKA_BROKERS: infra.KAFKA_BROKERS,
    REDIS_URL: infra.REDIS_URL,
    DB_SCHEMA: iso.schema,
    TOPIC_PREFIX: iso.topicPrefix,
    GROUP_PREFIX: iso.groupPrefix,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_TOPIC_PARTITIONS: '3',
    ...overrides,
  });
}

export function testLogger(service = 'test'): Logger {
  return createLogger({ service, level: (process.env.TEST_LOG_LEVEL as Logger['level']) ?? 'silent' });
}

/** Polls until `probe` returns a value other than undefined, or fails with the last error at the deadline. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, { timeoutMs = 20_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
