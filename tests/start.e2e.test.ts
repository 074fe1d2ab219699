import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { isolation } from './support/harness.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const services = ['intake', 'dispatch', 'coldchain', 'sla'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

let started: ChildProcess | undefined;

afterAll(() => {
  started?.kill('SIGKILL');
});

describe('npm start', () => {
  it('starts the four services ready on their ports and stops them cleanly on SIGTERM', async () => {
    const iso = isolation();
    const ports = Object.fromEntries(await Promise.all(services.map(async (s) => [`${s.toUpperCase()}_PORT`, String(await freePort())])));
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...inject('infra'),
        ...ports,
        DB_SCHEMA_PREFIX: `${iso.schema}_`,
        TOPIC_PREFIX: iso.topicPrefix,
        GROUP_PREFIX: iso.groupPrefix,
        LOG_LEVEL: 'warn',
      },
    });
    started = child;
    const exited = exitOf(child);
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const urls = await new Promise<Record<string, string>>((resolve, reject) => {
      const found: Record<string, string> = {};
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        for (const match of chunk.toString().matchAll(/^ready (\w+)\s+(http:\/\/\S+)$/gm)) found[match[1]!] = match[2]!;
        if (Object.keys(found).length === services.length) resolve(found);
      });
      void exited.then((code) => reject(new Error(`npm start exited with ${code} before all were ready:\n${output}`)));
    });

    for (const service of services) {
      expect(urls[service]).toBe(`http://127.0.0.1:${ports[`${service.toUpperCase()}_PORT`]}`);
      const ready = await fetch(`${urls[service]}/health/ready`);
      expect(ready.status, service).toBe(200);
      expect((await ready.json()).status, service).toBe('ready');
    }

    const stopRequested = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, output).toBe(0);
    expect(Date.now() - stopRequested).toBeLessThan(10_000);
    for (const service of services) {
      await expect(fetch(`${urls[service]}/health/live`)).rejects.toThrow();
    }
  }, 240_000);
});
