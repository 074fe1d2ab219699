import type { Registry } from 'prom-client';
import { createClock, type Clock } from './clock.js';
import { ConfigError, type BaseConfig } from './config.js';
import type { HealthCheck } from './http/health.js';
import { createKafka, createProducer, ensureTopics, pingKafka, topicConfigs, type Kafka, type Producer } from './kafka.js';
import { Lifecycle } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import { createMetricsRegistry } from './metrics.js';
import { trackConsumerLag } from './messaging/consumer-lag.js';
import { startEventConsumer, type EventConsumer, type EventConsumerSettings } from './messaging/consumer-runner.js';
import { prepareGroupStart } from './messaging/fresh-groups.js';
import type { ConsumerState } from './messaging/supervisor.js';
import { createOutbox, type Outbox } from './messaging/outbox.js';
import { startRelay, type Relay } from './messaging/relay.js';
import { createPacer, type Pacer } from './pacer.js';
import { createPool, migrateService, pingPostgres, type Pool } from './postgres.js';
import { connectRedis, createRedis, pingRedis, type Redis } from './redis.js';
import { retryUntil } from './retry.js';

/** The clients a service's `buildApp` and consumers receive from its `main.ts`. */
export interface Runtime {
  service: string;
  config: BaseConfig;
  logger: Logger;
  pool: Pool;
  redis: Redis;
  kafka: Kafka;
  producer: Producer;
  outbox: Outbox;
  metrics: Registry;
  health: HealthCheck[];
  lifecycle: Lifecycle;
  /** Bulk work (consumers, the relay) yields to the HTTP requests in flight through it. */
  pacer: Pacer;
  /** Domain time, from CLOCK_START and CLOCK_RATE (real time by default); the one clock of the process. */
  clock: Clock;
  /** Resolves once the schema is migrated; consumers start after it. */
  migrated: Promise<void>;
}

export interface RuntimeSettings {
  service: string;
  config: BaseConfig;
  migrationsDir: string;
  logger?: Logger;
  /** Instead of the configured clock: tests that decide what time it is. */
  clock?: Clock;
}

/**
 * Opens what every service needs and registers each for shutdown, closed in reverse. Nothing here
 * waits for a server: Postgres is migrated as soon as it answers (readiness says 503 until then),
 * Kafka topics are created when the broker is reachable, and Redis reconnects on its own — so a
 * service started before its infrastructure comes up by itself once the infrastructure does.
 */
export function openRuntime({ service, config, migrationsDir, logger: given, clock: givenClock }: RuntimeSettings): Runtime {
  const logger = given ?? createLogger({ service, level: config.LOG_LEVEL });
  const clock = givenClock ?? createClock({ start: config.CLOCK_START, rate: config.CLOCK_RATE, origin: config.CLOCK_ORIGIN });
  const lifecycle = new Lifecycle(logger);
  const stopping = new AbortController();

  const pacer = createPacer();
  const pool = createPool({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, max: config.DB_POOL_MAX, logger });
  lifecycle.add('postgres', () => pool.end());
  let isMigrated = false;
  const migrated = retryUntil(
    () => migrateService({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, dir: migrationsDir, logger }),
    { signal: stopping.signal, onError: (err) => logger.warn({ err: err.message }, 'postgres unavailable; migrating when it returns') },
  ).then(() => {
    isMigrated = true;
  });
  // A shutdown before Postgres came back abandons the migration; nobody else awaits it then.
  migrated.catch(() => undefined);

  const redis = createRedis(config.REDIS_URL, logger);
  lifecycle.add('redis', () => redis.quit().catch(() => redis.disconnect()));
  void connectRedis(redis);

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: service, logger });
  const metrics = createMetricsRegistry(service);
  const admin = kafka.admin();
  const producer = createProducer(kafka);
  lifecycle.add('kafka-producer', () => producer.disconnect());
  void retryUntil(() => producer.connect(), { signal: stopping.signal }).catch(() => undefined);
  // The relay publishes the outbox once the schema has its tables; it stops before the producer.
  let relay: Relay | undefined;
  migrated.then(
    () => {
      if (stopping.signal.aborted) return;
      const createTopics = async (names: string[]) => {
        const settings = { partitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR, maxMessageBytes: config.KAFKA_MAX_MESSAGE_BYTES };
        await admin.connect();
        await ensureTopics(admin, topicConfigs({ ...settings, prefix: '' }, names.map((name) => ({ name, description: '', key: '', compacted: false }))));
      };
      relay = startRelay({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, pool, pacer, producer, logger, metrics, createTopics });
    },
    () => undefined,
  );
  lifecycle.add('outbox-relay', async () => relay?.stop());
  lifecycle.add('kafka-admin', () => admin.disconnect());
  // Registered last so it runs first on shutdown: retry loops stop before their clients close.
  lifecycle.add('background', async () => stopping.abort());
  const configs = topicConfigs({
    prefix: config.TOPIC_PREFIX,
    partitions: config.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    maxMessageBytes: config.KAFKA_MAX_MESSAGE_BYTES,
  });
  void retryUntil(
    async () => {
      await admin.connect();
      const created = await ensureTopics(admin, configs);
      logger.info({ created: created.length, topics: configs.length }, 'kafka topics ready');
    },
    { signal: stopping.signal, onError: (err) => logger.warn({ err: err.message }, 'kafka unavailable; creating topics when it returns') },
  ).catch(() => undefined);

  const health: HealthCheck[] = [
    {
      name: 'postgres',
      critical: true,
      check: async () => {
        await pingPostgres(pool);
        if (!isMigrated) throw new Error('migrations pending');
      },
    },
    { name: 'kafka', critical: false, check: () => pingKafka(config.KAFKA_BROKERS, logger) },
    { name: 'redis', critical: false, check: () => pingRedis(redis) },
  ];
  const outbox = createOutbox({ topicPrefix: config.TOPIC_PREFIX });
  return { service, config, logger, pool, redis, kafka, producer, outbox, metrics, health, lifecycle, pacer, clock, migrated };
}

