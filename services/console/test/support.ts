import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consume, issueKey, openRuntime, withTransaction, type NewKey } from '@county/platform';
import { testConfig, testLogger, type Isolation } from '../../../tests/support/harness.js';
import { freePort } from '../../../tests/support/stack.js';
import { buildApp } from '../src/app.js';
import { configSchema } from '../src/config.js';
import { consumers } from '../src/consumers.js';

export const consoleMigrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

/** console as main.ts runs it, over a suite's own schema and topics: runtime, HTTP app, consumers. */
export async function runningConsole(iso: Isolation, env: Record<string, string> = {}) {
  const base = testConfig(iso);
  const config = configSchema.parse({
    ...Object.fromEntries(Object.entries(base).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)])),
    ...env,
  });
  const runtime = openRuntime({ service: 'console', config, migrationsDir: consoleMigrationsDir, logger: testLogger('console') });
  await runtime.migrated;
  const app = await buildApp({ ...runtime, config });
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  for (const spec of consumers(runtime)) await consume(runtime, spec);
  const issue = async (input: NewKey) => (await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, input, new Date()))).key;
  return { runtime, app, config, issue, close: () => runtime.lifecycle.shutdown() };
}

/** What a stand-in service saw of one request. */
export interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A stand-in for one of the four services on a real port: echoes what it receives, and a CSV at /report.csv. */
export async function echoService(): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/report.csv') {
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="report.csv"' });
        return res.end('leg,onTime\ncounty_to_town,0.98\n');
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'echo' });
      res.end(JSON.stringify({ method: req.method, url: req.url, body }));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A built web app of a few files, as `vite build` lays them out. */
export function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><body><div id="app"></div><script src="/assets/index-abc123.js"></script></body></html>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}
