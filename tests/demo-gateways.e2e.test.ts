// After the demo's day, the county's gateways go on reporting (demo/simulator/gateways.ts, started by `npm start`
// after the summary): against the real stack (the four services as `npm start` runs them, real time) and the real
// Mosquitto, with the demo county seeded through intake's import. The day's end is played by one reading per
// container measured 20 minutes ago: the silence scanner raises `sensor_silent` for the center's cold room and for
// the one the day made fall silent. Then the keep-alive, on a 2-second interval: readings of every sensor of every
// reporting container arrive at coldchain at that interval, in their profile's range; the center's silence alarm is
// cleared by the data, the broken room's stands (it stays silent); stopped, nothing more is published.
import { readFile } from 'node:fs/promises';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DemoCounty, DemoDemand } from '../demo/demo-types.js';
import { demoGateways, readingsTopic, startGateways, type KeepAlive } from '../demo/simulator/gateways.js';
import { seedDemoCounty, type DemoEndpoints } from '../demo/simulator/index.js';
import { createAdminKey } from './support/dispatch-county.js';
import { waitFor } from './support/harness.js';
import { serviceEnv, startStack, type Stack } from './support/stack.js';

const EVERY_MS = 2000;
const DAY = '2026-11-29';

interface Reading {
  sensorId: string;
  measuredAt: string;
  temperatureC: number;
  humidityPct: number | null;
}
interface Alarm {
  alarmId: string;
  containerId: string;
  kind: string;
  state: string;
}
interface Message {
  topic: string;
  gatewayId?: string;
  readings: { containerId: string; sensorId: string; measuredAt: string }[];
}

