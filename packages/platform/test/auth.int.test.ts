import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { assertStation, createOutbox, generateKey, requirePrincipal, revokeKey, withTransaction, type App } from '../src/index.js';
import { authApp, authFixture, type AuthFixture } from './support/access.js';

const iso = isolation();
const config = testConfig(iso);
const county = 'cn-511623';
let fixture: AuthFixture;
let app: App;
let log: Awaited<ReturnType<typeof authApp>>['log'];

beforeAll(async () => {
  fixture = await authFixture(config, iso);
  ({ app, log } = await authApp(fixture));
  app.get('/center', { config: { access: ['admin', 'operator'] } }, async (request) => ({ principal: requirePrincipal(request) }));
  app.get(
    '/stations/:stationId/inbox',
    { config: { access: ['station', 'operator'] }, schema: { params: z.object({ stationId: z.string() }) } },
    async (request) => {
      assertStation(requirePrincipal(request), request.params.stationId);
      return { stationId: request.params.stationId };
    },
  );
  app.get('/open', { config: { access: 'public' } }, async (request) => ({ principal: request.principal }));
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await fixture?.close();
});

const get = (url: string, key?: string, header: 'x-api-key' | 'bearer' = 'x-api-key') =>
  app.inject({
    method: 'GET',
    url,
    headers: key === undefined ? {} : header === 'x-api-key' ? { 'x-api-key': key } : { authorization: `Bearer ${key}` },
  });

describe('authentication', () => {
  it('answers a request without a key with 401 UNAUTHENTICATED in the platform error shape', async () => {
    const res = await get('/center');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('API key'), details: [] } });
  });

  it('answers an unknown key, a malformed key and a wrong secret with 401', async () => {
    const { keyId } = await fixture.issue({ countyId: county, role: 'operator', name: 'desk' });
    for (const bad of [generateKey().key, 'not-a-key', generateKey(keyId).key]) {
      const res = await get('/center', bad);
      expect(res.statusCode, bad).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses two different keys in x-api-key and Authorization: Bearer with 401 AMBIGUOUS_CREDENTIALS, whichever is valid', async () => {
    const operator = await fixture.issue({ countyId: county, role: 'operator', name: 'desk' });
    const other = await fixture.issue({ countyId: county, role: 'admin', name: 'admin' });
    for (const [apiKey, bearer] of [
      [operator.key, other.key],
      [other.key, operator.key],
      [operator.key, generateKey().key],
      ['not-a-key', operator.key],
    ]) {
      const res = await app.inject({ method: 'GET', url: '/center', headers: { 'x-api-key': apiKey!, authorization: `Bearer ${bearer}` } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'AMBIGUOUS_CREDENTIALS', details: [{ path: 'headers.authorization' }] });
    }
  });

  it('takes the same key sent in both headers as one key', async () => {
    const { key, keyId } = await fixture.issue({ countyId: county, role: 'operator', name: 'desk' });
    const res = await app.inject({ method: 'GET', url: '/center', headers: { 'x-api-key': key, authorization: `bearer  ${key}` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().principal).toMatchObject({ keyId, role: 'operator' });
  });

  it('lets a valid key in through x-api-key or Authorization: Bearer and sets the principal', async () => {
    const { key, keyId } = await fixture.issue({ countyId: county, role: 'operator', name: 'desk' });
    for (const header of ['x-api-key', 'bearer'] as const) {
      const res = await get('/center', key, header);
      expect(res.statusCode, header).toBe(200);
      expect(res.json().principal).toEqual({ keyId, countyId: county, role: 'operator' });
    }
  });

  it('refuses a key revoked elsewhere within seconds, without a restart', async () => {
    const { key, keyId } = await fixture.issue({ countyId: county, role: 'operator', name: 'leaver' });
    expect((await get('/center', key)).statusCode).toBe(200);
    // As the consumer of another service's event would: the copy changes under a running app.
    await withTransaction(fixture.pool, (tx) => revokeKey(tx, createOutbox({ topicPrefix: iso.topicPrefix }), keyId, new Date()));
    const refused = await waitFor(async () => {
      const res = await get('/center', key);
      return res.statusCode === 401 ? res : undefined;
    }, { timeoutMs: 5000 });
    expect(refused.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('authorisation', () => {
  it('refuses a courier key on an operator route with 403 FORBIDDEN', async () => {
    const { key } = await fixture.issue({ countyId: county, role: 'courier', scope: { courierId: 'zto' }, name: 'ZTO' });
    const res = await get('/center', key);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('courier') });
  });

  it('holds a station key to its own station (403 elsewhere) and lets an operator see any', async () => {
    const station = await fixture.issue({ countyId: county, role: 'station', scope: { stationId: 'st-7' }, name: 'Shuangqiao point' });
    const operator = await fixture.issue({ countyId: county, role: 'operator', name: 'desk' });
    expect((await get('/stations/st-7/inbox', station.key)).statusCode).toBe(200);
    const elsewhere = await get('/stations/st-8/inbox', station.key);
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.code).toBe('FORBIDDEN');
    expect((await get('/stations/st-8/inbox', operator.key)).statusCode).toBe(200);
  });

  it('serves public routes without a key and with no principal', async () => {
    const res = await get('/open');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ principal: null });
  });

  it('keeps health, metrics and the API document public and marks keyed routes in it', async () => {
    expect((await get('/health/live')).statusCode).toBe(200);
    expect((await get('/metrics')).statusCode).toBe(200);
    const docs = await get('/docs/json');
    expect(docs.statusCode).toBe(200);
    expect(docs.json().paths['/center'].get.security).toEqual([{ apiKey: [] }]);
    expect(docs.json().paths['/open'].get.security).toBeUndefined();
  });

  it('answers an unknown route with 404, key or not', async () => {
    expect((await get('/nowhere')).statusCode).toBe(404);
  });

  it('names the key id on the request log and never the key', async () => {
    const { key, keyId } = await fixture.issue({ countyId: county, role: 'operator', name: 'logged' });
    await get('/center', key);
    await get('/center', key, 'bearer');
    const completed = log.parsed().filter((l) => l.msg === 'request completed' && l.keyId === keyId);
    expect(completed).toHaveLength(2);
    // The secret is everything after `ck_<keyId>_` (it may itself contain underscores).
    expect(log.lines.join('\n')).not.toContain(key.slice(`ck_${keyId}_`.length));
  });
});

describe('route declarations', () => {
  it('refuse to register a route that declares no access or an unknown role', async () => {
    const { app: other } = await authApp(fixture);
    try {
      expect(() => other.get('/forgotten', async () => ({}))).toThrow(/GET \/forgotten declares no access/);
      // @ts-expect-error a role that does not exist
      expect(() => other.get('/typo', { config: { access: ['operater'] } }, async () => ({}))).toThrow(/invalid config.access/);
    } finally {
      await other.close();
    }
  });
});
