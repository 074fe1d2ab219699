import { fileURLToPath } from 'node:url';
import { topics, type Envelope } from '@county/contracts';
import {
  connectRedis,
  consume,
  createKafka,
  createLogger,
  createMetricsRegistry,
  createOutbox,
  createPool,
  createRedis,
  migrateService,
  systemClock,
  createProducer,
  issueKey,
  openRuntime,
  publish,
  withTransaction,
  type BaseConfig,
  type Clock,
  type NewKey,
  type Producer,
  type Queryable,
} from '@county/platform';
import { testLogger, waitFor } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';
import { consumers } from '../src/consumers.js';

export const dispatchMigrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

/**
 * dispatch as main.ts runs it, over a suite's own schema and topics: the runtime (relay included), the HTTP app
 * and its consumers (the read model's). `runtime.lifecycle.shutdown()` stops it all.
 */
export async function runningDispatch(config: BaseConfig, options: { clock?: Clock } = {}) {
  const runtime = openRuntime({ service: 'dispatch', config, migrationsDir: dispatchMigrationsDir, logger: testLogger('dispatch'), ...(options.clock ? { clock: options.clock } : {}) });
  await runtime.migrated;
  const app = await buildApp(runtime);
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  for (const spec of consumers(runtime)) await consume(runtime, spec);
  const issue = async (input: NewKey) => (await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, input, new Date()))).key;
  return { runtime, app, issue };
}

/** dispatch's HTTP app alone, as main.ts builds it over a suite's own schema, and a way to issue keys into it. */
export async function dispatchApp(config: BaseConfig, options: { clock?: Clock } = {}) {
  const logger = testLogger('dispatch');
  await migrateService({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, dir: dispatchMigrationsDir, logger });
  const pool = createPool({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, logger });
  const redis = createRedis(config.REDIS_URL, createLogger({ service: 'dispatch', level: 'silent' }));
  await connectRedis(redis);
  const outbox = createOutbox({ topicPrefix: config.TOPIC_PREFIX });
  const clock = options.clock ?? systemClock;
  const app = await buildApp({ service: 'dispatch', config, logger, metrics: createMetricsRegistry('dispatch'), health: [], pool, redis, outbox, clock });
  await app.ready();
  return {
    app,
    pool,
    issue: async (input: NewKey) => (await withTransaction(pool, (tx) => issueKey(tx, outbox, input, new Date()))).key,
    close: async () => {
      await app.close();
      redis.disconnect();
      await pool.end();
    },
  };
}

/** What stands in for intake in these suites: a producer of its master-data and parcel events. */
export async function intakeProducer(config: BaseConfig): Promise<Producer> {
  const producer = createProducer(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'intake-stand-in', logger: testLogger('intake') }));
  await producer.connect();
  return producer;
}

export async function publishMasterData(producer: Producer, config: BaseConfig, messages: { key: string; event: Envelope }[]): Promise<void> {
  await publish(producer, `${config.TOPIC_PREFIX}${topics.masterdata.name}`, messages.map((m) => ({ key: m.key, value: JSON.stringify(m.event) })));
}

/** Parcel events keyed by parcel id, as intake's relay publishes them. */
export async function publishParcelEvents(producer: Producer, config: BaseConfig, events: Envelope[]): Promise<void> {
  await publish(producer, `${config.TOPIC_PREFIX}${topics.parcelEvents.name}`, events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
}

export interface ParcelRow {
  parcel_id: string;
  county_id: string;
  courier_id: string;
  direction: string;
  state: string;
  exception: string | null;
  station_id: string | null;
  weight_kg: number | null;
  volume_m3: number | null;
  cold_chain_profile_id: string | null;
  clock_started_at: Date | null;
}

/** Waits until dispatch holds the parcel in `state`. */
export async function parcelInState(db: Queryable, parcelId: string, state: string): Promise<ParcelRow> {
  return waitFor(async () => {
    const { rows } = await db.query<ParcelRow>(`SELECT * FROM parcels WHERE parcel_id = $1`, [parcelId]);
    return rows[0]?.state === state ? rows[0] : undefined;
  });
}

/** Waits until the consumer named has applied (or skipped as a duplicate) the event. */
export async function applied(db: Queryable, consumer: string, eventId: string): Promise<void> {
  await waitFor(async () => {
    const { rowCount } = await db.query(`SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2`, [consumer, eventId]);
    return rowCount ? true : undefined;
  });
}
