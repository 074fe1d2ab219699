// `npm run bench:dispatch` (stage `events`): how fast dispatch folds parcel events into its read model, against real
// Kafka and Postgres, with dispatch running as its own process (as `npm start` runs it); then how long reading a
// wave's input takes for a county of 300 stations and 20,000 waiting parcels. Prints JSON lines
// {"bench", "value", "unit"}. scripts/bench-dispatch.mjs brings up what it needs; this file measures.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { topics, type Envelope, type ParcelEventData } from '@county/contracts';
import { createKafka, createLogger, createPool, createProducer, ensureTopics, publish, topicConfigs, type Pool } from '@county/platform';
import { foldParcelEvents } from '../services/dispatch/src/readmodel/domain/parcel-fold.js';
import { loadWaveInput } from '../services/dispatch/src/readmodel/wave-input.js';
import { applyParcelChanges, upsertMasterData } from '../services/dispatch/src/readmodel/store.js';
import { countyRecord, courierRecord, parcelEvents, stationRecord, testParcel, vehicleRecord } from '../services/dispatch/test/readmodel-events.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const PARCELS = Number(process.env.BENCH_DISPATCH_PARCELS ?? 10_000);
const POOL_PARCELS = 20_000;
const STATIONS = 300;
const TOWNS = 17;
const COURIERS = ['zto', 'yto', 'sto', 'yunda', 'jt'];
const PUBLISH_BATCH = 1_000;

const env = { KAFKA_BROKERS: process.env.KAFKA_BROKERS!, DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: process.env.REDIS_URL! };
const id = randomBytes(3).toString('hex');
const schema = `bench_${id}_dispatch`;
const topicPrefix = `bench-${id}.`;
const countyId = 'cn-430225';
const logger = createLogger({ service: 'bench', level: 'error' });

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

async function startDispatch(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['services/dispatch/dist/main.js'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env, PORT: String(port), DB_SCHEMA: schema, TOPIC_PREFIX: topicPrefix, GROUP_PREFIX: topicPrefix, LOG_LEVEL: 'warn' },
  });
  await waitUntil(async () => fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false), 60_000);
  return child;
}

/** A county of 300 stations: the center, 17 town stations, the rest village points. */
function stationIds(): { center: string; towns: string[]; villages: string[] } {
  const towns = Array.from({ length: TOWNS }, (_, i) => `st-town-${i + 1}`);
  const villages = Array.from({ length: STATIONS - TOWNS - 1 }, (_, i) => `st-village-${i + 1}`);
  return { center: 'center', towns, villages };
}

/** Manifested, then received an hour later, for each parcel: what intake publishes on a normal morning. */
function parcelStory(count: number, destinations: string[]): Envelope<ParcelEventData>[] {
  const start = Date.UTC(2026, 5, 1, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const p = testParcel(countyId, destinations[i % destinations.length]!, {
      courierId: COURIERS[i % COURIERS.length]!,
      waybill: `BENCH${String(i).padStart(9, '0')}`,
      weightKg: 0.5 + (i % 20) * 0.25,
      volumeM3: (0.5 + (i % 20) * 0.25) * 0.006,
      ...(i % 25 === 0 ? { coldChainProfileId: 'stone-fruit' } : {}),
    });
    const at = start + i * 1_000;
    return [parcelEvents.manifested(p, new Date(at)), parcelEvents.received(p, new Date(at + 3_600_000))];
  }).flat();
}

async function foldedCount(pool: Pool): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'dispatch.parcels'`).catch(() => ({ rows: [{ n: 0 }] }));
  return rows[0].n as number;
}

async function main(): Promise<void> {
  const network = stationIds();
  const destinations = [...network.villages, ...network.towns];
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS.split(','), clientId: 'bench-dispatch', logger });
  const admin = kafka.admin();
  await admin.connect();
  const producer = createProducer(kafka);
  await producer.connect();
  const pool = createPool({ url: env.DATABASE_URL, schema, logger });
  let dispatch: ChildProcess | undefined;
  try {
    // 1. The events, on the broker before dispatch starts, so what is measured is the consumer alone.
    await ensureTopics(admin, topicConfigs({ prefix: topicPrefix, partitions: 3, replicationFactor: 1, maxMessageBytes: 16 * 1024 * 1024 }, [topics.parcelEvents]));
    const events = parcelStory(PARCELS, destinations);
    const topic = `${topicPrefix}${topics.parcelEvents.name}`;
    for (let i = 0; i < events.length; i += PUBLISH_BATCH) {
      await publish(producer, topic, events.slice(i, i + PUBLISH_BATCH).map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
    }

    // 2. dispatch folds them: from its first applied event until the last.
    dispatch = await startDispatch(await freePort());
    await waitUntil(async () => (await foldedCount(pool)) > 0, 60_000);
    const started = performance.now();
    const first = await foldedCount(pool);
    await waitUntil(async () => (await foldedCount(pool)) >= events.length, 600_000, 20);
    const seconds = (performance.now() - started) / 1000;
    emit('dispatch.events.throughput', (events.length - first) / seconds, 'events/s', { events: events.length, seconds: Math.round(seconds * 100) / 100 });

    // 3. A wave's input for the county: its master data, and as many waiting parcels again as were folded.
    await upsertMasterData(pool, { countyId, entity: 'county', id: countyId, record: countyRecord(countyId), active: true });
    const stations = [
      stationRecord(countyId, network.center, 'center'),
      ...network.towns.map((s) => stationRecord(countyId, s, 'town')),
      ...network.villages.map((s) => stationRecord(countyId, s, 'village')),
    ];
    for (const s of stations) await upsertMasterData(pool, { countyId, entity: 'station', id: s.id, record: s, active: true });
    for (const c of COURIERS) await upsertMasterData(pool, { countyId, entity: 'courier', id: c, record: courierRecord(countyId, c), active: true });
    for (let v = 1; v <= 30; v++) {
      const vehicle = vehicleRecord(countyId, `van-${v}`, v % 6 === 0 ? { owner: { kind: 'courier', courierId: COURIERS[v % COURIERS.length]! } } : {});
      await upsertMasterData(pool, { countyId, entity: 'vehicle', id: vehicle.id, record: vehicle, active: true });
    }
    const more = POOL_PARCELS - PARCELS;
    if (more > 0) await applyParcelChanges(pool, foldParcelEvents(parcelStory(more, destinations)));
    const runs: number[] = [];
    let waiting = 0;
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      const result = await loadWaveInput(pool, countyId, '2026-06-02', 'am');
      runs.push((performance.now() - t0) / 1000);
      if (!result.ok) throw new Error(`wave input refused: ${result.refusal.reason}`);
      waiting = result.input.parcels.length;
    }
    runs.sort((a, b) => a - b);
    emit('dispatch.wave_input.seconds', runs[2]!, 's', { stations: STATIONS, parcels: waiting, runs: runs.length, statistic: 'median' });
  } finally {
    await producer.disconnect();
    if (dispatch) {
      dispatch.kill('SIGTERM');
      await new Promise((r) => dispatch!.once('exit', r));
    }
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
