import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/harness.js';
import { root, serviceEnv, startStack, type Stack } from './support/stack.js';

/** The body of every error reply (packages/platform/src/http/error-handler.ts). */
type ErrorBody = { error: { code: string } };

let stack: Stack;
let adminKey: string;

function createAdminKey(countyId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['services/intake/dist/commands/create-admin-key.js', '--county', countyId], {
      cwd: root,
      env: serviceEnv(stack, 'intake'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`create-admin-key exited ${code}: ${err}`))));
  });
}

const call = (url: string, key?: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { ...(key ? { 'x-api-key': key } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });

beforeAll(async () => {
  stack = await startStack();
  adminKey = await createAdminKey('cn-511623');
}, 240_000);

afterAll(async () => {
  stack?.child.kill('SIGTERM');
  await stack?.exited;
});

describe('access across services', () => {
  it('a key issued at intake works at every service within seconds', async () => {
    for (const service of ['dispatch', 'coldchain', 'sla'] as const) {
      const whoami = await waitFor(async () => {
        const res = await call(`${stack.urls[service]}/auth/whoami`, adminKey);
        return res.status === 200 ? res.json() : undefined;
      });
      expect(whoami, service).toMatchObject({ countyId: 'cn-511623', role: 'admin' });
    }
  });

  it('no key is 401 and a courier key on an operator route is 403', async () => {
    const none = await call(`${stack.urls.sla}/auth/whoami`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');

    const issued = await call(`${stack.urls.intake}/keys`, adminKey, {
      method: 'POST',
      body: JSON.stringify({ role: 'courier', name: 'ZTO county franchise', scope: { courierId: 'zto' } }),
    });
    expect(issued.status).toBe(201);
    const courierKey = ((await issued.json()) as { key: string }).key;
    const forbidden = await call(`${stack.urls.intake}/keys`, courierKey);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as ErrorBody).error.code).toBe('FORBIDDEN');
  });

  it('a key revoked at intake is refused by another service within seconds', async () => {
    const issued = await call(`${stack.urls.intake}/keys`, adminKey, {
      method: 'POST',
      body: JSON.stringify({ role: 'operator', name: 'night shift' }),
    });
    const { key, keyId } = (await issued.json()) as { key: string; keyId: string };
    await waitFor(async () => ((await call(`${stack.urls.dispatch}/auth/whoami`, key)).status === 200 ? true : undefined));

    const revoked = await call(`${stack.urls.intake}/keys/${keyId}/revoke`, adminKey, { method: 'POST' });
    expect(revoked.status).toBe(200);
    const refusedAfter = Date.now();
    await waitFor(async () => ((await call(`${stack.urls.dispatch}/auth/whoami`, key)).status === 401 ? true : undefined), { timeoutMs: 15_000 });
    expect(Date.now() - refusedAfter).toBeLessThan(15_000);
    expect((await call(`${stack.urls.intake}/auth/whoami`, key)).status).toBe(401);
  });
});
