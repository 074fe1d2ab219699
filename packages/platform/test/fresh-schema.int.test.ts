import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { topics } from '@county/contracts';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger, waitFor, type Isolation } from '../../../tests/support/harness.js';
import {
  consume,
  createKafka,
  createProducer,
  ensureTopics,
  migrate,
  openRuntime,
  platformMigrationsDir,
  publish,
  startEventConsumer,
  systemClock,
  topicConfigs,
  type Admin,
  type BaseConfig,
  type Logger,
  type Producer,
  type Runtime,
} from '../src/index.js';
import { capturingLogger } from './support/access.js';
import { reading, READINGS, recordReadings } from './support/messaging.js';

// Found on the console: its schema dropped and created again while its consumer groups kept their offsets at
// the end of the topics, it started on an empty schema and never applied the events before — silently.
const migrationsDir = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));
const CONSUMER = 'fresh-probe';
const logger = testLogger();
const opened: Runtime[] = [];
let admin: Admin;
let producer: Producer;
let db: pg.Client;

beforeAll(async () => {
  const config = testConfig(isolation());
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'test-fresh-schema', logger });
  admin = kafka.admin();
  await admin.connect();
  producer = createProducer(kafka);
  await producer.connect();
  db = new pg.Client({ connectionString: config.DATABASE_URL });
  await db.connect();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.lifecycle.shutdown()));
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await db?.end();
});

/** An isolated deployment whose readings topic exists. */
async function deployment(): Promise<{ iso: Isolation; config: BaseConfig; topic: string }> {
  const iso = isolation();
  const config = testConfig(iso);
  await ensureTopics(admin, topicConfigs({ prefix: iso.topicPrefix, partitions: 3, replicationFactor: 1, maxMessageBytes: 1 << 24 }, [topics.coldchainReadings]));
  return { iso, config, topic: `${iso.topicPrefix}${READINGS}` };
}

/** The service started (again) on its schema, with its one consumer joined. */
async function start(config: BaseConfig, given: Logger = logger): Promise<Runtime> {
  const runtime = openRuntime({ service: 'test', config, migrationsDir, logger: given });
  opened.push(runtime);
  await runtime.migrated;
  await consume(runtime, { name: CONSUMER, topics: [READINGS], handlers: recordReadings() });
  return runtime;
}

async function stop(runtime: Runtime): Promise<void> {
  opened.splice(opened.indexOf(runtime), 1);
  await runtime.lifecycle.shutdown();
}

async function send(topic: string, ...temperatures: number[]): Promise<void> {
  await publish(producer, topic, temperatures.map((t, i) => ({ key: 'truck-1', value: JSON.stringify(reading('truck-1', t, i)) })));
}

async function applied(runtime: Runtime): Promise<string[]> {
  return (await runtime.pool.query<{ item: string }>('SELECT item FROM applied ORDER BY seq')).rows.map((r) => r.item);
}

/** Messages the group has committed on the topic, across partitions. */
async function committed(config: BaseConfig, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId: `${config.GROUP_PREFIX}${CONSUMER}`, topics: [topic] });
  return offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/** Events the consumer found already in its inbox: a re-read. */
async function duplicates(runtime: Runtime): Promise<number> {
  const metric = await runtime.metrics.getSingleMetric('consumer_messages_total')?.get();
  return metric?.values.find((v) => v.labels.consumer === CONSUMER && v.labels.outcome === 'duplicate')?.value ?? 0;
}

const sorted = (items: string[]) => [...items].sort();

