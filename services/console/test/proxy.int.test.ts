import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation } from '../../../tests/support/harness.js';
import { freePort } from '../../../tests/support/stack.js';
import { echoService, runningConsole } from './support.js';

describe('the reverse proxy: one origin for the four services', () => {
  let echo: Awaited<ReturnType<typeof echoService>>;
  let consoleApp: Awaited<ReturnType<typeof runningConsole>>;

  beforeAll(async () => {
    echo = await echoService();
    // dispatch points at a port nobody listens on: a service that is down
    const nobody = `http://127.0.0.1:${await freePort()}`;
    consoleApp = await runningConsole(isolation(), { INTAKE_URL: echo.url, SLA_URL: echo.url, DISPATCH_URL: nobody, COLDCHAIN_URL: nobody });
  });
  afterAll(async () => {
    await consoleApp?.close();
    await echo?.close();
  });

  it('passes method, path without its prefix, query, key, Idempotency-Key and body, and the answer back', async () => {
    const res = await consoleApp.app.inject({
      method: 'POST',
      url: '/api/intake/parcels/batch?dryRun=true',
      headers: { 'x-api-key': 'ck_test.secret', 'idempotency-key': 'idem-1', accept: 'application/json', 'content-type': 'application/json' },
      payload: { parcels: [{ waybill: 'YT1' }] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-upstream']).toBe('echo');
    const seen = echo.seen.at(-1)!;
    expect(seen).toMatchObject({ method: 'POST', url: '/parcels/batch?dryRun=true', body: '{"parcels":[{"waybill":"YT1"}]}' });
    expect(seen.headers).toMatchObject({ 'x-api-key': 'ck_test.secret', 'idempotency-key': 'idem-1', accept: 'application/json' });
  });

  it('passes Authorization: Bearer and a body that is not JSON', async () => {
    const res = await consoleApp.app.inject({ method: 'PUT', url: '/api/sla/notes', headers: { authorization: 'Bearer ck_x.y', 'content-type': 'text/plain' }, payload: 'plain words' });
    expect(res.statusCode).toBe(201);
    expect(echo.seen.at(-1)).toMatchObject({ method: 'PUT', url: '/notes', body: 'plain words', headers: { authorization: 'Bearer ck_x.y' } });
  });

  it('passes a CSV download through as it is', async () => {
    const res = await consoleApp.app.inject({ method: 'GET', url: '/api/sla/report.csv', headers: { accept: 'text/csv' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="report.csv"');
    expect(res.body).toBe('leg,onTime\ncounty_to_town,0.98\n');
  });

  it('answers 503 SERVICE_UNAVAILABLE naming a service that does not answer', async () => {
    const res = await consoleApp.app.inject({ method: 'GET', url: '/api/dispatch/dispatch/waves' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: 'dispatch is not answering', details: [{ path: 'dispatch', reason: expect.any(String) }] },
    });
  });

  it('reports each service up, down or degraded from its readiness, within a second', async () => {
    const res = await consoleApp.app.inject({ method: 'GET', url: '/api/console/status' });
    expect(res.statusCode).toBe(200);
    // the echo answers /health/ready with 201 and no status: it answers, but is not ready as the platform says it
    expect(res.json()).toEqual({ services: { intake: 'degraded', sla: 'degraded', dispatch: 'down', coldchain: 'down' } });
  });
});
