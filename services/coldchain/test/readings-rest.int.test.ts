import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { readingsBetween } from '../src/readings/index.js';
import type { Producer } from '@county/platform';
import { county, gatewayProducer, reading, recordingListener, runningReadings, seedContainers } from './readings-support.js';

const iso = isolation();
const config = testConfig(iso);
const listener = recordingListener();
let service: Awaited<ReturnType<typeof runningReadings>>;
let masterData: Producer;

beforeAll(async () => {
  service = await runningReadings(config, { listener });
  masterData = await gatewayProducer(config);
});

afterAll(async () => {
  await masterData?.disconnect();
  await service?.runtime.lifecycle.shutdown();
});

/** A county whose catalogue has these containers, from master data. */
async function countyWith(...containerIds: string[]): Promise<string> {
  const c = county();
  await seedContainers(masterData, config, service.runtime.pool, c, containerIds);
  return c;
}

const since = new Date(Date.now() - 3600_000);
const until = new Date(Date.now() + 3600_000);

async function post(key: string, body: unknown) {
  const res = await service.app.inject({ method: 'POST', url: '/coldchain/readings', headers: { 'x-api-key': key }, payload: body as object });
  return { status: res.statusCode, body: res.json() };
}

describe('POST /coldchain/readings', () => {
  it('stores the good readings of a batch once and refuses each bad one by index, field and reason', async () => {
    const c = await countyWith('V1/refrigerated');
    const key = await service.issue({ countyId: c, role: 'operator', name: 'ops' });
    const good = [reading('V1/refrigerated', 's1', 2), reading('V1/refrigerated', 's1', 1)];
    const res = await post(key, {
      gatewayId: 'gw-1',
      readings: [good[0], { ...good[1], temperatureC: -90 }, good[1], reading('nowhere', 's1', 1), { ...good[0], measuredAt: 'yesterday' }, good[0]],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      stored: 2,
      duplicates: 1,
      refused: [
        { index: 1, status: 422, issues: [{ path: 'body.readings.1.temperatureC', reason: 'at least −60 °C: no cold chain sensor reads lower' }] },
        { index: 3, status: 422, issues: [{ path: 'body.readings.3.containerId', reason: `unknown container nowhere in county ${c}` }] },
        { index: 4, status: 422, issues: [{ path: 'body.readings.4.measuredAt', reason: expect.any(String) }] },
      ],
    });
    expect((await readingsBetween(service.runtime.pool, c, 'V1/refrigerated', since, until)).map((r) => r.measuredAt)).toEqual(good.map((r) => r.measuredAt));

    const again = await post(key, { readings: good });
    expect(again.body).toEqual({ stored: 0, duplicates: 2, refused: [] });
    await service.readings.ingest.idle();
    expect(listener.heard.filter((h) => h.countyId === c).flatMap((h) => h.readings)).toHaveLength(2);
  });

  it('refuses a batch of which nothing can be stored with 422, naming every item, and changes nothing', async () => {
    const c = county();
    const key = await service.issue({ countyId: c, role: 'admin', name: 'admin' });
    const res = await post(key, { readings: [{ ...reading('V1/refrigerated', 's1', 1), temperatureC: 99 }, { sensorId: 's1' }] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('READINGS_REFUSED');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.readings.0.temperatureC',
      'body.readings.1.containerId',
      'body.readings.1.temperatureC',
      'body.readings.1.measuredAt',
    ]);
    expect(await readingsBetween(service.runtime.pool, c, 'V1/refrigerated', since, until)).toEqual([]);
  });

  it('refuses a container the catalogue does not have — of the documented form, or another county’s — as unknown, and changes nothing', async () => {
    const c = await countyWith('V1/refrigerated');
    const other = await countyWith('V2/refrigerated');
    const key = await service.issue({ countyId: c, role: 'operator', name: 'ops' });
    const all = await post(key, { readings: [reading('V9/refrigerated', 's1', 2), reading('V2/refrigerated', 's1', 2), reading('S4/cold-room', 's1', 2)] });
    expect(all.status).toBe(422);
    expect(all.body.error.code).toBe('READINGS_REFUSED');
    expect(all.body.error.details).toEqual([
      { path: 'body.readings.0.containerId', reason: `unknown container V9/refrigerated in county ${c}` },
      { path: 'body.readings.1.containerId', reason: `unknown container V2/refrigerated in county ${c}` },
      { path: 'body.readings.2.containerId', reason: `unknown container S4/cold-room in county ${c}` },
    ]);
    const mixed = await post(key, { readings: [reading('V1/refrigerated', 's1', 1), reading('V9/refrigerated', 's1', 1)] });
    expect(mixed.body).toEqual({
      stored: 1,
      duplicates: 0,
      refused: [{ index: 1, status: 422, issues: [{ path: 'body.readings.1.containerId', reason: `unknown container V9/refrigerated in county ${c}` }] }],
    });
    const { rows } = await service.runtime.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM readings WHERE county_id = ANY($1) AND container_id <> 'V1/refrigerated'`,
      [[c, other]],
    );
    expect(rows[0]!.n).toBe(0);
    await service.readings.ingest.idle();
    expect(listener.heard.filter((h) => h.countyId === c || h.countyId === other).map((h) => h.containerId)).toEqual(['V1/refrigerated']);
  });

  it('refuses what is not a batch of 1 to 1,000 readings with 400', async () => {
    const key = await service.issue({ countyId: county(), role: 'operator', name: 'ops' });
    expect((await post(key, { readings: [] })).body.error.details[0].path).toBe('body.readings');
    const tooMany = Array.from({ length: 1001 }, (_, i) => reading('V1/refrigerated', `s${i}`, 1));
    const res = await post(key, { readings: tooMany });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('body.readings');
  });

  it('lets a driver send for its own vehicles only, a station for its cold room only', async () => {
    const c = await countyWith('V7/refrigerated', 'V8/refrigerated', 'S1/cold-room');
    const driver = await service.issue({ countyId: c, role: 'driver', name: 'driver', scope: { vehicleIds: ['V7'] } });
    const res = await post(driver, { readings: [reading('V7/refrigerated', 's1', 1), reading('V8/refrigerated', 's1', 1)] });
    expect(res.status).toBe(200);
    expect(res.body.stored).toBe(1);
    expect(res.body.refused).toEqual([{ index: 1, status: 403, issues: [{ path: 'body.readings.1.containerId', reason: expect.stringContaining('bound to vehicles V7') }] }]);
    const station = await service.issue({ countyId: c, role: 'station', name: 'station', scope: { stationId: 'S1' } });
    const other = await post(station, { readings: [reading('V7/refrigerated', 's1', 2)] });
    expect(other.status).toBe(403);
    expect((await post(station, { readings: [reading('S1/cold-room', 's1', 2)] })).body.stored).toBe(1);
    const courier = await service.issue({ countyId: c, role: 'courier', name: 'courier', scope: { courierId: 'sf' } });
    expect((await post(courier, { readings: [reading('S1/cold-room', 's1', 3)] })).status).toBe(403);
  });
});

describe('GET /coldchain/readings', () => {
  it('answers a container’s readings over a time range, in time order, only for those who may see it', async () => {
    const c = await countyWith('V9/refrigerated');
    const key = await service.issue({ countyId: c, role: 'operator', name: 'ops' });
    const sent = [5, 1, 3, 2, 4].map((m) => reading('V9/refrigerated', 's1', m, m));
    await post(key, { readings: [...sent, reading('V9/refrigerated', 's2', 3, 7)] });
    const from = encodeURIComponent(sent[3]!.measuredAt); // 2 minutes ago
    const to = encodeURIComponent(sent[1]!.measuredAt); // 1 minute ago, excluded
    const res = await service.app.inject({ method: 'GET', url: `/coldchain/readings?containerId=V9/refrigerated&from=${encodeURIComponent(sent[0]!.measuredAt)}&to=${to}`, headers: { 'x-api-key': key } });
    expect(res.statusCode).toBe(200);
    expect(res.json().readings.map((r: { temperatureC: number; sensorId: string }) => `${r.temperatureC}:${r.sensorId}`)).toEqual(['5:s1', '4:s1', '3:s1', '7:s2', '2:s1']);
    const limited = await service.app.inject({ method: 'GET', url: `/coldchain/readings?containerId=V9/refrigerated&from=${from}&to=${to}&limit=1`, headers: { 'x-api-key': key } });
    expect(limited.json()).toMatchObject({ truncated: false, readings: [{ temperatureC: 2 }] });
    const driver = await service.issue({ countyId: c, role: 'driver', name: 'driver', scope: { vehicleIds: ['V1'] } });
    const refused = await service.app.inject({ method: 'GET', url: `/coldchain/readings?containerId=V9/refrigerated&from=${from}&to=${to}`, headers: { 'x-api-key': driver } });
    expect(refused.statusCode).toBe(403);
    const bad = await service.app.inject({ method: 'GET', url: `/coldchain/readings?containerId=V9/refrigerated&from=then&to=${to}`, headers: { 'x-api-key': key } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('querystring.from');
  });
});
