import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import { createServiceApp, openRuntime, type Runtime } from '../src/index.js';

const opened: Runtime[] = [];

afterAll(async () => {
  await Promise.all(opened.map((r) => r.lifecycle.shutdown()));
});

describe('a service whose Postgres is unreachable', () => {
  it('answers an authenticated request with 503 and Retry-After, so clients retry', async () => {
    const config = testConfig(isolation(), { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres' });
    const runtime = openRuntime({ service: 'test', config, migrationsDir: fileURLToPath(new URL('./fixtures/migrations', import.meta.url)), logger: testLogger() });
    opened.push(runtime);
    const app = await createServiceApp(runtime, { description: 'test' });
    runtime.lifecycle.add('http', () => app.close());
    const key = `ck_0123456789abcdef_${'a'.repeat(43)}`;
    const res = await app.inject({ method: 'GET', url: '/auth/whoami', headers: { 'x-api-key': key } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json().error.code).toBe('UNAVAILABLE');
  });
});
