import type { Role } from '@county/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { upsertMasterData } from '../src/readmodel/store.js';
import { settingsDefaults } from '../src/settings/domain/settings.js';
import { stationRecord, vehicleRecord } from './readmodel-events.js';
import { dispatchApp } from './readmodel-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-430225';
let dispatch: Awaited<ReturnType<typeof dispatchApp>>;
const keys = {} as Record<Role | 'otherAdmin', string>;

beforeAll(async () => {
  dispatch = await dispatchApp(config);
  const stations = [
    stationRecord(countyId, 'center', 'center'),
    stationRecord(countyId, 'st-town', 'town'),
    stationRecord(countyId, 'st-v1', 'village'),
    stationRecord(countyId, 'st-v2', 'village'),
    stationRecord(countyId, 'st-closed', 'village', { active: false }),
  ];
  for (const s of stations) await upsertMasterData(dispatch.pool, { countyId, entity: 'station', id: s.id, record: s, active: s.active });
  for (const v of [vehicleRecord(countyId, 'van-1'), vehicleRecord(countyId, 'van-2'), vehicleRecord(countyId, 'van-old', { active: false })]) {
    await upsertMasterData(dispatch.pool, { countyId, entity: 'vehicle', id: v.id, record: v, active: v.active });
  }
  keys.admin = await dispatch.issue({ countyId, role: 'admin', name: 'admin' });
  keys.operator = await dispatch.issue({ countyId, role: 'operator', name: 'desk' });
  keys.station = await dispatch.issue({ countyId, role: 'station', name: 'keeper', scope: { stationId: 'st-v1' } });
  keys.driver = await dispatch.issue({ countyId, role: 'driver', name: 'driver', scope: { vehicleIds: ['van-1'] } });
  keys.courier = await dispatch.issue({ countyId, role: 'courier', name: 'zto', scope: { courierId: 'zto' } });
  keys.bureau = await dispatch.issue({ countyId, role: 'bureau', name: 'bureau' });
  keys.otherAdmin = await dispatch.issue({ countyId: 'cn-000001', role: 'admin', name: 'elsewhere' });
});

afterAll(async () => {
  await dispatch?.close();
});

type Method = 'GET' | 'PUT' | 'DELETE';

async function call(method: Method, url: string, key: string | undefined, payload?: unknown) {
  const response = await dispatch.app.inject({
    method,
    url,
    headers: key ? { 'x-api-key': key } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as Record<string, any>) : undefined };
}

const paths = (body: Record<string, any> | undefined) => (body?.error.details as { path: string }[]).map((d) => d.path);

describe('dispatch settings over REST', () => {
  it('are the defaults until an admin changes them; a field left out takes its default', async () => {
    expect((await call('GET', '/dispatch/settings', keys.operator)).body).toEqual({
      settings: settingsDefaults,
      defaults: settingsDefaults,
      updatedAt: null,
      updatedBy: null,
    });
    const put = await call('PUT', '/dispatch/settings', keys.admin, { mode: 'two_tier', roadFactor: 1.4, autoPlan: true });
    expect(put.status).toBe(200);
    const read = await call('GET', '/dispatch/settings', keys.operator);
    expect(read.body!.settings).toEqual({ ...settingsDefaults, mode: 'two_tier', roadFactor: 1.4, autoPlan: true });
    expect(read.body!.updatedBy).toMatch(/^[0-9a-f]{16}$/);
    // Another county's admin sees and changes its own county only.
    expect((await call('GET', '/dispatch/settings', keys.otherAdmin)).body!.settings).toEqual(settingsDefaults);
  });

  it('refuses settings a county cannot mean, naming each field, and changes nothing', async () => {
    const before = (await call('GET', '/dispatch/settings', keys.admin)).body;
    const refused = await call('PUT', '/dispatch/settings', keys.admin, { mode: 'teleport', roadFactor: 0.5, averageSpeedKmh: -3, seed: 'x' });
    expect(refused.status).toBe(400);
    expect(refused.body!.error.code).toBe('VALIDATION_FAILED');
    expect(paths(refused.body).sort()).toEqual(['body.averageSpeedKmh', 'body.mode', 'body.roadFactor', 'body.seed']);
    expect((await call('GET', '/dispatch/settings', keys.admin)).body).toEqual(before);
  });
});

