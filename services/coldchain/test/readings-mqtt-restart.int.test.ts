import { createPool, type Pool, type Producer } from '@county/platform';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger, waitFor } from '../../../tests/support/harness.js';
import { killService, startServiceProcess, type ServiceProcess } from '../../../tests/support/service-process.js';
import { readingsTopic } from '../src/readings/index.js';
import { county, gatewayProducer, mqttGateway, reading, seedContainers } from './readings-support.js';

const iso = isolation();
const config = testConfig(iso);
let service: ServiceProcess | undefined;
let gateway: MqttClient;
let pool: Pool;
let masterData: Producer;

beforeAll(async () => {
  service = await startServiceProcess('coldchain', iso);
  pool = createPool({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, logger: testLogger() });
  gateway = await mqttGateway();
  masterData = await gatewayProducer(config);
});

afterAll(async () => {
  await gateway?.endAsync();
  await masterData?.disconnect();
  await killService(service);
  await pool?.end();
});

/** The county's readings but the probe's (V0). */
async function count(countyId: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM readings WHERE county_id = $1 AND container_id <> 'V0/refrigerated'", [countyId]);
  return Number(rows[0]!.n);
}

describe('MQTT readings across a restart', () => {
  it('the service killed mid-stream and started again stores every reading published, once', async () => {
    const c = county();
    const containers = ['V1/refrigerated', 'V2/refrigerated', 'S1/cold-room'];
    // The county's containers, from master data through the service's catalogue consumer.
    await seedContainers(masterData, config, pool, c, ['V0/refrigerated', ...containers]);
    // Subscribed once a first message is stored (the session is new): one probe reading, sent until it is stored.
    const probe = JSON.stringify(reading('V0/refrigerated', 's1', 0));
    await waitFor(
      async () => {
        await gateway.publishAsync(readingsTopic(config.TOPIC_PREFIX, c, 'V0/refrigerated'), probe, { qos: 1 });
        const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM readings WHERE county_id = $1 AND container_id = 'V0/refrigerated'", [c]);
        return rows[0]!.n > 0 ? true : undefined;
      },
      { intervalMs: 500 },
    );
    const messages = 600;
    const perMessage = 5;
    const expected = new Set<string>();
    const published: Promise<unknown>[] = [];
    for (let m = 0; m < messages; m++) {
      const containerId = containers[m % containers.length]!;
      const batch = Array.from({ length: perMessage }, (_, i) => {
        const r = { ...reading(containerId, `s${i}`, 0), measuredAt: new Date(Date.now() - 3600_000 + m * 1000).toISOString() };
        expected.add(`${containerId}|s${i}|${r.measuredAt}`);
        return r;
      });
      published.push(gateway.publishAsync(readingsTopic(config.TOPIC_PREFIX, c, containerId), JSON.stringify({ readings: batch }), { qos: 1 }));
    }
    // Killed while the stream is being stored, the broker holding the rest: what the service had read and not yet
    // stored it had not acknowledged either, so that comes again with the rest.
    await waitFor(async () => ((await count(c)) >= 500 ? true : undefined), { timeoutMs: 60_000, intervalMs: 20 });
    await killService(service);
    const storedWhenKilled = await count(c);
    await Promise.all(published);
    expect(storedWhenKilled).toBeLessThan(expected.size);

    service = await startServiceProcess('coldchain', iso);
    await waitFor(async () => ((await count(c)) === expected.size ? true : undefined), { timeoutMs: 60_000, intervalMs: 250 });
    const { rows } = await pool.query<{ container_id: string; sensor_id: string; measured_at: Date }>(
      "SELECT container_id, sensor_id, measured_at FROM readings WHERE county_id = $1 AND container_id <> 'V0/refrigerated'",
      [c],
    );
    expect(new Set(rows.map((r) => `${r.container_id}|${r.sensor_id}|${r.measured_at.toISOString()}`))).toEqual(expected);
    // Two processes started and 3,000 readings stored beside the other suites on two cores: more than the default
    // minute; each wait above keeps its own deadline.
  }, 180_000);
});