describe("the demo county's gateways after the day", () => {
  let stack: Stack;
  let county: DemoCounty;
  let adminKey: string;
  let endpoints: DemoEndpoints;
  let watcher: MqttClient;
  let keepAlive: KeepAlive | undefined;
  const seen: Message[] = [];
  let silentRoom: string;
  let startedAt: number;

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${stack.urls.coldchain}${path}`, { headers: { 'x-api-key': adminKey } });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const readingsOf = async (containerId: string, from: number) =>
    (await get<{ readings: Reading[] }>(`/coldchain/readings?containerId=${encodeURIComponent(containerId)}&from=${new Date(from).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`)).readings;
  const silenceAlarms = async () => (await get<{ alarms: Alarm[] }>('/coldchain/alarms?kind=sensor_silent&limit=500')).alarms;

  beforeAll(async () => {
    county = JSON.parse(await readFile(new URL('../demo/county/county.json', import.meta.url), 'utf8')) as DemoCounty;
    const demand = JSON.parse(await readFile(new URL('../demo/county/demand.json', import.meta.url), 'utf8')) as DemoDemand;
    stack = await startStack();
    const infra = inject('infra');
    adminKey = await createAdminKey(serviceEnv(stack, 'intake'), county.county.id);
    endpoints = { urls: stack.urls, kafkaBrokers: infra.KAFKA_BROKERS.split(','), topicPrefix: stack.iso.topicPrefix, mqttUrl: infra.MQTT_URL };
    await seedDemoCounty({ county, endpoints, adminKey, planBudgetSeconds: 2, demand, day: DAY });
    // The cold room the day makes fall silent (day-plan.ts: the first town station's with a cold room, by id).
    silentRoom = `${county.stations.filter((s) => s.kind !== 'center' && s.active !== false && s.coldStorageM3 > 0).sort((a, b) => a.id.localeCompare(b.id))[0]!.id}/cold-room`;

    watcher = await mqtt.connectAsync(infra.MQTT_URL, { clientId: `gateways-e2e-${stack.iso.id}`, clean: true });
    watcher.on('message', (topic, payload) => seen.push({ topic, ...(JSON.parse(payload.toString()) as Omit<Message, 'topic'>) }));
    await watcher.subscribeAsync(readingsTopic(stack.iso.topicPrefix, county.county.id, '+/+'), { qos: 1 });

    // The day's last readings, 20 minutes ago (more than the profiles' 15-minute silence gap).
    const lastOfDay = new Date(Date.now() - 20 * 60_000).toISOString();
    for (const g of demoGateways(county, silentRoom.split('/')[0])) {
      const readings = g.sensors.map((s) => ({ containerId: g.containerId, sensorId: s.sensorId, temperatureC: 2, measuredAt: lastOfDay }));
      await watcher.publishAsync(readingsTopic(stack.iso.topicPrefix, county.county.id, g.containerId), JSON.stringify({ gatewayId: 'the-day', readings }), { qos: 1 });
    }
    // The silence scanner (every 15 s) raises the cold rooms' alarms (an empty truck's silence is no alarm).
    await waitFor(
      async () => {
        const active = (await silenceAlarms()).filter((a) => a.state === 'active').map((a) => a.containerId);
        return active.includes('center/cold-room') && active.includes(silentRoom) ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  }, 300_000);

  afterAll(async () => {
    await keepAlive?.stop();
    await watcher?.endAsync();
    if (stack) {
      stack.child.kill('SIGTERM');
      await stack.exited;
    }
  });

  it('publishes every sensor of every reporting container at the interval, in its profile; the broken cold room stays silent', async () => {
    startedAt = Date.now();
    keepAlive = await startGateways({
      county,
      coldchainUrl: stack.urls.coldchain,
      adminKey,
      mqttUrl: endpoints.mqttUrl,
      topicPrefix: endpoints.topicPrefix,
      silentContainerId: silentRoom,
      everyMs: EVERY_MS,
      seed: 7,
    });
    const containers = keepAlive.gateways.map((g) => g.containerId).sort();
    const reefers = county.vehicles.filter((v) => v.active && v.refrigerated).map((v) => `${v.id}/refrigerated`);
    expect(containers).toEqual([...reefers, 'center/cold-room'].sort());

    const profiles = new Map((await get<{ items: { containerId: string; profileId: string }[] }>('/coldchain/containers')).items.map((c) => [c.containerId, c.profileId]));
    for (const g of keepAlive.gateways) {
      const band = await get<{ minC: number; maxC: number }>(`/coldchain/profiles/${profiles.get(g.containerId)}`);
      // At least four readings of each sensor stored by coldchain (from MQTT: nothing else sends them).
      const readings = await waitFor(
        async () => {
          const stored = (await readingsOf(g.containerId, startedAt)).filter((r) => g.sensors.some((s) => s.sensorId === r.sensorId));
          return g.sensors.every((s) => stored.filter((r) => r.sensorId === s.sensorId).length >= 4) ? stored : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      for (const s of g.sensors) {
        const times = readings.filter((r) => r.sensorId === s.sensorId).map((r) => Date.parse(r.measuredAt));
        expect(times[0]! % EVERY_MS).toBe(0);
        expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(times.slice(1).map(() => EVERY_MS));
      }
      for (const r of readings) {
        expect(r.temperatureC).toBeGreaterThanOrEqual(band.minC);
        expect(r.temperatureC).toBeLessThanOrEqual(band.maxC);
      }
    }
    expect(await readingsOf(silentRoom, startedAt)).toEqual([]);
  }, 180_000);

  it("clears the center's silence alarm by the data; the broken cold room's stands", async () => {
    const cleared = await waitFor(
      async () => {
        const alarms = await silenceAlarms();
        const center = alarms.find((a) => a.containerId === 'center/cold-room');
        return center?.state === 'cleared' ? alarms : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(cleared.filter((a) => a.containerId === silentRoom).map((a) => a.state)).toEqual(['active']);
    const live = await get<{ containers: { containerId: string; state: string }[] }>('/coldchain/containers/live');
    const stateOf = new Map(live.containers.map((c) => [c.containerId, c.state]));
    expect(stateOf.get('center/cold-room')).toBe('in_range');
    expect(stateOf.get(silentRoom)).toBe('silent');
  }, 90_000);

  it('stops: nothing is published after stop()', async () => {
    await keepAlive!.stop();
    const sent = keepAlive!.readingsSent();
    const lastTick = Date.parse(keepAlive!.lastTick()!);
    keepAlive = undefined;
    // Three intervals go by in which running gateways would have published; then a sentinel, after every message the
    // gateways' client could have sent (the broker delivers one subscriber's messages in the order it took them).
    await waitFor(() => (Date.now() > lastTick + 3 * EVERY_MS ? true : undefined), { timeoutMs: 30_000 });
    const topic = readingsTopic(endpoints.topicPrefix, county.county.id, 'center/cold-room');
    const sentinel = { containerId: 'center/cold-room', sensorId: 'sentinel', temperatureC: 2, measuredAt: new Date().toISOString() };
    await watcher.publishAsync(topic, JSON.stringify({ gatewayId: 'sentinel', readings: [sentinel] }), { qos: 1 });
    await waitFor(() => (seen.some((m) => m.gatewayId === 'sentinel') ? true : undefined));
    const fromGateways = seen.filter((m) => m.gatewayId?.startsWith('gw-')).flatMap((m) => m.readings);
    expect(fromGateways.length).toBe(sent);
    expect(Math.max(...fromGateways.map((r) => Date.parse(r.measuredAt)))).toBe(lastTick);
    // And coldchain stored none measured after the last tick.
    const center = await waitFor(async () => {
      const stored = await readingsOf('center/cold-room', startedAt);
      return stored.some((r) => r.sensorId === 'sentinel') ? stored : undefined;
    });
    expect(center.filter((r) => r.sensorId !== 'sentinel' && Date.parse(r.measuredAt) > lastTick)).toEqual([]);
  }, 90_000);
});