describe('fixed lines over REST', () => {
  const line = { name: '一号线 county–town–village', stationIds: ['st-town', 'st-v1'], vehicleId: 'van-1', weekdays: [1, 3, 5] };

  it('are created, replaced, listed, read and deleted', async () => {
    expect(await call('PUT', '/dispatch/lines/line-1', keys.admin, line)).toEqual({ status: 201, body: { id: 'line-1', ...line } });
    const replaced = { ...line, stationIds: ['st-town', 'st-v1', 'st-v2'], weekdays: [2, 4, 6] };
    expect(await call('PUT', '/dispatch/lines/line-1', keys.admin, replaced)).toEqual({ status: 200, body: { id: 'line-1', ...replaced } });
    expect((await call('GET', '/dispatch/lines', keys.operator)).body).toEqual({ items: [{ id: 'line-1', ...replaced }] });
    expect((await call('GET', '/dispatch/lines/line-1', keys.operator)).body).toEqual({ id: 'line-1', ...replaced });
    expect((await call('DELETE', '/dispatch/lines/line-1', keys.admin)).status).toBe(204);
    const gone = await call('GET', '/dispatch/lines/line-1', keys.operator);
    expect([gone.status, gone.body!.error.code]).toEqual([404, 'LINE_NOT_FOUND']);
    expect((await call('DELETE', '/dispatch/lines/line-1', keys.admin)).status).toBe(404);
  });

  it('refuse stations and vehicles the county cannot run them with, naming each, and store nothing', async () => {
    const refused = await call('PUT', '/dispatch/lines/line-bad', keys.admin, { ...line, stationIds: ['center', 'st-closed', 'st-nowhere', 'st-v2'], vehicleId: 'van-old' });
    expect(refused.status).toBe(422);
    expect(refused.body!.error).toMatchObject({
      code: 'LINE_INVALID',
      details: [
        { path: 'body.stationIds.0', reason: 'center is the center, where a line starts and ends: list its stops' },
        { path: 'body.stationIds.1', reason: 'station st-closed is out of service' },
        { path: 'body.stationIds.2', reason: 'no station st-nowhere in this county' },
        { path: 'body.vehicleId', reason: 'vehicle van-old is out of service' },
      ],
    });
    const malformed = await call('PUT', '/dispatch/lines/line-bad', keys.admin, { ...line, weekdays: [0, 8], stationIds: [] });
    expect(malformed.status).toBe(400);
    expect(paths(malformed.body).sort()).toEqual(['body.stationIds', 'body.weekdays.0', 'body.weekdays.1']);
    expect((await call('GET', '/dispatch/lines/line-bad', keys.admin)).status).toBe(404);
  });

  it('may not serve a station another line serves on the same weekday', async () => {
    expect((await call('PUT', '/dispatch/lines/line-a', keys.admin, line)).status).toBe(201);
    const clash = await call('PUT', '/dispatch/lines/line-b', keys.admin, { ...line, stationIds: ['st-v2', 'st-v1'], vehicleId: 'van-2', weekdays: [5, 6] });
    expect(clash.status).toBe(409);
    expect(clash.body!.error).toMatchObject({ code: 'LINE_CONFLICT', details: [{ path: 'body.stationIds.1', reason: 'st-v1 is on line line-a on weekday(s) 5 already' }] });
    expect((await call('PUT', '/dispatch/lines/line-b', keys.admin, { ...line, stationIds: ['st-v2', 'st-v1'], vehicleId: 'van-2', weekdays: [6] })).status).toBe(201);
  });
});

