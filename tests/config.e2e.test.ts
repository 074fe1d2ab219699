import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('a service started with bad configuration', () => {
  it.each(['intake', 'dispatch', 'coldchain', 'sla'])('%s exits 1 with one message naming every bad variable', async (service) => {
    const child = spawn(process.execPath, [`services/${service}/dist/main.js`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, PORT: 'eighty', REDIS_URL: 'http://not-redis' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^invalid configuration: /);
    expect(lines[0]).toContain('PORT');
    expect(lines[0]).toContain('REDIS_URL');
  });
});