describe('a service whose schema is new', () => {
  it('reads its topics from the beginning again; a restart on its existing schema resumes at the committed offsets', async () => {
    const { config, topic } = await deployment();
    await send(topic, 1.5, 2.5, 3.5);

    // First start: the schema is new, the group has nothing committed yet; everything is applied and committed.
    const first = await start(config);
    await waitFor(async () => ((await applied(first)).length === 3 && (await committed(config, topic)) === 3 ? true : undefined));
    expect((await first.pool.query('SELECT offsets FROM consumer_groups')).rows).toEqual([{ offsets: 'none committed' }]);
    await stop(first);

    // A restart on the same schema keeps the offsets: only the new event is read, nothing twice.
    const again = await start(config);
    await send(topic, 4.5);
    await waitFor(async () => ((await applied(again)).length === 4 && (await committed(config, topic)) === 4 ? true : undefined));
    expect(sorted(await applied(again))).toEqual(['truck-1:1.5', 'truck-1:2.5', 'truck-1:3.5', 'truck-1:4.5']);
    expect(await duplicates(again)).toBe(0);
    await stop(again);

    // The schema is dropped; the group still has its offsets at the end of the topic.
    await db.query(`DROP SCHEMA ${config.DB_SCHEMA} CASCADE`);
    expect(await committed(config, topic)).toBe(4);

    // Started on the schema its migrations create from nothing: every event is applied again into it.
    const log = capturingLogger();
    const afresh = await start(config, log.logger);
    await waitFor(async () => ((await applied(afresh)).length === 4 ? true : undefined));
    expect(sorted(await applied(afresh))).toEqual(['truck-1:1.5', 'truck-1:2.5', 'truck-1:3.5', 'truck-1:4.5']);
    expect((await afresh.pool.query('SELECT offsets FROM consumer_groups')).rows).toEqual([{ offsets: 'reset' }]);
    const reset = log.parsed().find((l) => l.msg === 'consumer groups reset: schema is new');
    expect(reset).toMatchObject({ level: 'info', groupId: `${config.GROUP_PREFIX}${CONSUMER}` });
    await waitFor(async () => ((await committed(config, topic)) === 4 ? true : undefined));
  });

  it('leaves a group that has an active member as it is, with a warning, and resets it at the next start', async () => {
    const { iso, config, topic } = await deployment();
    await send(topic, 7.5);
    const first = await start(config);
    await waitFor(async () => ((await committed(config, topic)) === 1 ? true : undefined));
    await stop(first);
    await db.query(`DROP SCHEMA ${config.DB_SCHEMA} CASCADE`);

    // Another member of the same group meanwhile, consuming into another schema (a deployment misconfigured).
    const elsewhere = openRuntime({ service: 'test', config: testConfig({ ...isolation(), topicPrefix: iso.topicPrefix, groupPrefix: iso.groupPrefix }), migrationsDir, logger });
    opened.push(elsewhere);
    await elsewhere.migrated;
    const member = await startEventConsumer({
      name: CONSUMER,
      kafka: elsewhere.kafka,
      pool: elsewhere.pool,
      outbox: elsewhere.outbox,
      logger,
      clock: systemClock,
      topicPrefix: iso.topicPrefix,
      groupPrefix: iso.groupPrefix,
      topics: [READINGS],
      handlers: recordReadings(),
      sessionTimeout: 6000,
    });

    const log = capturingLogger();
    const beside = await start(config, log.logger);
    const warning = log.parsed().find((l) => String(l.msg).startsWith('consumer group not reset although the schema is new'));
    expect(warning).toMatchObject({ level: 'warn', groupId: `${config.GROUP_PREFIX}${CONSUMER}` });
    expect(log.parsed().some((l) => l.msg === 'consumer groups reset: schema is new')).toBe(false);
    expect((await beside.pool.query('SELECT * FROM consumer_groups')).rows).toEqual([]);
    await member.stop();
    await stop(beside);
    expect(await committed(config, topic)).toBe(1);

    // Alone in its group at the next start, it is reset and the event before is applied.
    const alone = await start(config);
    await waitFor(async () => ((await applied(alone)).length === 1 ? true : undefined));
    expect(await applied(alone)).toEqual(['truck-1:7.5']);
    expect((await alone.pool.query('SELECT offsets FROM consumer_groups')).rows).toEqual([{ offsets: 'reset' }]);
  });

  it('is told from a schema that existed before the platform recorded it (upgraded): that one is not new', async () => {
    const { config } = await deployment();
    const before = await mkdtemp(join(tmpdir(), 'platform-before-'));
    try {
      const earlier = (await readdir(platformMigrationsDir)).filter((f) => f < '0007');
      await Promise.all(earlier.map((f) => cp(join(platformMigrationsDir, f), join(before, f))));
      await migrate({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, dir: before, logger, table: 'platform_migrations' });
      const runtime = await start(config);
      expect((await runtime.pool.query('SELECT created_empty FROM schema_origin')).rows).toEqual([{ created_empty: false }]);
      expect((await runtime.pool.query('SELECT * FROM consumer_groups')).rows).toEqual([]);
    } finally {
      await rm(before, { recursive: true, force: true });
    }
  });
});
