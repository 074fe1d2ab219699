import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { intakeApp } from './support.js';

const iso = isolation();
const config = testConfig(iso);
const county = 'cn-511623';
let intake: Awaited<ReturnType<typeof intakeApp>>;
let admin: string;

beforeAll(async () => {
  intake = await intakeApp(config);
  admin = await intake.issue({ countyId: county, role: 'admin', name: 'first admin' });
});

afterAll(() => intake?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, key: string | undefined, payload?: object) =>
  intake.app.inject({ method, url, headers: key ? { 'x-api-key': key } : {}, ...(payload ? { payload } : {}) });

async function create(body: object, key = admin) {
  const res = await call('POST', '/keys', key, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { key: string; keyId: string; revision: number };
}

describe('key endpoints', () => {
  it('create a key, shown once, that works at once', async () => {
    const res = await call('POST', '/keys', admin, { role: 'admin', name: 'second admin' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const created = res.json();
    expect(created).toMatchObject({ countyId: county, role: 'admin', name: 'second admin', scope: {}, revision: 1, revokedAt: null });
    expect(created.key).toMatch(new RegExp(`^ck_${created.keyId}_`));
    expect(created).not.toHaveProperty('hash');
    expect((await call('GET', '/keys', created.key)).statusCode).toBe(200);
  });

  it('list the county’s keys without hashes', async () => {
    const station = await create({ role: 'station', scope: { stationId: 'st-3' }, name: 'Shuangqiao point' });
    const res = await call('GET', '/keys', admin);
    expect(res.statusCode).toBe(200);
    const keys = res.json().keys as Record<string, unknown>[];
    expect(keys.find((k) => k.keyId === station.keyId)).toMatchObject({ role: 'station', scope: { stationId: 'st-3' } });
    expect(keys.every((k) => !('hash' in k) && !('key' in k))).toBe(true);
  });

  it('refuse a key for another county with 403 and a station key without its station with 400', async () => {
    const other = await call('POST', '/keys', admin, { countyId: 'cn-000001', role: 'operator', name: 'elsewhere' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN');
    const unbound = await call('POST', '/keys', admin, { role: 'station', name: 'nowhere' });
    expect(unbound.statusCode).toBe(400);
    expect(unbound.json().error.details).toEqual([{ path: 'body.scope.stationId', reason: 'required for station keys' }]);
  });

  it('change a key’s name, scope and limit, each change a new revision', async () => {
    const courier = await create({ role: 'courier', scope: { courierId: 'zto' }, name: 'ZTO' });
    const res = await call('PATCH', `/keys/${courier.keyId}`, admin, { name: 'ZTO Pingchang', scope: { courierId: 'zto-pc' }, rateLimitPerMinute: 60 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'ZTO Pingchang', scope: { courierId: 'zto-pc' }, rateLimitPerMinute: 60, revision: 2 });
    const bad = await call('PATCH', `/keys/${courier.keyId}`, admin, { scope: { stationId: 'st-1' } });
    expect(bad.statusCode).toBe(400);
  });

  it('revoke a key, which is refused from then on', async () => {
    const operator = await create({ role: 'operator', name: 'leaver' });
    expect((await call('GET', '/keys', operator.key)).statusCode).toBe(403);
    const res = await call('POST', `/keys/${operator.keyId}/revoke`, admin);
    expect(res.statusCode).toBe(200);
    expect(res.json().revokedAt).not.toBeNull();
    const refused = await call('GET', '/keys', operator.key);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('UNAUTHENTICATED');
    expect((await call('PATCH', `/keys/${operator.keyId}`, admin, { name: 'back' })).json().error.code).toBe('KEY_REVOKED');
  });

  it('publish every key change through the outbox on masterdata.events', async () => {
    const created = await create({ role: 'bureau', name: 'commerce bureau' });
    await call('POST', `/keys/${created.keyId}/revoke`, admin);
    const { rows } = await intake.pool.query(`SELECT topic, payload->>'type' AS type FROM outbox WHERE key = $1 ORDER BY seq`, [`${county}/apikey:${created.keyId}`]);
    expect(rows).toEqual([
      { topic: `${iso.topicPrefix}masterdata.events`, type: 'access.key_issued' },
      { topic: `${iso.topicPrefix}masterdata.events`, type: 'access.key_revoked' },
    ]);
  });

  it('are for admins of the county only: 401 without a key, 403 for other roles, 404 for another county’s key', async () => {
    expect((await call('GET', '/keys', undefined)).statusCode).toBe(401);
    const courier = await create({ role: 'courier', scope: { courierId: 'sto' }, name: 'STO' });
    expect((await call('POST', '/keys', courier.key, { role: 'admin', name: 'me' })).statusCode).toBe(403);
    const foreignAdmin = await intake.issue({ countyId: 'cn-000002', role: 'admin', name: 'neighbour' });
    const foreign = await call('POST', `/keys/${courier.keyId}/revoke`, foreignAdmin);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('KEY_NOT_FOUND');
  });
});
