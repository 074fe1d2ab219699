import { readDeadLetters } from '@county/platform';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { readingsBetween, readingsTopic } from '../src/readings/index.js';
import { county, mqttGateway, mqttUrl, reading, recordingListener, runningReadings } from './readings-support.js';

const iso = isolation();
const config = testConfig(iso);
const listener = recordingListener();
let service: Awaited<ReturnType<typeof runningReadings>>;
let gateway: MqttClient;

beforeAll(async () => {
  service = await runningReadings(config, { listener, mqtt: { MQTT_ENABLED: true, MQTT_URL: mqttUrl(), MQTT_CLIENT_ID: `${iso.groupPrefix}coldchain` } });
  gateway = await mqttGateway();
  // Subscribed once a first message is stored.
  const c = county();
  await waitFor(
    async () => {
      await gateway.publishAsync(readingsTopic(config.TOPIC_PREFIX, c, 'V0/refrigerated'), JSON.stringify(reading('V0/refrigerated', 's1', 1)), { qos: 1 });
      return (await readingsBetween(service.runtime.pool, c, 'V0/refrigerated', since, until)).length > 0 ? true : undefined;
    },
    { intervalMs: 500 },
  );
});

afterAll(async () => {
  await gateway?.endAsync();
  await service?.runtime.lifecycle.shutdown();
});

const since = new Date(Date.now() - 3600_000);
const until = new Date(Date.now() + 3600_000);
const dlq = `${config.TOPIC_PREFIX}coldchain.readings.dlq`;
const topic = (countyId: string, containerId: string) => readingsTopic(config.TOPIC_PREFIX, countyId, containerId);

describe('readings from MQTT county/<countyId>/coldchain/<containerId>/readings', () => {
  it('stores one reading or a batch, the county from the topic and the container from it when left out, each once', async () => {
    const c = county();
    const one = reading('V1/refrigerated', 's1', 4);
    const { containerId: _, ...bare } = reading('V1/refrigerated', 's1', 3);
    await gateway.publishAsync(topic(c, 'V1/refrigerated'), JSON.stringify(one), { qos: 1 });
    await gateway.publishAsync(topic(c, 'V1/refrigerated'), JSON.stringify({ gatewayId: 'gw-1', readings: [bare, one, reading('V1/refrigerated', 's2', 3)] }), { qos: 1 });
    await gateway.publishAsync(topic(c, 'V1/refrigerated'), JSON.stringify([one, bare]), { qos: 1 });
    const stored = await waitFor(async () => {
      const rows = await readingsBetween(service.runtime.pool, c, 'V1/refrigerated', since, until);
      return rows.length === 3 ? rows : undefined;
    });
    expect(stored.map((r) => [r.countyId, r.sensorId])).toEqual([
      [c, 's1'],
      [c, 's1'],
      [c, 's2'],
    ]);
    await service.readings.ingest.idle();
    expect(listener.heard.filter((h) => h.countyId === c).flatMap((h) => h.readings)).toHaveLength(3);
  });

  it('dead-letters bad messages to Kafka coldchain.readings.dlq with the reason, keeps a batch’s good readings, and goes on', async () => {
    const c = county();
    const good = reading('V2/refrigerated', 's1', 2);
    await gateway.publishAsync(topic(c, 'V2/refrigerated'), 'not json', { qos: 1 });
    await gateway.publishAsync(topic(c, 'V2/refrigerated'), JSON.stringify({ ...reading('V2/refrigerated', 's1', 1), temperatureC: 300 }), { qos: 1 });
    await gateway.publishAsync(topic(c, 'V2/refrigerated'), JSON.stringify({ readings: [good, reading('V3/refrigerated', 's1', 1)] }), { qos: 1 });
    await gateway.publishAsync(topic(c, 'nowhere'), JSON.stringify(reading('nowhere', 's1', 1)), { qos: 1 });
    await gateway.publishAsync(topic('Not A County', 'V2/refrigerated'), JSON.stringify(good), { qos: 1 });

    const letters = await waitFor(async () => {
      const all = (await readDeadLetters(service.runtime.kafka, dlq)).map((d) => d.record).filter((r) => r.original.topic.includes(`/${c}/`) || r.original.topic.includes('Not A County'));
      return all.length === 5 ? all : undefined;
    });
    const byReason = letters.map((l) => [l.consumer, l.reason]);
    expect(byReason).toEqual(
      expect.arrayContaining([
        ['coldchain.mqtt-readings', expect.stringMatching(/^invalid message: not JSON/)],
        ['coldchain.mqtt-readings', 'reading refused: temperatureC: at most 80 °C'],
        ['coldchain.mqtt-readings', "1 item(s) refused: readings.1.containerId: V3/refrigerated is not the topic's container V2/refrigerated"],
        ['coldchain.mqtt-readings', `reading refused: containerId: unknown container nowhere in county ${c}`],
        ['coldchain.mqtt-readings', expect.stringMatching(/^invalid message: topic: county Not A County/)],
      ]),
    );
    expect(letters.find((l) => l.failedIndexes)).toMatchObject({ failedIndexes: [1], itemsPath: 'readings', original: { headers: { transport: 'mqtt' } } });
    expect(await readingsBetween(service.runtime.pool, c, 'V2/refrigerated', since, until)).toHaveLength(1);
  });
});
