import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger, waitFor } from '../../../tests/support/harness.js';
import { createHttpApp, openRuntime, type Runtime } from '../src/index.js';

const migrationsDir = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));
const opened: Runtime[] = [];

async function readiness(overrides: Record<string, string> = {}) {
  const config = testConfig(isolation(), overrides);
  const runtime = openRuntime({ service: 'test', config, migrationsDir, logger: testLogger() });
  opened.push(runtime);
  const app = await createHttpApp({ service: 'test', logger: runtime.logger, metrics: runtime.metrics, health: runtime.health });
  runtime.lifecycle.add('http', () => app.close());
  return { runtime, ready: () => app.inject({ method: 'GET', url: '/health/ready' }) };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.lifecycle.shutdown()));
});

describe('readiness', () => {
  it('is 200 once Postgres answers and the schema is migrated', async () => {
    const { runtime, ready } = await readiness();
    await runtime.migrated;
    const res = await ready();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', failed: [], degraded: [] });
    const tables = await runtime.pool.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'widgets'`, [
      runtime.config.DB_SCHEMA,
    ]);
    expect(tables.rows.map((r) => r.column_name).sort()).toEqual(['county_id', 'id', 'weight_kg']);
  });

  it('is 503 naming Postgres when Postgres is unreachable', async () => {
    const { ready } = await readiness({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres' });
    const res = await ready();
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unready', failed: ['postgres'] });
    expect(res.json().checks.postgres.ok).toBe(false);
  });

  it('is 200 and degraded naming Kafka when only the broker is unreachable', async () => {
    const { runtime, ready } = await readiness({ KAFKA_BROKERS: '127.0.0.1:1' });
    await runtime.migrated;
    const res = await ready();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'degraded', failed: [], degraded: ['kafka'] });
  });

  it('is 200 and degraded naming Redis when only Redis is unreachable', async () => {
    const { runtime, ready } = await readiness({ REDIS_URL: 'redis://127.0.0.1:1' });
    await runtime.migrated;
    const res = await ready();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'degraded', degraded: ['redis'] });
  });

  it('applies each migration once when two instances start together', async () => {
    const iso = isolation();
    const config = testConfig(iso);
    const a = openRuntime({ service: 'test', config, migrationsDir, logger: testLogger() });
    const b = openRuntime({ service: 'test', config, migrationsDir, logger: testLogger() });
    opened.push(a, b);
    await Promise.all([a.migrated, b.migrated]);
    const applied = await a.pool.query('SELECT name FROM schema_migrations ORDER BY name');
    const files = (await readdir(migrationsDir)).map((f) => f.replace(/\.sql$/, '')).sort();
    expect(applied.rows.map((r) => r.name)).toEqual(files);
    const platform = await a.pool.query('SELECT name FROM platform_migrations ORDER BY name');
    expect(platform.rows.map((r) => r.name)).toContain('0001_outbox_inbox');
    await waitFor(async () => ((await b.pool.query('SELECT 1 FROM widgets LIMIT 1')) ? true : undefined));
  });
});

describe('the runtime clock', () => {
  it('starts at CLOCK_START and runs at CLOCK_RATE', async () => {
    const start = new Date('2026-06-01T06:00:00+08:00').getTime();
    const before = Date.now();
    const { runtime } = await readiness({ CLOCK_START: '2026-06-01T06:00:00+08:00', CLOCK_RATE: '60' });
    const shown = runtime.clock().getTime();
    const elapsed = Date.now() - before;
    expect(shown - start).toBeGreaterThanOrEqual(0);
    expect(shown - start).toBeLessThanOrEqual(elapsed * 60);
  });
});
