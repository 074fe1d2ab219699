import { fileURLToPath } from 'node:url';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger, waitFor } from '../../../tests/support/harness.js';
import { consume, createHttpApp, createProducer, guardDecompression, openRuntime, type Producer, type Runtime } from '../src/index.js';
import { reading, READINGS, recordReadings } from './support/messaging.js';

// Issue #8: a batch kafkajs could not decode killed intake's consumer for good while readiness
// said 200. Here the snappy decoder fails until it is "fixed", and the consumer must be reported
// down, restarted, and apply everything afterwards.
const migrationsDir = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));
const CONSUMER = 'restart-probe';
let runtime: Runtime;
let app: Awaited<ReturnType<typeof createHttpApp>>;
let producer: Producer;
let snappyBroken = true;

beforeAll(async () => {
  const iso = isolation();
  runtime = openRuntime({ service: 'test', config: testConfig(iso), migrationsDir, logger: testLogger() });
  await runtime.migrated;
  app = await createHttpApp({ service: 'test', logger: runtime.logger, metrics: runtime.metrics, health: runtime.health });
  runtime.lifecycle.add('http', () => app.close());
  // The platform registered the real codecs when it created its Kafka client; now decoding snappy
  // fails as a corrupt batch would (an ordinary error, which kafkajs alone would retry forever)
  // until the test repairs it. Producing still compresses with the real codec.
  const snappy = CompressionCodecs[CompressionTypes.Snappy];
  CompressionCodecs[CompressionTypes.Snappy] = guardDecompression('snappy', () => {
    const codec = snappy();
    return {
      compress: codec.compress,
      decompress: (buffer: Buffer) => (snappyBroken ? Promise.reject(new Error('Invalid Snappy bitstream')) : codec.decompress(buffer)),
    };
  });
  producer = createProducer(runtime.kafka);
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await runtime?.lifecycle.shutdown();
});

const topic = () => `${runtime.config.TOPIC_PREFIX}${READINGS}`;

async function readiness(): Promise<{ status: string; degraded: string[] }> {
  const res = await app.inject({ method: 'GET', url: '/health/ready' });
  expect(res.statusCode).toBe(200);
  return res.json();
}

/** The value of a metric's line for this consumer, as Prometheus would scrape it. */
async function metric(name: string): Promise<number | undefined> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`consumer="${CONSUMER}"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function appliedItems(): Promise<string[]> {
  return (await runtime.pool.query<{ item: string }>('SELECT item FROM applied ORDER BY seq')).rows.map((r) => r.item);
}

describe('a consumer that crashes', () => {
  it('is reported down while it crashes, comes back by itself, and applies what arrived meanwhile once', async () => {
    await consume(runtime, { name: CONSUMER, topics: [READINGS], handlers: recordReadings() });
    expect(await metric('consumer_up')).toBe(1);
    expect((await readiness()).degraded).not.toContain(`consumer:${CONSUMER}`);

    const undecodable = reading('truck-1', 4.5);
    await producer.send({ topic: topic(), messages: [{ key: 'truck-1', value: JSON.stringify(undecodable) }], compression: CompressionTypes.Snappy, acks: -1 });

    // Down: readiness names it (degraded, still 200: the service takes requests), the gauge says 0.
    await waitFor(async () => ((await readiness()).degraded.includes(`consumer:${CONSUMER}`) && (await metric('consumer_up')) === 0 ? true : undefined));
    await waitFor(async () => ((await metric('consumer_restarts_total')) ?? 0) >= 2 ? true : undefined);
    expect(await appliedItems()).toEqual([]);

    snappyBroken = false;
    const later = reading('truck-1', 5.5, 1);
    await producer.send({ topic: topic(), messages: [{ key: 'truck-1', value: JSON.stringify(later) }], acks: -1 });

    await waitFor(async () => ((await appliedItems()).length === 2 ? true : undefined), { timeoutMs: 45_000 });
    expect(await appliedItems()).toEqual(['truck-1:4.5', 'truck-1:5.5']);
    await waitFor(async () => ((await metric('consumer_up')) === 1 && !(await readiness()).degraded.includes(`consumer:${CONSUMER}`) ? true : undefined));
  });
});