describe('the travel matrix over REST', () => {
  const matrix = {
    stationIds: ['center', 'st-town', 'st-v1'],
    distanceKm: [
      [0, 18.4, 31.2],
      [18.9, 0, 12.5],
      [31.0, 12.1, 0],
    ],
    durationMinutes: [
      [0, 32, 58],
      [33, 0, 24],
      [57, 23, 0],
    ],
  };

  it('is uploaded, read back and deleted', async () => {
    const put = await call('PUT', '/dispatch/matrix', keys.admin, matrix);
    expect(put).toMatchObject({ status: 200, body: { stations: 3 } });
    expect((await call('GET', '/dispatch/matrix', keys.operator)).body).toMatchObject(matrix);
    expect((await call('DELETE', '/dispatch/matrix', keys.admin)).status).toBe(204);
    const gone = await call('GET', '/dispatch/matrix', keys.operator);
    expect([gone.status, gone.body!.error.code]).toEqual([404, 'MATRIX_NOT_FOUND']);
  });

  it('refuses a matrix of the wrong size, with negative or missing numbers, or unknown stations, naming the cell; nothing changes', async () => {
    await call('PUT', '/dispatch/matrix', keys.admin, matrix);
    const notSquare = await call('PUT', '/dispatch/matrix', keys.admin, { ...matrix, distanceKm: [[0, 1, 2], [1, 0], [2, 1, 0]] });
    expect(notSquare.status).toBe(400);
    expect(notSquare.body!.error.details).toEqual([{ path: 'body.distanceKm.1', reason: '2 numbers for 3 stations: the matrix must be square' }]);
    const negative = await call('PUT', '/dispatch/matrix', keys.admin, { ...matrix, durationMinutes: [[0, 1, 2], [1, 0, -7], [2, null, 0]] });
    expect(negative.body!.error.details).toEqual([
      { path: 'body.durationMinutes.1.2', reason: 'not negative (from st-town to st-v1)' },
      { path: 'body.durationMinutes.2.1', reason: 'a number' },
    ]);
    const rows = await call('PUT', '/dispatch/matrix', keys.admin, { ...matrix, stationIds: ['center', 'st-town'] });
    expect(paths(rows.body)).toContain('body.distanceKm');
    const unknown = await call('PUT', '/dispatch/matrix', keys.admin, { ...matrix, stationIds: ['center', 'st-town', 'st-atlantis'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body!.error).toMatchObject({ code: 'MATRIX_INVALID', details: [{ path: 'body.stationIds.2', reason: 'no station st-atlantis in this county' }] });
    const tooBig = await call('PUT', '/dispatch/matrix', keys.admin, { stationIds: Array.from({ length: 1001 }, (_, i) => `s-${i}`), distanceKm: [], durationMinutes: [] });
    expect(tooBig.status).toBe(400);
    expect(paths(tooBig.body)).toEqual(['body.stationIds']);
    expect((await call('GET', '/dispatch/matrix', keys.operator)).body).toMatchObject(matrix);
  });

  it('takes a county of 1,000 stations', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `st-big-${i}`);
    for (let start = 0; start < ids.length; start += 250) {
      await Promise.all(
        ids.slice(start, start + 250).map((id) => upsertMasterData(dispatch.pool, { countyId, entity: 'station', id, record: stationRecord(countyId, id, 'village'), active: true })),
      );
    }
    const table = (scale: number) => ids.map((_, r) => ids.map((__, c) => Math.round(Math.abs(r - c) * scale * 100) / 100));
    const put = await call('PUT', '/dispatch/matrix', keys.admin, { stationIds: ids, distanceKm: table(0.37), durationMinutes: table(0.61) });
    expect(put).toMatchObject({ status: 200, body: { stations: 1000 } });
    const read = (await call('GET', '/dispatch/matrix', keys.operator)).body!;
    expect(read.distanceKm[999][0]).toBe(369.63);
    expect(read.durationMinutes[3][5]).toBe(1.22);
  });
});

describe('who may do what with dispatch settings', () => {
  const routes: { method: Method; url: string; payload?: unknown; writers: boolean }[] = [
    { method: 'GET', url: '/dispatch/settings', writers: false },
    { method: 'PUT', url: '/dispatch/settings', payload: {}, writers: true },
    { method: 'GET', url: '/dispatch/lines', writers: false },
    { method: 'GET', url: '/dispatch/lines/line-a', writers: false },
    { method: 'PUT', url: '/dispatch/lines/line-z', payload: { name: 'z', stationIds: ['st-v2'], vehicleId: 'van-2', weekdays: [7] }, writers: true },
    { method: 'DELETE', url: '/dispatch/lines/line-z', writers: true },
    { method: 'GET', url: '/dispatch/matrix', writers: false },
    { method: 'DELETE', url: '/dispatch/matrix', writers: true },
  ];

  it('admins write, operators read, every other role is forbidden, and no key is unauthenticated', async () => {
    const outcomes: string[] = [];
    for (const route of routes) {
      for (const role of ['station', 'driver', 'courier', 'bureau'] as const) {
        outcomes.push(`${route.method} ${route.url} ${role} ${(await call(route.method, route.url, keys[role], route.payload)).status}`);
      }
      outcomes.push(`${route.method} ${route.url} none ${(await call(route.method, route.url, undefined, route.payload)).status}`);
      const operator = (await call(route.method, route.url, keys.operator, route.payload)).status;
      outcomes.push(`${route.method} ${route.url} operator ${route.writers ? operator : operator < 400 ? 'ok' : operator}`);
      const admin = (await call(route.method, route.url, keys.admin, route.payload)).status;
      outcomes.push(`${route.method} ${route.url} admin ${admin < 300 ? 'ok' : admin}`);
    }
    const expected = routes.flatMap((route) => [
      ...['station', 'driver', 'courier', 'bureau'].map((role) => `${route.method} ${route.url} ${role} 403`),
      `${route.method} ${route.url} none 401`,
      `${route.method} ${route.url} operator ${route.writers ? 403 : 'ok'}`,
      `${route.method} ${route.url} admin ok`,
    ]);
    expect(outcomes).toEqual(expected);
  });
});
