// `npm run bench:coldchain`: coldchain's readings in, against real Kafka, Postgres and Mosquitto, with coldchain's
// runtime, ingest and consumers as main.ts wires them, in this process so the listener (monitoring's tracker) can be
// watched. Prints JSON lines {"bench", "value", "unit"}. scripts/bench-coldchain.mjs brings up what it needs.
//
//   coldchain.readings.throughput  readings/s from publishing to Kafka `coldchain.readings` until every reading is
//                                  stored and the listener has heard it (issue #11 target ≥ 10,000/s)
//   coldchain.mqtt.throughput      the same from MQTT `county/<countyId>/coldchain/<containerId>/readings`, each
//                                  message acknowledged only once stored (target ≥ 5,000/s)
//   coldchain.alert.p50_ms/p99_ms  monitoring's: from publishing the reading beyond tolerance to the alarm on
//                                  `coldchain.events` — added in the section marked below
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { buildEvent } from '@county/contracts';
import { baseConfigSchema, consume, createKafka, createLogger, createPool, createProducer, openRuntime, publish, waitForTopics, type Runtime } from '@county/platform';
import mqtt from 'mqtt';
import { openReadings, readingsConsumer, readingsTopic, runReadings, type ReadingsListener } from '../services/coldchain/src/readings/index.js';

const KAFKA_READINGS = Number(process.env.BENCH_COLDCHAIN_READINGS ?? 100_000);
const MQTT_READINGS = Number(process.env.BENCH_COLDCHAIN_MQTT_READINGS ?? 40_000);
/** A gateway's batch: 2 sensors × 5 readings, sent every few minutes. */
const KAFKA_PER_MESSAGE = Number(process.env.BENCH_COLDCHAIN_PER_MESSAGE ?? 10);
const MQTT_PER_MESSAGE = Number(process.env.BENCH_COLDCHAIN_MQTT_PER_MESSAGE ?? 20);
const CONTAINERS = 100;
const MQTT_AHEAD = 500;
const coldchainMigrationsDir = fileURLToPath(new URL('../services/coldchain/db/migrations', import.meta.url));

const id = randomBytes(3).toString('hex');
const schema = `bench_${id}_coldchain`;
const topicPrefix = `bench-${id}.`;
const countyId = 'cn-430225';
const mqttUrl = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';

