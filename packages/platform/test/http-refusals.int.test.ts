import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import { rawRequest as sendRaw } from '../../../tests/support/raw-http.js';
import { createHttpApp, createMetricsRegistry, createPool, type App, type Pool } from '../src/index.js';

let app: App;
let pool: Pool;
let port: number;

beforeAll(async () => {
  const config = testConfig(isolation());
  const logger = testLogger();
  pool = createPool({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, logger });
  app = await createHttpApp({ service: 'test', logger, metrics: createMetricsRegistry('test'), health: [] });
  // Routes whose schemas let any text through, as a field validation might: Postgres has the last word.
  app.post('/notes', { schema: { body: z.object({ text: z.string() }) } }, async (request) => {
    await pool.query('SELECT $1::text', [request.body.text]);
    return { ok: true };
  });
  app.post('/documents', { schema: { body: z.object({ doc: z.unknown() }) } }, async (request) => {
    await pool.query('SELECT $1::jsonb', [JSON.stringify(request.body.doc)]);
    return { ok: true };
  });
  app.get('/things/:id', { schema: { params: z.object({ id: z.string() }) } }, async (request) => {
    await pool.query('SELECT $1::uuid', [request.params.id]);
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});

afterAll(async () => {
  await app?.close();
  await pool?.end();
});

const rawRequest = (bytes: string) => sendRaw(port, bytes);

const errorShape = (code: string) => ({ error: { code, message: expect.any(String), details: [] } });

describe('input Postgres cannot take', () => {
  it.each([
    ['NUL in text', '/notes', { text: 'a\u0000b' }],
    ['NUL in jsonb', '/documents', { doc: { name: 'a\u0000b' } }],
    ['a lone surrogate in jsonb', '/documents', { doc: { name: '\uD800' } }],
  ])('%s is a 400 INVALID_INPUT, not a 500', async (_, url, payload) => {
    const res = await app.inject({ method: 'POST', url, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(errorShape('INVALID_INPUT'));
  });

  it('a value of the wrong form for its column is a 400 INVALID_INPUT', async () => {
    const res = await app.inject({ method: 'GET', url: '/things/not-a-uuid' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(errorShape('INVALID_INPUT'));
  });
});

describe('refusals before any route runs', () => {
  it('a bad percent-encoding in the path is 400 BAD_URL in the error shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/things/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual(errorShape('BAD_URL'));
    expect(await rawRequest('GET /things/%zz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n')).toEqual({ status: 400, body: errorShape('BAD_URL') });
  });

  it('a path parameter over 100 characters is 414 PARAM_TOO_LONG in the error shape', async () => {
    const res = await app.inject({ method: 'GET', url: `/things/${'a'.repeat(101)}` });
    expect(res.statusCode).toBe(414);
    expect(res.json()).toEqual(errorShape('PARAM_TOO_LONG'));
  });

  it('a malformed request line is 400 MALFORMED_REQUEST in the error shape', async () => {
    expect(await rawRequest('GET /things/1 HTTP/1.1 extra\r\n\r\n')).toEqual({ status: 400, body: errorShape('MALFORMED_REQUEST') });
    expect(await rawRequest('\u0000\u0001garbage\r\n\r\n')).toEqual({ status: 400, body: errorShape('MALFORMED_REQUEST') });
  });

  it('a 20 kB query string is 431 HEADERS_TOO_LARGE in the error shape', async () => {
    const request = `GET /things/1?q=${'x'.repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`;
    expect(await rawRequest(request)).toEqual({ status: 431, body: errorShape('HEADERS_TOO_LARGE') });
  });

  it('leaves the server answering well-formed requests', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(res.status).toBe(200);
  });
});
