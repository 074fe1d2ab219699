// `npm run bench:coldchain`: coldchain's readings in, against real Kafka, Postgres and Mosquitto, with coldchain's
// runtime, ingest and consumers as main.ts wires them, in this process so the listener (monitoring's tracker) can be
// watched. Prints JSON lines {"bench", "value", "unit"}. scripts/bench-coldchain.mjs brings up what it needs.
//
//   coldchain.readings.throughput  readings/s from publishing to Kafka `coldchain.readings` until every reading is
//                                  stored and the listener has heard it (issue #11 target ≥ 10,000/s)
//   coldchain.mqtt.throughput      the same from MQTT `county/<countyId>/coldchain/<containerId>/readings`, each
//                                  message acknowledged only once stored (target ≥ 5,000/s)
//   coldchain.alert.p50_ms/p99_ms  from publishing (Kafka) the reading that takes an open excursion past its tolerance
//                                  to the `tolerance_exceeded` alarm on `coldchain.events` (target p99 ≤ 2 s)
//
// The listener is monitoring's tracker (src/monitoring/), as main.ts wires it: the throughputs include folding every
// reading into its container's excursion state. Every container expects the chilled profile (2–8 °C) here, so the
// throughput readings (2.0–7.9 °C) stay in range: the steady state of a fleet.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { buildEvent } from '@county/contracts';
import { baseConfigSchema, consume, createKafka, createLogger, createPool, createProducer, openRuntime, publish, waitForTopics, type Runtime } from '@county/platform';
import mqtt from 'mqtt';
import { openMonitoring, runMonitoring, type MonitoringPorts } from '../services/coldchain/src/monitoring/index.js';
import { monitoringPorts } from '../services/coldchain/src/monitoring/wiring.js';
import { openReadings, readingsConsumer, readingsTopic, runReadings, type ReadingsListener } from '../services/coldchain/src/readings/index.js';
import { applyContainer } from '../services/coldchain/src/catalogue/store/containers.js';

const KAFKA_READINGS = Number(process.env.BENCH_COLDCHAIN_READINGS ?? 100_000);
const MQTT_READINGS = Number(process.env.BENCH_COLDCHAIN_MQTT_READINGS ?? 40_000);
/** A gateway's batch: 2 sensors × 5 readings, sent every few minutes. */
const KAFKA_PER_MESSAGE = Number(process.env.BENCH_COLDCHAIN_PER_MESSAGE ?? 10);
const MQTT_PER_MESSAGE = Number(process.env.BENCH_COLDCHAIN_MQTT_PER_MESSAGE ?? 20);
const CONTAINERS = 100;
const MQTT_AHEAD = 500;
const ALERT_TRIALS = Number(process.env.BENCH_COLDCHAIN_ALERT_TRIALS ?? 100);
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

/**
 * `count` readings in messages of `perMessage`, one container per message, each reading new: two sensors reading every
 * 30 s, each container's messages in time order (a gateway sends its readings as it takes them), from `start` on.
 */
function* messages(count: number, perMessage: number, start: number) {
  const t0 = Date.now() - 6 * 3600_000 + start;
  const span = Math.ceil(perMessage / 2) * 30_000;
  for (let m = 0; m * perMessage < count; m++) {
    const containerId = containerIds[m % CONTAINERS]!;
    const round = Math.floor(m / CONTAINERS);
    const readings = Array.from({ length: Math.min(perMessage, count - m * perMessage) }, (_, i) => ({
      containerId,
      sensorId: `s${i % 2}`,
      temperatureC: 2 + ((m + i) % 60) / 10,
      measuredAt: new Date(t0 + round * span + Math.floor(i / 2) * 30_000 + (m % CONTAINERS)).toISOString(),
    }));
    yield { containerId, readings };
  }
}

/** Where each throughput run's readings start, after the previous run's (ms after six hours ago). */
const runSpan = (count: number, perMessage: number) => Math.ceil(count / perMessage / CONTAINERS) * Math.ceil(perMessage / 2) * 30_000 + 60_000;

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
  const all = [...messages(MQTT_READINGS, MQTT_PER_MESSAGE, runSpan(KAFKA_READINGS, KAFKA_PER_MESSAGE))];
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

/** The chilled profile for every container (the catalogue's containers are not this bench's subject). */
const chilled = { id: 'chilled', minC: 2, maxC: 8, toleratedMinutes: 30, silenceGapMinutes: 15 };
const benchPorts: MonitoringPorts = { ...monitoringPorts, profileOfContainer: async () => chilled, parcelsInContainer: async () => [] };

/**
 * ALERT_TRIALS containers each carry an open excursion at 9 °C of exactly the tolerated 30 minutes (61 readings every
 * 30 s, folded beforehand); then, one container at a time, the next reading at 9 °C is published to Kafka and the
 * clock runs until its `coldchain.alarm_raised` is read from `coldchain.events`: Kafka → ingest (stored, committed)
 * → tracker (the transition through Postgres, the event in the outbox) → relay → Kafka → a consumer.
 */
