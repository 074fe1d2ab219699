// `npm run bench:intake`: intake throughput and latency on this machine, against real Kafka,
// Postgres and Redis, with intake running as its own process (as `npm start` runs it). Prints JSON
// lines {"bench", "value", "unit"}. scripts/bench-intake.mjs brings up what it needs and stops
// what it started; this file measures.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildEvent, topics } from '@county/contracts';
import { createKafka, createLogger, createOutbox, createPool, createProducer, issueKey, publish, withTransaction } from '@county/platform';
import { demoParcels, loadDemoCounty, seedDemoCounty, servedVillages } from '../tests/support/demo-county.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const KAFKA_PARCELS = Number(process.env.BENCH_KAFKA_PARCELS ?? 20_000);
const REST_PARCELS = Number(process.env.BENCH_REST_PARCELS ?? 10_000);
const REST_BATCH = 1_000;
const POST_RATE = 200;
const POST_SECONDS = Number(process.env.BENCH_POST_SECONDS ?? 10);
const MIXED_MANIFESTS = Number(process.env.BENCH_MIXED_MANIFESTS ?? 20);
const CONCURRENCY_SECONDS = Number(process.env.BENCH_CONCURRENCY_SECONDS ?? 8);
/** Which measurements to run (all by default): `kafka`, `rest`, `post`, `concurrency`, `mixed`. */
const STAGES = new Set((process.env.BENCH_STAGES ?? 'kafka,rest,post,concurrency,mixed').split(','));

const env = { KAFKA_BROKERS: process.env.KAFKA_BROKERS!, DATABASE_URL: process.env.DATABASE_URL!, REDIS_URL: process.env.REDIS_URL! };
const id = randomBytes(3).toString('hex');
const schema = `bench_${id}_intake`;
const topicPrefix = `bench-${id}.`;
const logger = createLogger({ service: 'bench', level: 'warn' });

