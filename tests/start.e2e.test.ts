import { afterAll, describe, expect, it } from 'vitest';
import { services, startStack, type Stack } from './support/stack.js';

let stack: Stack | undefined;

afterAll(() => {
  stack?.child.kill('SIGKILL');
});

describe('npm start', () => {
  it('starts the four services ready on their ports and stops them cleanly on SIGTERM', async () => {
    stack = await startStack();
    for (const service of services) {
      expect(stack.urls[service]).toBe(`http://127.0.0.1:${stack.ports[`${service.toUpperCase()}_PORT`]}`);
      const ready = await fetch(`${stack.urls[service]}/health/ready`);
      expect(ready.status, service).toBe(200);
      expect(((await ready.json()) as { status: string }).status, service).toBe('ready');
    }

    const stopRequested = Date.now();
    stack.child.kill('SIGTERM');
    const code = await stack.exited;
    expect(code, stack.output()).toBe(0);
    expect(Date.now() - stopRequested).toBeLessThan(10_000);
    for (const service of services) {
      await expect(fetch(`${stack.urls[service]}/health/live`)).rejects.toThrow();
    }
  }, 240_000);
});
