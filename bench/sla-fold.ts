// `npm run bench:sla` (scripts/bench-sla.mjs runs it): how fast sla folds parcel events into its timeline — steps,
// legs against the policy, deadline, ETA, alerts and the rate of each leg — against real Kafka and Postgres, with sla
// running as its own process (as `npm start` runs it). Prints JSON lines {"bench", "value", "unit"}.
// Needs KAFKA_BROKERS, DATABASE_URL and REDIS_URL, and services/sla built (`npx tsc -b`).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { topics, type Envelope } from '@county/contracts';
import { createKafka, createLogger, createPool, createProducer, ensureTopics, publish, topicConfigs, type Pool } from '@county/platform';
import { countyRecord, masterDataEvent, stationRecord, stepEvent, testParcel } from '../services/sla/test/timeline-events.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const PARCELS = Number(process.env.BENCH_SLA_PARCELS ?? 5_000);
const STATIONS = 120;
const COURIERS = ['zto', 'yto', 'sto', 'yunda', 'jt'];
const PUBLISH_BATCH = 1_000;

const env = { KAFKA_BROKERS: process.env.KAFKA_BROKERS!, DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: process.env.REDIS_URL! };
const id = randomBytes(3).toString('hex');
const schema = `bench_${id}_sla`;
const topicPrefix = `bench-${id}.`;
const countyId = 'cn-430225';
const logger = createLogger({ service: 'bench', level: 'error' });
const START = Date.UTC(2026, 5, 1, 0, 0);

function emit(bench: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench, value: Math.round(value * 1000) / 1000, unit, ...extra })}\n`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startSla(port: number): Promise<ChildProcess> {
  // BENCH_SLA_PROFILE=<dir>: sla writes a CPU profile there when it stops
  const profile = process.env.BENCH_SLA_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SLA_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, 'services/sla/dist/main.js'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      DB_SCHEMA: schema,
      TOPIC_PREFIX: topicPrefix,
      GROUP_PREFIX: topicPrefix,
      LOG_LEVEL: 'warn',
      // domain time two hours into the story: no parcel's deadline has passed, so alerts are the late legs alone
      // (the scanner, on this clock, finds no open parcel past its deadline while the backlog is folded)
      CLOCK_START: new Date(START + 2 * 3_600_000).toISOString(),
    },
  });
  await waitUntil(async () => fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false), 60_000);
  return child;
}

/**
 * Each parcel's day: manifested, received, sorted, departed, handed to its station, delivered; one in ten 26 h from
 * receipt to its station (a breach of the 24 h center→village leg), so `breaches` is exactly PARCELS / 10.
 */
function parcelStory(count: number): Envelope[] {
  return Array.from({ length: count }, (_, i) => {
    const p = testParcel(countyId, `st-village-${(i % STATIONS) + 1}`, { courierId: COURIERS[i % COURIERS.length]! });
    const at = START + i * 1_000;
    const h = 3_600_000;
    const travel = i % 10 === 0 ? 26 * h : 9 * h;
    return [
      stepEvent(p, 'manifested', new Date(at)),
      stepEvent(p, 'received', new Date(at + h)),
      stepEvent(p, 'sorted', new Date(at + 2 * h)),
      stepEvent(p, 'departed', new Date(at + 3 * h)),
      stepEvent(p, 'at_station', new Date(at + h + travel)),
      stepEvent(p, 'delivered', new Date(at + 2 * h + travel)),
    ] as Envelope[];
  }).flat();
}

async function inboxCount(pool: Pool, consumer: string): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1`, [consumer]).catch(() => ({ rows: [{ n: 0 }] }));
  return rows[0].n as number;
}

const foldedCount = (pool: Pool) => inboxCount(pool, 'sla.timeline-parcels');

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function main(): Promise<void> {
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS.split(','), clientId: 'bench-sla', logger });
  const admin = kafka.admin();
  await admin.connect();
  const producer = createProducer(kafka);
  await producer.connect();
  const pool = createPool({ url: env.DATABASE_URL, schema, logger });
  let sla: ChildProcess | undefined;
  try {
    // 1. Master data first, applied by a first start of sla (as in service, where it precedes the parcels); then the
    // parcel events, on the broker before sla starts again, so what is measured is the parcel consumer alone.
    await ensureTopics(admin, topicConfigs({ prefix: topicPrefix, partitions: 3, replicationFactor: 1, maxMessageBytes: 16 * 1024 * 1024 }, [topics.parcelEvents, topics.masterdata]));
    const master = [
      masterDataEvent('county', countyRecord(countyId)),
      masterDataEvent('station', stationRecord(countyId, 'center', 'center')),
      ...Array.from({ length: STATIONS }, (_, i) => masterDataEvent('station', stationRecord(countyId, `st-village-${i + 1}`, 'village'))),
    ];
    await publish(producer, `${topicPrefix}${topics.masterdata.name}`, master.map((m) => ({ key: m.key, value: JSON.stringify(m.event) })));
    sla = await startSla(await freePort());
    await waitUntil(async () => (await inboxCount(pool, 'sla.timeline-masterdata')) >= master.length, 120_000, 20);
    await stop(sla);
    sla = undefined;
    // BENCH_SLA_NO_CUBE=1 (a diagnosis, not the service as it runs) disables the metrics' triggers on sla_parcels:
    // what the aggregates cost the fold.
    if (process.env.BENCH_SLA_NO_CUBE) await pool.query(`ALTER TABLE sla_parcels DISABLE TRIGGER USER`);
    const events = parcelStory(PARCELS);
    const topic = `${topicPrefix}${topics.parcelEvents.name}`;
    for (let i = 0; i < events.length; i += PUBLISH_BATCH) {
      await publish(producer, topic, events.slice(i, i + PUBLISH_BATCH).map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
    }

    // 2. sla folds them: from its first applied event until the last.
    sla = await startSla(await freePort());
    await waitUntil(async () => (await foldedCount(pool)) > 0, 60_000, 5);
    const started = performance.now();
    const first = await foldedCount(pool);
    await waitUntil(async () => (await foldedCount(pool)) >= events.length, 600_000, 20);
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await pool.query(`SELECT count(*)::int AS breaches FROM sla_alerts WHERE kind = 'breach'`);
    emit('sla.fold.throughput', (events.length - first) / seconds, 'events/s', {
      events: events.length,
      parcels: PARCELS,
      seconds: Math.round(seconds * 100) / 100,
      breaches: rows[0].breaches,
      target: 5000,
      ...(process.env.BENCH_SLA_NO_CUBE ? { cube: false } : {}),
    });
  } finally {
    await producer.disconnect();
    if (sla) await stop(sla);
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

await main();