async function alertLatency(runtime: Runtime, counter: ReturnType<typeof countingListener>): Promise<void> {
  const kafka = createKafka({ brokers: runtime.config.KAFKA_BROKERS, clientId: 'bench-alerts', logger: runtime.logger });
  const producer = createProducer(kafka);
  await producer.connect();
  const readingsTopicName = `${topicPrefix}coldchain.readings`;
  const eventsTopic = `${topicPrefix}coldchain.events`;
  const admin = kafka.admin();
  await admin.connect();
  await waitForTopics(admin, [eventsTopic], { timeoutMs: 60_000 });
  await admin.disconnect();
  const alarms = new Map<string, () => void>();
  const consumer = kafka.consumer({ groupId: `${topicPrefix}bench-alerts`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic: eventsTopic, fromBeginning: false });
  let assigned = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (assigned = true));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(message.value?.toString() ?? '{}') as { type?: string; subject?: string };
      if (event.type === 'coldchain.alarm_raised' && event.subject) alarms.get(event.subject)?.();
    },
  });
  while (!assigned) await new Promise((resolve) => setTimeout(resolve, 100));

  const base = Date.now() - 45 * 60_000;
  const reading = (containerId: string, k: number) => ({ containerId, sensorId: 's0', temperatureC: 9, measuredAt: new Date(base + k * 30_000).toISOString() });
  const submitted = (containerId: string, readings: ReturnType<typeof reading>[]) => ({
    key: containerId,
    value: JSON.stringify(buildEvent({ type: 'coldchain.readings_submitted', countyId, subject: containerId, source: 'bench', data: { gatewayId: 'gw', readings } })),
  });
  const trials = Array.from({ length: ALERT_TRIALS }, (_, i) => `alert-${i}/refrigerated`);
  const before = counter.heard();
  await publish(producer, readingsTopicName, trials.map((containerId) => submitted(containerId, Array.from({ length: 61 }, (_, k) => reading(containerId, k)))));
  await counter.reached(before + trials.length * 61);

  const latencies: number[] = [];
  for (const containerId of trials) {
    const raised = new Promise<number>((resolve) => alarms.set(containerId, () => resolve(performance.now())));
    const t0 = performance.now();
    await publish(producer, readingsTopicName, [submitted(containerId, [reading(containerId, 61)])]);
    latencies.push((await raised) - t0);
  }
  await consumer.disconnect();
  await producer.disconnect();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
  emit('coldchain.alert.p50_ms', at(0.5), 'ms', { trials: latencies.length });
  emit('coldchain.alert.p99_ms', at(0.99), 'ms', { trials: latencies.length, max: Math.round(latencies[latencies.length - 1]!), target: 2_000 });
}

async function main(): Promise<void> {
  const config = baseConfigSchema.parse({ ...process.env, PORT: '0', LOG_LEVEL: 'error', DB_SCHEMA: schema, TOPIC_PREFIX: topicPrefix, GROUP_PREFIX: topicPrefix });
  const logger = createLogger({ service: 'coldchain', level: (process.env.LOG_LEVEL as 'error') ?? 'error' });
  const runtime = openRuntime({ service: 'coldchain', config, migrationsDir: coldchainMigrationsDir, logger });
  // Monitoring's tracker as main.ts wires it, every container expecting the chilled profile; no parcels bound.
  const monitoring = openMonitoring(runtime, { ports: benchPorts });
  runMonitoring(runtime, monitoring);
  const counter = countingListener(monitoring.tracker);
  try {
    await runtime.migrated;
    // The county's containers in the catalogue's table, as master data would make them: the ingest asks the
    // catalogue (its default port, as in main.ts) whether each batch's container exists.
    const alertTrials = Array.from({ length: ALERT_TRIALS }, (_, i) => `alert-${i}/refrigerated`);
    for (const containerId of [...containerIds, ...alertTrials, 'probe/refrigerated']) {
      const [id, form] = containerId.split('/') as [string, string];
      const coldRoom = form === 'cold-room';
      await applyContainer(runtime.pool, {
        countyId,
        containerId,
        kind: coldRoom ? 'cold_room' : 'vehicle_compartment',
        vehicleId: coldRoom ? null : id,
        stationId: coldRoom ? id : null,
        capacityM3: 2,
        active: true,
      });
    }
    const readings = openReadings(runtime, config, { listener: counter.listener });
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
      const r = { containerId: 'probe/refrigerated', sensorId: 'probe', temperatureC: 4, measuredAt: new Date(Date.now() - 60_000 + i).toISOString() };
      await probe.publishAsync(readingsTopic(topicPrefix, countyId, r.containerId), JSON.stringify(r), { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await probe.endAsync();
    await mqttThroughput(counter);

    // ── coldchain.alert.p50_ms / coldchain.alert.p99_ms (monitoring) ────────────────────────────────────────────
    await alertLatency(runtime, counter);
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
