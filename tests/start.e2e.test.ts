import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/harness.js';
import { services, startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;

afterAll(() => {
  stack?.child.kill('SIGKILL');
});

describe('npm start', () => {
  it('starts the four services ready on their ports and stops them cleanly on SIGTERM', async () => {
    stack = await startStack({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    for (const service of services) {
      expect(stack.urls[service]).toBe(`http://127.0.0.1:${stack.ports[`${service.toUpperCase()}_PORT`]}`);
      const ready = await fetch(`${stack.urls[service]}/health/ready`);
      expect(ready.status, service).toBe(200);
      // 200 is printed as ready; its consumers may still be joining their groups, which the body
      // names as degraded until they have (issue #8), and then nothing is.
      const url = `${stack.urls[service]}/health/ready`;
      const body = await waitFor(async () => {
        const res = (await (await fetch(url)).json()) as { status: string; degraded: string[] };
        return res.status === 'ready' || res.degraded.some((name) => !name.startsWith('consumer:')) ? res : undefined;
      });
      expect(body, service).toMatchObject({ status: 'ready', degraded: [] });
    }

    const stopRequested = Date.now();
    stack.child.kill('SIGTERM');
    const code = await stack.exited;
    expect(code, stack.output()).toBe(0);
    expect(Date.now() - stopRequested).toBeLessThan(10_000);
    for (const service of services) {
      await expect(fetch(`${stack.urls[service]}/health/live`)).rejects.toThrow();
    }

    // The console, as on a terminal: one readable line per log line, no JSON.
    expect(stack.output()).toMatch(/^\[[\d:.]+\] INFO: \[intake\] intake listening/m);
    expect(stack.output()).not.toContain('{"level"');

    // Each service's whole JSON log is in its file; readiness was polled throughout, never logged at info.
    for (const service of services) {
      const lines = readFileSync(join(stack.logDir, `${service}.log`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.every((l) => l.service === service), service).toBe(true);
      expect(lines.map((l) => l.msg), service).toContain(`${service} listening`);
      expect(lines.filter((l) => JSON.stringify(l).includes('/health/')), service).toEqual([]);
    }
  }, 240_000);
});
