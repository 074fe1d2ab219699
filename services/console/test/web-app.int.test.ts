import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation } from '../../../tests/support/harness.js';
import { fakeDist, runningConsole } from './support.js';

describe('the web app on one origin', () => {
  let built: Awaited<ReturnType<typeof runningConsole>>;
  let unbuilt: Awaited<ReturnType<typeof runningConsole>>;

  beforeAll(async () => {
    built = await runningConsole(isolation(), { WEB_DIST: fakeDist() });
    unbuilt = await runningConsole(isolation(), { WEB_DIST: mkdtempSync(join(tmpdir(), 'console-empty-')) });
  });
  afterAll(async () => {
    await built?.close();
    await unbuilt?.close();
  });

  it('serves index.html, not cached, at / and at any path of the app (SPA fallback)', async () => {
    for (const url of ['/', '/waves', '/parcels/3f0c?tab=timeline', '/coldchain/containers/v1%2Frefrigerated']) {
      const res = await built.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.body, url).toContain('<div id="app">');
    }
  });

  it('serves hashed assets with a long cache, other files without', async () => {
    const asset = await built.app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe('console.log("app")');
    const icon = await built.app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('keeps the service paths out of the fallback: an unknown one is a 404 in the error shape', async () => {
    for (const url of ['/api/nowhere', '/api/console/nothing', '/t/', '/metrics/x']) {
      const res = await built.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('NOT_FOUND');
    }
    expect((await built.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });

  it('never serves a file outside the build', async () => {
    const res = await built.app.inject({ method: 'GET', url: '/..%2F..%2Fetc%2Fpasswd' });
    expect(res.body).not.toContain('root:');
  });

  it('without a build, says how to make one', async () => {
    const res = await unbuilt.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('npm run build -w @county/console');
  });
});
