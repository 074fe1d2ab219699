import { describe, expect, it } from 'vitest';
import { createLogger, Lifecycle, retryUntil } from '../src/index.js';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('lifecycle', () => {
  it('closes resources in reverse order of opening, once, past a failure', async () => {
    const closed: string[] = [];
    const lifecycle = new Lifecycle(logger);
    lifecycle.add('postgres', async () => closed.push('postgres'));
    lifecycle.add('redis', async () => {
      closed.push('redis');
      throw new Error('already gone');
    });
    lifecycle.add('http', async () => closed.push('http'));
    const [first, second] = await Promise.all([lifecycle.shutdown(), lifecycle.shutdown()]);
    expect(closed).toEqual(['http', 'redis', 'postgres']);
    expect(first).toBe(false);
    expect(second).toBe(false);
  });
});

describe('retryUntil', () => {
  it('retries a failing operation until it succeeds', async () => {
    let calls = 0;
    const result = await retryUntil(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('down');
        return 'up';
      },
      { signal: new AbortController().signal, initialDelayMs: 1 },
    );
    expect(result).toBe('up');
    expect(calls).toBe(3);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const pending = retryUntil(() => Promise.reject(new Error('down')), { signal: controller.signal, initialDelayMs: 60_000 });
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });
});