function emit(bench: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ bench, value: Math.round(value * 1000) / 1000, unit, ...extra })}\n`);
}

/** Counts what the listener heard; resolves `reached(n)` once it has heard n readings in all. */
function countingListener(inner?: ReadingsListener) {
  let heard = 0;
  let waiting: { n: number; resolve: () => void }[] = [];
  const listener: ReadingsListener = {
    async onReadings(county, container, readings) {
      await inner?.onReadings(county, container, readings);
      heard += readings.length;
      waiting = waiting.filter((w) => (heard >= w.n ? (w.resolve(), false) : true));
    },
  };
  return {
    listener,
    heard: () => heard,
    reached: (n: number) => (heard >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve }))),
  };
}

const containerIds = Array.from({ length: CONTAINERS }, (_, i) => (i % 5 === 4 ? `st-${i}/cold-room` : `veh-${i}/refrigerated`));

/** `count` readings in messages of `perMessage`, one container per message, each reading new. */
function* messages(count: number, perMessage: number, start: number) {
  const t0 = Date.now() - 6 * 3600_000;
  for (let m = 0; m * perMessage < count; m++) {
    const containerId = containerIds[m % CONTAINERS]!;
    const readings = Array.from({ length: Math.min(perMessage, count - m * perMessage) }, (_, i) => ({
      containerId,
      sensorId: `s${i % 2}`,
      temperatureC: 2 + ((m + i) % 60) / 10,
      measuredAt: new Date(t0 + (start + m) * 1000 + Math.floor(i / 2) * 30_000).toISOString(),
    }));
    yield { containerId, readings };
  }
}

async function kafkaThroughput(runtime: Runtime, counter: ReturnType<typeof countingListener>): Promise<void> {
  const producer = createProducer(createKafka({ brokers: runtime.config.KAFKA_BROKERS, clientId: 'bench-gateway', logger: runtime.logger }));
  await producer.connect();
  const topic = `${topicPrefix}coldchain.readings`;
  const batch = [...messages(KAFKA_READINGS, KAFKA_PER_MESSAGE, 0)].map(({ containerId, readings }) => ({
    key: containerId,
    value: JSON.stringify(buildEvent({ type: 'coldchain.readings_submitted', countyId, subject: containerId, source: 'bench', data: { gatewayId: 'gw', readings } })),
  }));
  const before = counter.heard();
  const t0 = performance.now();
  for (let i = 0; i < batch.length; i += 1_000) await publish(producer, topic, batch.slice(i, i + 1_000));
  await counter.reached(before + KAFKA_READINGS);
  const seconds = (performance.now() - t0) / 1000;
  emit('coldchain.readings.throughput', KAFKA_READINGS / seconds, 'readings/s', { readings: KAFKA_READINGS, perMessage: KAFKA_PER_MESSAGE, containers: CONTAINERS, seconds: Math.round(seconds * 100) / 100, target: 10_000 });
  await producer.disconnect();
}

async function mqttThroughput(counter: ReturnType<typeof countingListener>): Promise<void> {
  const gateway = await mqtt.connectAsync(mqttUrl, { protocolVersion: 5, clientId: `bench-gateway-${id}` });
  const all = [...messages(MQTT_READINGS, MQTT_PER_MESSAGE, Math.ceil(KAFKA_READINGS / KAFKA_PER_MESSAGE) + 1_000)];
  const before = counter.heard();
  const t0 = performance.now();
  // Gateways publish as the readings come, not all at once: at most MQTT_AHEAD messages beyond what coldchain has
  // stored, as a broker queues only so many for a subscriber (Mosquitto's max_queued_messages, 1,000 by default).
  const published: Promise<unknown>[] = [];
  for (const [m, { containerId, readings }] of all.entries()) {
    if (m >= MQTT_AHEAD) await counter.reached(before + (m - MQTT_AHEAD + 1) * MQTT_PER_MESSAGE);
    published.push(gateway.publishAsync(readingsTopic(topicPrefix, countyId, containerId), JSON.stringify({ readings }), { qos: 1 }));
  }
  await Promise.all(published);
  await counter.reached(before + MQTT_READINGS);
  const seconds = (performance.now() - t0) / 1000;
  emit('coldchain.mqtt.throughput', MQTT_READINGS / seconds, 'readings/s', { readings: MQTT_READINGS, perMessage: MQTT_PER_MESSAGE, containers: CONTAINERS, seconds: Math.round(seconds * 100) / 100, target: 5_000 });
  await gateway.endAsync();
}

async function main(): Promise<void> {
  const config = baseConfigSchema.parse({ ...process.env, PORT: '0', LOG_LEVEL: 'error', DB_SCHEMA: schema, TOPIC_PREFIX: topicPrefix, GROUP_PREFIX: topicPrefix });
  const logger = createLogger({ service: 'coldchain', level: (process.env.LOG_LEVEL as 'error') ?? 'error' });
  const runtime = openRuntime({ service: 'coldchain', config, migrationsDir: coldchainMigrationsDir, logger });
  // Monitoring's tracker goes inside the counter here once it lands: countingListener(tracker).
  const counter = countingListener();
  try {
    await runtime.migrated;
    const readings = openReadings(runtime, config, { listener: counter.listener, ports: { knownContainers: async (_db, _county, ids) => new Set(ids) } });
    runReadings(runtime, readings, {
      ...config,
      READINGS_CLOCK_SKEW_SECONDS: 300,
      READINGS_RETENTION_DAYS: 366,
      MQTT_URL: mqttUrl,
      MQTT_ENABLED: true,
      MQTT_CLIENT_ID: `${topicPrefix}coldchain`,
    });
    const admin = runtime.kafka.admin();
    await admin.connect();
    await waitForTopics(admin, [`${topicPrefix}coldchain.readings`], { timeoutMs: 60_000 });
    await admin.disconnect();
    await consume(runtime, readingsConsumer('coldchain', readings.ingest));

    await kafkaThroughput(runtime, counter);
    // MQTT: subscribed once a first message is heard.
    const probe = await mqtt.connectAsync(mqttUrl, { protocolVersion: 5, clientId: `bench-probe-${id}` });
    const heardBefore = counter.heard();
    const deadline = Date.now() + 60_000;
    for (let i = 0; counter.heard() === heardBefore; i++) {
      if (Date.now() > deadline) throw new Error('coldchain did not subscribe to MQTT within 60 s');
      const r = { containerId: containerIds[0]!, sensorId: 'probe', temperatureC: 4, measuredAt: new Date(Date.now() - 60_000 + i).toISOString() };
      await probe.publishAsync(readingsTopic(topicPrefix, countyId, r.containerId), JSON.stringify(r), { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await probe.endAsync();
    await mqttThroughput(counter);

    // ── coldchain.alert.p50_ms / coldchain.alert.p99_ms (monitoring) ────────────────────────────────────────────
    // From publishing the reading that exceeds the tolerance to the alarm event on `coldchain.events`: the
    // monitoring engineer adds it here, over the same runtime and topics.
  } finally {
    await runtime.lifecycle.shutdown();
    const pool = createPool({ url: config.DATABASE_URL, schema, logger });
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
    const admin = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'bench-cleanup', logger }).admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
  }
}

await main();
process.exit(0);
