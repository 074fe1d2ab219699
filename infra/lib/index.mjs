// Public API of the infra scripts (Kafka, Postgres, Redis, Mosquitto), for the test harness (vitest globalSetup) and `npm start`:
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
import { ensureMosquitto, mosquittoStatus } from './mosquitto.mjs';

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
export { chromiumPath, ensureChromium } from './chromium.mjs';
export { checkPostgres, dropTestSchemas, ensurePostgres, postgresStatus } from './postgres.mjs';
export { ensureRedis, pingRedis, redisStatus } from './redis.mjs';
export { ensureMosquitto, mosquittoConf, mosquittoStatus, probeMqtt } from './mosquitto.mjs';

/** The connection strings for the local infrastructure (env-var shaped). */
export function connectionStrings(config = infraConfig()) {
  return {
    KAFKA_BROKERS: config.kafka.brokers,
    DATABASE_URL: config.postgres.url,
    REDIS_URL: config.redis.url,
    MQTT_URL: config.mosquitto.url,
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
 * Makes sure Postgres, Redis, Kafka and Mosquitto are usable (see ensurePostgres, ensureRedis, ensureKafka,
 * ensureMosquitto), optionally deletes stale test topics and schemas, and resolves
 * { KAFKA_BROKERS, DATABASE_URL, REDIS_URL, MQTT_URL }. Rejects with one error listing every failure.
 */
export async function ensureInfra({ cleanTestData: clean = false, log } = {}) {
  const logger = makeLogger(log);
  const started = Date.now();
  const results = await Promise.allSettled([ensurePostgres({ log }), ensureRedis({ log }), ensureKafka({ log }), ensureMosquitto({ log })]);
  const failures = results
    .map((result, i) => (result.status === 'rejected' ? `${['postgres', 'redis', 'kafka', 'mosquitto'][i]}: ${result.reason?.message ?? result.reason}` : null))
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

/** Describes all four without changing anything: { kafka, postgres, redis, mosquitto, ok }. */
export async function infraStatus() {
  const [kafka, postgres, redis, mosquitto] = await Promise.all([kafkaStatus(), postgresStatus(), redisStatus(), mosquittoStatus()]);
  const kafkaUp = kafka.state === 'running' || kafka.state === 'external';
  return { kafka, postgres, redis, mosquitto, ok: kafkaUp && postgres.up && redis.up && mosquitto.up };
}
