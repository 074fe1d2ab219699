import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, BATCH_BODY_LIMIT, createHttpApp, createLogger, createMetricsRegistry, type App } from '../src/index.js';

let app: App;

beforeAll(async () => {
  app = await createHttpApp({
    service: 'test',
    logger: createLogger({ service: 'test', level: 'silent' }),
    metrics: createMetricsRegistry('test'),
    health: [],
  });
  app.post(
    '/parcels',
    { schema: { body: z.object({ waybill: z.string().min(4), weightKg: z.number().positive() }) } },
    async (request, reply) => reply.code(201).send({ waybill: request.body.waybill }),
  );
  app.post('/batches', { bodyLimit: BATCH_BODY_LIMIT, schema: { body: z.object({ items: z.array(z.string()) }) } }, async (request) => ({
    count: request.body.items.length,
  }));
  app.get('/parcels/:id', { schema: { params: z.object({ id: z.uuid() }) } }, async () => {
    throw new AppError('PARCEL_NOT_FOUND', 404, 'no parcel with that id');
  });
  app.get('/db-down', async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  });
  app.get('/boom', async () => {
    throw new Error('connection string postgres://secret@db leaked?');
  });
  await app.ready();
});

afterAll(() => app.close());

describe('the HTTP app factory', () => {
  it('answers an invalid body with 400, the field path and the reason', async () => {
    const res = await app.inject({ method: 'POST', url: '/parcels', payload: { waybill: 'ZT', weightKg: -1 } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.waybill', 'body.weightKg']);
    expect(body.error.details.every((d: { reason: string }) => d.reason.length > 0)).toBe(true);
  });

  it('validates path parameters the same way', async () => {
    const res = await app.inject({ method: 'GET', url: '/parcels/not-a-uuid' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('params.id');
  });

  it('answers malformed JSON with 400 in the same shape', async () => {
    const res = await app.inject({ method: 'POST', url: '/parcels', payload: '{"waybill":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_JSON');
  });

  it('answers an unknown route with 404 in the same shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /nowhere', details: [] } });
  });

  it('maps a catalogued domain error to its status and code', async () => {
    const res = await app.inject({ method: 'GET', url: '/parcels/8c4f1f0e-4a8e-4f8e-9d5e-3f1c2b7a9e10' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'PARCEL_NOT_FOUND', message: 'no parcel with that id' });
  });

  it('answers an exception with 500 and never its message or stack', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'req-42' } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('at ');
    expect(res.json().error).toMatchObject({ code: 'INTERNAL', message: 'internal error (request req-42)' });
    expect(res.headers['x-request-id']).toBe('req-42');
  });

  it('answers an infrastructure outage with 503 and Retry-After, without its message', async () => {
    const res = await app.inject({ method: 'GET', url: '/db-down' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.code).toBe('UNAVAILABLE');
    expect(res.body).not.toContain('5432');
  });

  it('refuses a body over 1 MiB on ordinary routes and takes 16 MiB on batch routes', async () => {
    const items = Array.from({ length: 30_000 }, (_, i) => `parcel-${i}-${'x'.repeat(40)}`);
    const big = await app.inject({ method: 'POST', url: '/parcels', payload: { waybill: 'x'.repeat(2 * 1024 * 1024), weightKg: 1 } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('BODY_TOO_LARGE');
    const batch = await app.inject({ method: 'POST', url: '/batches', payload: { items } });
    expect(batch.statusCode).toBe(200);
    expect(batch.json()).toEqual({ count: 30_000 });
  });

  it('refuses a JSON body nested deeper than 32 levels with 400 INVALID_JSON, and takes one at 32', async () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deep = await app.inject({ method: 'POST', url: '/db-down', payload: nested(20_000), headers: { 'content-type': 'application/json' } });
    expect(deep.statusCode).toBe(400);
    expect(deep.json().error).toEqual({ code: 'INVALID_JSON', message: 'the JSON body nests deeper than 32 levels', details: [] });
    const items = `{"items":${nested(31).replace('[]', '["x"]')}}`;
    const fine = await app.inject({ method: 'POST', url: '/batches', payload: items, headers: { 'content-type': 'application/json' } });
    expect(fine.statusCode).toBe(400);
    expect(fine.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses __proto__ and constructor.prototype keys in a body with 400 INVALID_JSON', async () => {
    for (const payload of ['{"waybill":"ZT123","weightKg":1,"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}']) {
      const res = await app.inject({ method: 'POST', url: '/parcels', payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_JSON');
    }
  });

  it('serves Prometheus metrics with the HTTP duration histogram', async () => {
    await app.inject({ method: 'GET', url: '/nowhere' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('http_request_duration_seconds_bucket');
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });

  it('publishes its OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toContain('/parcels');
  });
});
