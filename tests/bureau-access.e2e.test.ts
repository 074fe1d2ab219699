import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/harness.js';
import { root, serviceEnv, services, startStack, type Stack } from './support/stack.js';

/**
 * The commerce bureau's access across the four services (issue #12 "Acceptance"; DESIGN.md §5 "the bureau can
 * read metrics and nothing else"): its key reads sla's metrics and monthly report and is refused (403) on every
 * other route any service declares — found in each service's own OpenAPI document, so a route added later is
 * covered —; couriers and stations are refused the bureau's endpoints.
 */

type ErrorBody = { error: { code: string } };
type OpenApi = { paths: Record<string, Record<string, { security?: unknown[] }>> };

let stack: Stack;
let adminKey: string;
const keys: Record<'bureau' | 'courier' | 'station', string> = { bureau: '', courier: '', station: '' };

/** What the bureau may call: its two endpoints, and checking its own key. */
const BUREAU_ROUTES = new Set(['GET /v1/metrics', 'GET /v1/reports/monthly', 'GET /auth/whoami']);
const BUREAU_URLS = ['/v1/metrics?from=2026-06-01&to=2026-06-30', '/v1/metrics?from=2026-06-01&to=2026-06-30&groupBy=courier', '/v1/reports/monthly?month=2026-06'];

function createAdminKey(countyId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['services/intake/dist/commands/create-admin-key.js', '--county', countyId], { cwd: root, env: serviceEnv(stack, 'intake'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`create-admin-key exited ${code}: ${err}`))));
  });
}

const call = (url: string, key?: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { ...(key ? { 'x-api-key': key } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });

async function issue(body: Record<string, unknown>): Promise<string> {
  const res = await call(`${stack.urls.intake}/keys`, adminKey, { method: 'POST', body: JSON.stringify({ rateLimitPerMinute: 100_000, ...body }) });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

beforeAll(async () => {
  stack = await startStack();
  adminKey = await createAdminKey('cn-511623');
  keys.bureau = await issue({ role: 'bureau', name: 'county commerce bureau' });
  keys.courier = await issue({ role: 'courier', name: 'ZTO county franchise', scope: { courierId: 'zto' } });
  keys.station = await issue({ role: 'station', name: 'village point', scope: { stationId: 'st-v1' } });
  // The keys reach every service's copy within seconds.
  for (const service of services) {
    for (const key of Object.values(keys)) await waitFor(async () => ((await call(`${stack.urls[service]}/auth/whoami`, key)).status === 200 ? true : undefined));
  }
}, 240_000);

afterAll(async () => {
  stack?.child.kill('SIGTERM');
  await stack?.exited;
});

describe("the bureau's access", () => {
  it('reads the metrics and the monthly report, JSON and CSV', async () => {
    for (const url of BUREAU_URLS) {
      const res = await call(`${stack.urls.sla}${url}`, keys.bureau);
      expect(res.status, url).toBe(200);
      expect(((await res.json()) as { countyId: string }).countyId).toBe('cn-511623');
      const csv = await call(`${stack.urls.sla}${url}`, keys.bureau, { headers: { accept: 'text/csv' } });
      expect(csv.status, url).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    }
  });

  it('gets 403 on every other route of every service', async () => {
    let checked = 0;
    for (const service of services) {
      const doc = (await (await call(`${stack.urls[service]}/docs/json`)).json()) as OpenApi;
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const route = `${method.toUpperCase()} ${path}`;
          if (!op.security || BUREAU_ROUTES.has(route)) continue; // public, or the bureau's own
          const url = path.replace(/\{[^}]+\}/g, 'x');
          const res = await call(`${stack.urls[service]}${url}`, keys.bureau, { method: method.toUpperCase(), ...(method === 'get' || method === 'delete' ? {} : { body: '{}' }) });
          expect(res.status, `${service} ${route}`).toBe(403);
          expect(((await res.json()) as ErrorBody).error.code, `${service} ${route}`).toBe('FORBIDDEN');
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('couriers and stations get 403 on the bureau’s endpoints', async () => {
    for (const role of ['courier', 'station'] as const) {
      for (const url of BUREAU_URLS) {
        const res = await call(`${stack.urls.sla}${url}`, keys[role]);
        expect(res.status, `${role} ${url}`).toBe(403);
        expect(((await res.json()) as ErrorBody).error.code).toBe('FORBIDDEN');
      }
    }
  });
});
