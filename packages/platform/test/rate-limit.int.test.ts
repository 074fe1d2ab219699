import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import type { App } from '../src/index.js';
import { authApp, authFixture, type AuthFixture } from './support/access.js';

const iso = isolation();
const config = testConfig(iso);
const county = 'cn-511623';
const fixtures: AuthFixture[] = [];
const apps: App[] = [];

async function appWith(fixture: AuthFixture, anonymousMax?: number) {
  const built = await authApp(fixture, anonymousMax === undefined ? {} : { rateLimit: { anonymousMax } });
  built.app.get('/center', { config: { access: ['operator', 'courier'] } }, async () => ({ ok: true }));
  built.app.get('/open', { config: { access: 'public' } }, async () => ({ ok: true }));
  await built.app.ready();
  apps.push(built.app);
  return built;
}

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await Promise.all(fixtures.map((f) => f.close()));
});

describe('rate limiting with Redis', () => {
  let fixture: AuthFixture;
  beforeAll(async () => {
    fixture = await authFixture(config, iso);
    fixtures.push(fixture);
  });

  it('counts per key: over its limit a key gets 429 RATE_LIMITED with retry-after, another key does not', async () => {
    const { app } = await appWith(fixture);
    const limited = await fixture.issue({ countyId: county, role: 'courier', scope: { courierId: 'zto' }, name: 'ZTO', rateLimitPerMinute: 3 });
    const other = await fixture.issue({ countyId: county, role: 'operator', name: 'desk' });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'GET', url: '/center', headers: { 'x-api-key': limited.key } });
      expect(res.statusCode).toBe(200);
      remaining.push(String(res.headers['x-ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const over = await app.inject({ method: 'GET', url: '/center', headers: { 'x-api-key': limited.key } });
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('RATE_LIMITED');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    const res = await app.inject({ method: 'GET', url: '/center', headers: { 'x-api-key': other.key } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBe('1200');
  });

  it('counts callers without a valid key by IP, refused ones included, and never health probes', async () => {
    const { app } = await appWith(fixture, 2);
    expect((await app.inject({ method: 'GET', url: '/open' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/center', headers: { 'x-api-key': 'guess' } })).statusCode).toBe(401);
    const over = await app.inject({ method: 'GET', url: '/open' });
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('RATE_LIMITED');
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});

describe('rate limiting without Redis', () => {
  it('fails open, and says so once in the log', async () => {
    const dead = await authFixture(config, isolation(), 'redis://127.0.0.1:1');
    fixtures.push(dead);
    const { app, log } = await appWith(dead);
    const { key } = await dead.issue({ countyId: county, role: 'courier', scope: { courierId: 'zto' }, name: 'ZTO', rateLimitPerMinute: 1 });
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'GET', url: '/center', headers: { 'x-api-key': key } });
      expect(res.statusCode).toBe(200);
    }
    const warnings = log.parsed().filter((l) => String(l.msg).startsWith('rate limiting fails open'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn' });
  });
});
