// Public API of the infra scripts, for the test harness (vitest globalSetup) and `npm start`:
//
//   import { ensureInfra, stopKafka } from '../infra/lib/index.mjs';
//   Object.assign(process.env, await ensureInfra({ cleanTestData: true }));
//
// `log` options: omitted -> lines on stderr; a function -> receives each line (already prefixed
// with "[infra] "); false -> silent.
import { infraConfig, makeLogger, seconds } from './common.mjs';
import { cleanTestGroups, cleanTestTopics, ensureKafka, kafkaStatus } from './kafka.mjs';
import { dropTestSchemas, ensurePostgres, postgresStatus } from './postgres.mjs';
import { ensureRedis, redisStatus } from './redis.mjs';

export { infraConfig } from './common.mjs';
export {
  cleanTestGroups,
  cleanTestTopics,
  ensureKafka,
  fetchKafkaJars,
  inspectKafkaStorage,
  kafkaServerProperties,
  kafkaStatus,
  probeKafka,
  stopKafka,
} from './kafka.mjs';
export { ensureKcat, ensurePromtool } from './tools.mjs';
export { checkPostgres, dropTestSchemas, ensurePostgres, postgresStatus } from './postgres.mjs';
export { ensureRedis, pingRedis, redisStatus } from './redis.mjs';

/** The connection strings for the local infrastructure (env-var shaped). */
export function connectionStrings(config = infraConfig()) {
  return {
    KAFKA_BROKERS: config.kafka.brokers,
    DATABASE_URL: config.postgres.url,
    REDIS_URL: config.redis.url,
  };
}

/**
 * Deletes stale test data: Kafka topics starting with `topicPrefix` (and idle consumer groups
 * starting with `groupPrefix`), Postgres schemas starting with `schemaPrefix`.
 * Resolves { topics, groups, schemas } (the names removed).
 */
export async function cleanTestData({ topicPrefix = 'test-', groupPrefix = 'test-', schemaPrefix = 'test_', log } = {}) {
  const [topics, groups, schemas] = await Promise.all([
    cleanTestTopics({ prefix: topicPrefix, log }),
    cleanTestGroups({ prefix: groupPrefix, log }),
    dropTestSchemas({ prefix: schemaPrefix, log }),
  ]);
  return { topics, groups, schemas };
}

/**
 * Makes sure Postgres, Redis and Kafka are usable (see ensurePostgres, ensureRedis, ensureKafka),
 * optionally deletes stale test topics and schemas, and resolves
 * { KAFKA_BROKERS, DATABASE_URL, REDIS_URL }. Rejects with one error listing every failure.
 */
export async function ensureInfra({ cleanTestData: clean = false, log } = {}) {
  const logger = makeLogger(log);
  const started = Date.now();
  const results = await Promise.allSettled([ensurePostgres({ log }), ensureRedis({ log }), ensureKafka({ log })]);
  const failures = results
    .map((result, i) => (result.status === 'rejected' ? `${['postgres', 'redis', 'kafka'][i]}: ${result.reason?.message ?? result.reason}` : null))
    .filter(Boolean);
  if (failures.length > 0) {
    const error = new Error(`infrastructure is not usable:\n${failures.join('\n')}`);
    error.failures = failures;
    throw error;
  }
  if (clean) await cleanTestData({ log });
  logger(`all up in ${seconds(started)}`);
  return connectionStrings();
}

/** Describes all three without changing anything: { kafka, postgres, redis, ok }. */
export async function infraStatus() {
  const [kafka, postgres, redis] = await Promise.all([kafkaStatus(), postgresStatus(), redisStatus()]);
  const kafkaUp = kafka.state === 'running' || kafka.state === 'external';
  return { kafka, postgres, redis, ok: kafkaUp && postgres.up && redis.up };
}