/**
 * Runs a service's `main`: a configuration problem is printed as one line naming every variable,
 * and any start-up failure exits 1 instead of leaving a half-started process.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
    } else {
      process.stderr.write(`start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exit(1);
  });
}

export type ConsumerSpec = Pick<EventConsumerSettings, 'name' | 'topics' | 'handlers' | 'maxAttempts' | 'fromBeginning'>;

/**
 * Starts an event consumer once the schema is migrated, and stops it first on shutdown (it is
 * registered after the HTTP server, so it closes before it). Until it runs, and whenever it is down
 * and being restarted, readiness names it as degraded (`consumer:<name>`).
 */
export async function consume(runtime: Runtime, spec: ConsumerSpec): Promise<void> {
  let started: EventConsumer | undefined;
  runtime.health.push(consumerHealth(spec.name, () => started?.state() ?? { up: false, reason: 'not started yet' }));
  // `migrated` only rejects when shutdown began before Postgres came back: nothing to start then.
  if (!(await runtime.migrated.then(() => true, () => false))) return;
  const { config, logger } = runtime;
  const stopping = new AbortController();
  const groupId = `${config.GROUP_PREFIX}${spec.name}`;
  const untrackLag = trackConsumerLag(runtime.metrics, runtime.kafka, {
    consumer: spec.name,
    groupId,
    topicPrefix: config.TOPIC_PREFIX,
    topics: spec.topics,
  });
  consumersOf(runtime.lifecycle).add(async () => {
    stopping.abort();
    await started?.stop();
    await untrackLag();
  });
  // A broker that is down at start-up is waited for, like any outage.
  started = await retryUntil(
    async () => {
      // Before it joins: on a schema created empty, the group reads its topics from the beginning
      // (messaging/fresh-groups.ts). A consumer that asks for new events only is left as it is.
      if (spec.fromBeginning !== false) {
        await prepareGroupStart({ pool: runtime.pool, kafka: runtime.kafka, logger, groupId, topics: spec.topics.map((t) => `${config.TOPIC_PREFIX}${t}`) });
      }
      return startEventConsumer({
        ...spec,
        kafka: runtime.kafka,
        pool: runtime.pool,
        outbox: runtime.outbox,
        logger,
        metrics: runtime.metrics,
        pacer: runtime.pacer,
        clock: runtime.clock,
        topicPrefix: config.TOPIC_PREFIX,
        groupPrefix: config.GROUP_PREFIX,
        sessionTimeout: config.KAFKA_SESSION_TIMEOUT_MS,
      });
    },
    { signal: stopping.signal, onError: (err) => logger.warn({ err: err.message, consumer: spec.name }, 'consumer cannot start yet; retrying') },
  );
}

/**
 * A consumer that is down degrades readiness rather than failing it (docs/architecture.md §4): the service
 * still takes requests and writes its events to the outbox, and the consumer is being restarted;
 * a load balancer that took the service out would make things worse, not better.
 */
function consumerHealth(name: string, state: () => ConsumerState): HealthCheck {
  return {
    name: `consumer:${name}`,
    critical: false,
    check: async () => {
      const current = state();
      if (!current.up) throw new Error(current.reason);
    },
  };
}

const consumerStops = new WeakMap<Lifecycle, Set<() => Promise<void>>>();

/**
 * A service's consumers stop together, first (registered after the HTTP server): each waits for
 * its fetch in flight, so stopping them one by one could overrun the shutdown timeout.
 */
function consumersOf(lifecycle: Lifecycle): Set<() => Promise<void>> {
  let stops = consumerStops.get(lifecycle);
  if (!stops) {
    const created = new Set<() => Promise<void>>();
    stops = created;
    consumerStops.set(lifecycle, created);
    lifecycle.add('consumers', async () => Promise.all([...created].map((stop) => stop())));
  }
  return stops;
}
