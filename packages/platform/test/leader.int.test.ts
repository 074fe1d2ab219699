import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import { createPool, startLeaderLoop, type LeaderLoop, type Pool } from '../src/index.js';

const iso = isolation();
const config = testConfig(iso);
const logger = testLogger();
let pools: Pool[] = [];
const loops: LeaderLoop[] = [];

beforeAll(() => {
  // Two instances of a service: each its own pool, as two processes would have.
  pools = [0, 1].map(() => createPool({ url: config.DATABASE_URL, schema: 'public', logger }));
});

afterAll(async () => {
  await Promise.all(loops.map((l) => l.stop()));
  await Promise.all(pools.map((p) => p.end()));
});

describe('startLeaderLoop', () => {
  it('runs the passes in one instance only, and a standby takes over when the leader stops', async () => {
    const name = `${iso.schema}.scanner`;
    const passes = [0, 0];
    const loop = (i: number) =>
      startLeaderLoop({ pool: pools[i]!, name, logger, intervalMs: 50, standbyRetryMs: 50, pass: async () => void (passes[i]! += 1) });
    const first = loop(0);
    loops.push(first);
    await first.nextPass();
    const second = loop(1);
    loops.push(second);
    await first.nextPass();
    await first.nextPass();
    expect(first.isLeader()).toBe(true);
    expect(second.isLeader()).toBe(false);
    expect(passes[1]).toBe(0);

    await first.stop();
    await second.nextPass();
    expect(second.isLeader()).toBe(true);
    expect(passes[1]).toBeGreaterThan(0);
  });

  it('a pass that throws ends the leadership and is tried again, without stopping the loop', async () => {
    let calls = 0;
    const loop = startLeaderLoop({
      pool: pools[0]!,
      name: `${iso.schema}.flaky`,
      logger,
      intervalMs: 20,
      standbyRetryMs: 20,
      pass: async () => {
        calls += 1;
        if (calls === 1) throw new Error('first pass fails');
      },
    });
    loops.push(loop);
    await loop.nextPass();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(loop.isLeader()).toBe(true);
  });
});
