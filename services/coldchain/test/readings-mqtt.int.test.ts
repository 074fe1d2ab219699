import { readDeadLetters, type Producer } from '@county/platform';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { readingsBetween, readingsTopic } from '../src/readings/index.js';
import { county, gatewayProducer, mqttGateway, mqttUrl, reading, recordingListener, runningReadings, seedContainers } from './readings-support.js';

const iso = isolation();
const config = testConfig(iso);
const listener = recordingListener();
let service: Awaited<ReturnType<typeof runningReadings>>;
let gateway: MqttClient;
let masterData: Producer;

/** A county whose catalogue has these containers, from master data. */
async function countyWith(...containerIds: string[]): Promise<string> {
  const c = county();
  await seedContainers(masterData, config, service.runtime.pool, c, containerIds);
  return c;
}

beforeAll(async () => {
  service = await runningReadings(config, { listener, mqtt: { MQTT_ENABLED: true, MQTT_URL: mqttUrl(), MQTT_CLIENT_ID: `${iso.groupPrefix}coldchain` } });
  gateway = await mqttGateway();
  masterData = await gatewayProducer(config);
  // Subscribed once a first message is stored.
  const c = await countyWith('V0/refrigerated');
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
  await masterData?.disconnect();
  await service?.runtime.lifecycle.shutdown();
});

const since = new Date(Date.now() - 3600_000);
const until = new Date(Date.now() + 3600_000);
const dlq = `${config.TOPIC_PREFIX}coldchain.readings.dlq`;
const topic = (countyId: string, containerId: string) => readingsTopic(config.TOPIC_PREFIX, countyId, containerId);

describe('readings from MQTT county/<countyId>/coldchain/<containerId>/readings', () => {
  it('stores one reading or a batch, the county from the topic and the container from it when left out, each once', async () => {
    const c = await countyWith('V1/refrigerated');
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
    const c = await countyWith('V2/refrigerated', 'V3/refrigerated');
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

  it('a container the catalogue does not have — of the documented form, or another county’s — is dead-lettered as unknown and changes nothing', async () => {
    const c = await countyWith('V1/refrigerated');
    const other = await countyWith('V5/refrigerated');
    await gateway.publishAsync(topic(c, 'V9/refrigerated'), JSON.stringify(reading('V9/refrigerated', 's1', 2)), { qos: 1 });
    await gateway.publishAsync(topic(c, 'V5/refrigerated'), JSON.stringify({ readings: [reading('V5/refrigerated', 's1', 2), reading('V5/refrigerated', 's1', 1)] }), { qos: 1 });
    await gateway.publishAsync(topic(c, 'S4/cold-room'), JSON.stringify([reading('S4/cold-room', 's1', 2)]), { qos: 1 });
    const letters = await waitFor(async () => {
      const all = (await readDeadLetters(service.runtime.kafka, dlq)).map((d) => d.record).filter((r) => r.original.topic.includes(`/${c}/`));
      return all.length === 3 ? all : undefined;
    });
    expect(letters.map((l) => [l.original.topic.replace(/^.*\/coldchain\//, ''), l.reason]).sort()).toEqual([
      ['S4/cold-room/readings', `1 item(s) refused: readings.0.containerId: unknown container S4/cold-room in county ${c}`],
      ['V5/refrigerated/readings', `2 item(s) refused: readings.0.containerId: unknown container V5/refrigerated in county ${c}; readings.1.containerId: unknown container V5/refrigerated in county ${c}`],
      ['V9/refrigerated/readings', `reading refused: containerId: unknown container V9/refrigerated in county ${c}`],
    ]);
    const { rows } = await service.runtime.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM readings WHERE county_id = ANY($1)`, [[c, other]]);
    expect(rows[0]!.n).toBe(0);
    await service.readings.ingest.idle();
    expect(listener.heard.filter((h) => h.countyId === c || h.countyId === other)).toEqual([]);
  });

  it('what mosquitto_pub sent by hand — null, an empty batch, a prototype key, an invalid date, Infinity, 3 MB of garbage — is dead-lettered with its reason', async () => {
    const c = await countyWith('V1/refrigerated');
    const r = reading('V1/refrigerated', 's1', 1);
    const payloads = [
      'null',
      '[]',
      '{"readings":[]}',
      `{"sensorId":"s1","measuredAt":"${r.measuredAt}","temperatureC":3.2,"__proto__":{"x":1}}`,
      `{"sensorId":"s1","measuredAt":"2026-02-30T00:00:00Z","temperatureC":3.2}`,
      `{"sensorId":"s1","measuredAt":"${r.measuredAt}","temperatureC":1e999}`,
      'a'.repeat(3_000_000),
    ];
    for (const payload of payloads) await gateway.publishAsync(topic(c, 'V1/refrigerated'), payload, { qos: 1 });
    const letters = await waitFor(async () => {
      const all = (await readDeadLetters(service.runtime.kafka, dlq)).map((d) => d.record).filter((l) => l.original.topic.includes(`/${c}/`));
      return all.length === payloads.length ? all : undefined;
    });
    expect(letters.map((l) => l.reason).sort()).toEqual(
      [
        'reading refused: Invalid input: expected object, received null',
        'invalid message: readings: Too small: expected array to have >=1 items',
        'invalid message: readings: Too small: expected array to have >=1 items',
        'reading refused: Unrecognized key: "__proto__"',
        'reading refused: measuredAt: Invalid ISO datetime',
        'reading refused: temperatureC: Invalid input: expected number, received Infinity',
        expect.stringMatching(/^invalid message: not JSON/),
      ].sort(),
    );
    expect(await readingsBetween(service.runtime.pool, c, 'V1/refrigerated', since, until)).toEqual([]);
  });
});
