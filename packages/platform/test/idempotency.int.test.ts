import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import { createHttpApp, createMetricsRegistry, createPool, createRedis, migrateService, type App, type Pool, type Redis } from '../src/index.js';
import { idempotent } from '../src/http/idempotency.js';

const iso = isolation();
const config = testConfig(iso);
const logger = testLogger();
let pool: Pool;
let redis: Redis;
let deadRedis: Redis;
let app: App;

async function buildApp(cache: Redis) {
  const built = await createHttpApp({ service: 'test', logger, metrics: createMetricsRegistry('test'), health: [] });
  built.post('/widgets', { schema: { body: z.object({ id: z.string(), countyId: z.string() }) } }, (request, reply) =>
    idempotent({ pool, redis: cache, namespace: iso.schema }, request, reply, async (tx) => {
      await tx.query('INSERT INTO widgets (id, county_id) VALUES ($1, $2)', [`${request.body.id}-${randomUUID()}`, request.body.countyId]);
      const { rows } = await tx.query('SELECT count(*)::int AS n FROM widgets');
      return { status: 201, body: { widgets: rows[0].n, requestId: request.id } };
    }),
  );
  await built.ready();
  return built;
}

const count = async () => (await pool.query('SELECT count(*)::int AS n FROM widgets')).rows[0].n as number;

beforeAll(async () => {
  await migrateService({ url: config.DATABASE_URL, schema: iso.schema, dir: fileURLToPath(new URL('./fixtures/migrations', import.meta.url)), logger });
  pool = createPool({ url: config.DATABASE_URL, schema: iso.schema, logger });
  redis = createRedis(config.REDIS_URL, logger);
  await redis.connect();
  deadRedis = createRedis('redis://127.0.0.1:1', logger);
  app = await buildApp(redis);
});

afterAll(async () => {
  await app.close();
  redis.disconnect();
  deadRedis.disconnect();
  await pool.end();
});

describe('Idempotency-Key', () => {
  it('a retried POST with the same key returns the first response and changes nothing', async () => {
    const key = randomUUID();
    const before = await count();
    const first = await app.inject({ method: 'POST', url: '/widgets', headers: { 'idempotency-key': key }, payload: { id: 'w', countyId: 'cn-1' } });
    const second = await app.inject({ method: 'POST', url: '/widgets', headers: { 'idempotency-key': key }, payload: { id: 'w', countyId: 'cn-1' } });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await count()).toBe(before + 1);
  });

  it('refuses the same key for a different request, naming the header', async () => {
    const key = randomUUID();
    await app.inject({ method: 'POST', url: '/widgets', headers: { 'idempotency-key': key }, payload: { id: 'a', countyId: 'cn-1' } });
    const reused = await app.inject({ method: 'POST', url: '/widgets', headers: { 'idempotency-key': key }, payload: { id: 'b', countyId: 'cn-1' } });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: [{ path: 'headers.idempotency-key' }] });
  });

  it('concurrent duplicates take effect once', async () => {
    const key = randomUUID();
    const before = await count();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => app.inject({ method: 'POST', url: '/widgets', headers: { 'idempotency-key': key }, payload: { id: 'c', countyId: 'cn-1' } })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((r) => r.body)).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });

  it('holds with Redis down: the key is kept in Postgres with the effect', async () => {
    const withoutCache = await buildApp(deadRedis);
    const key = randomUUID();
    const before = await count();
    const first = await withoutCache.inject({ method: 'POST', url: '/widgets', headers: { 'idempotency-key': key }, payload: { id: 'd', countyId: 'cn-1' } });
    const retry = await withoutCache.inject({ method: 'POST', url: '/widgets', headers: { 'idempotency-key': key }, payload: { id: 'd', countyId: 'cn-1' } });
    await withoutCache.close();
    expect(first.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await count()).toBe(before + 1);
  });

  it('rejects a malformed key with 400 naming the header', async () => {
    const res = await app.inject({ method: 'POST', url: '/widgets', headers: { 'idempotency-key': 'has spaces' }, payload: { id: 'e', countyId: 'cn-1' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('headers.idempotency-key');
  });

  it('without a key every POST takes effect', async () => {
    const before = await count();
    await app.inject({ method: 'POST', url: '/widgets', payload: { id: 'f', countyId: 'cn-1' } });
    await app.inject({ method: 'POST', url: '/widgets', payload: { id: 'f', countyId: 'cn-1' } });
    expect(await count()).toBe(before + 2);
  });
});