function emit(bench: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench, value: Math.round(value * 100) / 100, unit, ...extra })}\n`);
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

async function startIntake(port: number): Promise<ChildProcess> {
  // BENCH_INTAKE_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the service.
  const nodeArgs = (process.env.BENCH_INTAKE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'services/intake/dist/main.js'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env, PORT: String(port), DB_SCHEMA: schema, TOPIC_PREFIX: topicPrefix, GROUP_PREFIX: topicPrefix, LOG_LEVEL: 'warn' },
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false);
    if (ready) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('intake did not become ready within 60 s');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const demo = await loadDemoCounty();
  const villages = servedVillages(demo);
  const port = await freePort();
  const intake = await startIntake(port);
  const pool = createPool({ url: env.DATABASE_URL, schema, logger });
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS.split(','), clientId: 'bench', logger });
  const admin = kafka.admin();
  await admin.connect();
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    await seedDemoCounty(pool, demo);
    const outbox = createOutbox({ topicPrefix });
    const { key } = await withTransaction(pool, (tx) =>
      issueKey(tx, outbox, { countyId: demo.county.id, role: 'courier', scope: { courierId: 'zto' }, name: 'bench', rateLimitPerMinute: 100_000 }, new Date()),
    );
    const url = `http://127.0.0.1:${port}`;
    const headers = { 'x-api-key': key, 'content-type': 'application/json' };
    const parcelEvents = `${topicPrefix}${topics.parcelEvents.name}`;
    const eventCount = async () => (await admin.fetchTopicOffsets(parcelEvents)).reduce((n, p) => n + Number(p.high), 0);
    await waitUntil(async () => (await admin.listTopics()).includes(parcelEvents));

    if (STAGES.has('kafka')) await kafkaStage();
    if (STAGES.has('rest')) await restStage();
    if (STAGES.has('post')) await postStage();
    if (STAGES.has('concurrency')) await concurrencyStage();
    if (STAGES.has('mixed')) await mixedStage();

    // 1. Kafka: manifests of 1,000 parcels, from the first publish until the relay has published
    //    the last parcel's event.
    async function kafkaStage() {
      const before = await eventCount();
      const manifests = Array.from({ length: Math.ceil(KAFKA_PARCELS / 1000) }, (_, m) =>
        buildEvent({
          type: 'courier.manifest_submitted',
          countyId: demo.county.id,
          subject: 'yto',
          source: 'yto',
          data: { courierId: 'yto', manifestId: `bench-${m}`, parcels: demoParcels(`YT${m}`, 1000, villages) },
        }),
      );
      const started = performance.now();
      for (const manifest of manifests) await publish(producer, `${topicPrefix}${topics.courierManifests.name}`, [{ key: 'yto', value: JSON.stringify(manifest) }]);
      await waitUntil(async () => (await eventCount()) - before >= manifests.length * 1000, 600_000);
      const kafkaSeconds = (performance.now() - started) / 1000;
      emit('intake.kafka.throughput', (manifests.length * 1000) / kafkaSeconds, 'parcels/s', { parcels: manifests.length * 1000, seconds: round(kafkaSeconds) });
    }

    // 2. REST batches of 1,000, one after another.
    async function restStage() {
      const restStarted = performance.now();
      for (let b = 0; b < REST_PARCELS / REST_BATCH; b++) {
        const res = await fetch(`${url}/parcels/batch`, { method: 'POST', headers, body: JSON.stringify({ parcels: demoParcels(`ZT${b}`, REST_BATCH, villages) }) });
        if (res.status !== 200) throw new Error(`batch ${b}: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { counts: { created: number } };
        if (body.counts.created !== REST_BATCH) throw new Error(`batch ${b}: ${JSON.stringify(body.counts)}`);
      }
      const restSeconds = (performance.now() - restStarted) / 1000;
      emit('intake.rest.throughput', REST_PARCELS / restSeconds, 'parcels/s', { parcels: REST_PARCELS, seconds: round(restSeconds) });
    }

    // 3. Single-parcel POSTs at a steady 200 per second (open loop), latency of each, after a
    //    warm-up second (connection pools filling, JIT) that is not measured.
    type Parcel = ReturnType<typeof demoParcels>[number];
    async function sendPost(parcel: Parcel, i: number) {
      const res = await fetch(`${url}/parcels`, { method: 'POST', headers, body: JSON.stringify(parcel) });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`single POST ${i}: ${res.status}`);
    }
    /** Open loop: request i is sent at i / POST_RATE seconds, whether earlier ones answered or not. */
    function atRate(batch: Parcel[], each: (parcel: Parcel, i: number) => Promise<void>) {
      const t0 = performance.now();
      return Promise.all(
        batch.map(async (parcel, i) => {
          await new Promise((r) => setTimeout(r, Math.max(0, t0 + (i * 1000) / POST_RATE - performance.now())));
          await each(parcel, i);
        }),
      );
    }

    async function postStage() {
      const send = sendPost;
      await atRate(demoParcels('ZW', POST_RATE, villages), send);
      const total = POST_RATE * POST_SECONDS;
      const latencies: number[] = [];
      await atRate(demoParcels('ZS', total, villages), async (parcel, i) => {
        const sent = performance.now();
        await send(parcel, i);
        latencies.push(performance.now() - sent);
      });
      latencies.sort((a, b) => a - b);
      emit('intake.post.p50_ms', percentile(latencies, 50), 'ms', { requests: total, rate: POST_RATE });
      emit('intake.post.p99_ms', percentile(latencies, 99), 'ms', {
        requests: total,
        rate: POST_RATE,
        p90: round(percentile(latencies, 90)),
        max: round(latencies.at(-1)!),
        // What the service itself measured, to tell its time from the client's and the network's.
        // Warm-up requests included.
        serverBuckets: await serverBuckets(url, '/parcels'),
      });
    }

    // 4. Single POSTs as fast as N clients can send them (closed loop, as wrk does): throughput must
    //    not fall as connections rise.
    async function concurrencyStage() {
      for (const connections of [4, 64]) {
        let sent = 0;
        const deadline = performance.now() + CONCURRENCY_SECONDS * 1000;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: connections }, async (_, c) => {
            for (let i = 0; performance.now() < deadline; i++) {
              await sendPost(demoParcels(`ZC${connections}x${c}x`, 1, villages, i)[0]!, i);
              sent += 1;
            }
          }),
        );
        emit(`intake.post.throughput_c${connections}`, sent / ((performance.now() - started) / 1000), 'requests/s', { connections, requests: sent });
      }
    }

    // 5. Single POSTs at 200/s while manifests of 1,000 are being processed: a courier's bulk load
    //    must not make an operator's single POST wait.
    async function mixedStage() {
      const manifests = Array.from({ length: MIXED_MANIFESTS }, (_, m) =>
        buildEvent({
          type: 'courier.manifest_submitted',
          countyId: demo.county.id,
          subject: 'sto',
          source: 'sto',
          data: { courierId: 'sto', manifestId: `mixed-${m}`, parcels: demoParcels(`ST${m}`, 1000, villages) },
        }),
      );
      const before = await eventCount();
      for (const manifest of manifests) await publish(producer, `${topicPrefix}${topics.courierManifests.name}`, [{ key: 'sto', value: JSON.stringify(manifest) }]);
      const latencies: number[] = [];
      const posts = demoParcels('ZM', POST_RATE * POST_SECONDS, villages);
      await atRate(posts, async (parcel, i) => {
        const sent = performance.now();
        await sendPost(parcel, i);
        latencies.push(performance.now() - sent);
      });
      const backlog = MIXED_MANIFESTS * 1000 + posts.length - ((await eventCount()) - before);
      latencies.sort((a, b) => a - b);
      emit('intake.mixed.post_p99_ms', percentile(latencies, 99), 'ms', {
        requests: latencies.length,
        rate: POST_RATE,
        manifests: MIXED_MANIFESTS,
        p50: round(percentile(latencies, 50)),
        max: round(latencies.at(-1)!),
        // Parcel events not yet published when the POSTs ended: the bulk load was still running.
        eventsStillPending: backlog,
      });
      await waitUntil(async () => (await eventCount()) - before >= MIXED_MANIFESTS * 1000 + posts.length, 600_000);
    }
  } finally {
    await producer.disconnect();
    intake.kill('SIGTERM');
    await new Promise((r) => intake.once('exit', r));
    await pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Cumulative share of POST requests to `route` within each bucket of the service's histogram. */
async function serverBuckets(url: string, route: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts: [string, number][] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('http_request_duration_seconds_bucket') || !line.includes(`route="${route}"`) || !line.includes('method="POST"')) continue;
    if (!line.includes('status_code="201"')) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le) counts.push([le, Number(line.split(' ').at(-1))]);
  }
  const all = counts.find(([le]) => le === '+Inf')?.[1] ?? 1;
  return Object.fromEntries(counts.map(([le, n]) => [`le_${le}s`, round(n / all)]));
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench:intake failed: ${err.stack ?? err.message} cause: ${String((err as { cause?: unknown }).cause)}\n`);
  process.exit(1);
});
