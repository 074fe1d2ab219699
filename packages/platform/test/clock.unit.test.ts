import { describe, expect, it } from 'vitest';
import { baseConfigSchema, createClock, loadConfig, systemClock } from '../src/index.js';

/** A real clock the test moves by hand. */
function realTime(startMs: number) {
  let ms = startMs;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

const base = { PORT: '3001', DB_SCHEMA: 'intake' };

describe('the clock', () => {
  it('is real time by default', () => {
    const config = loadConfig(baseConfigSchema, base);
    expect(config.CLOCK_START).toBeUndefined();
    expect(config.CLOCK_RATE).toBe(1);
    expect(createClock({ start: config.CLOCK_START, rate: config.CLOCK_RATE })).toBe(systemClock);
  });

  it('starts at the configured instant and follows real time at rate 1', () => {
    const real = realTime(Date.UTC(2030, 0, 1));
    const clock = createClock({ start: new Date('2026-06-01T06:00:00+08:00'), rate: 1 }, real.now);
    expect(clock().toISOString()).toBe('2026-05-31T22:00:00.000Z');
    real.advance(1500);
    expect(clock().toISOString()).toBe('2026-05-31T22:00:01.500Z');
  });

  it('runs a county day in 24 real minutes at rate 60', () => {
    const real = realTime(Date.UTC(2030, 0, 1));
    const clock = createClock({ start: new Date('2026-06-01T06:00:00+08:00'), rate: 60 }, real.now);
    real.advance(24 * 60_000);
    expect(clock().toISOString()).toBe('2026-06-01T22:00:00.000Z');
  });

  it('runs accelerated from now when only a rate is set', () => {
    const real = realTime(Date.UTC(2026, 5, 1));
    const clock = createClock({ rate: 10 }, real.now);
    real.advance(1000);
    expect(clock().getTime()).toBe(Date.UTC(2026, 5, 1) + 10_000);
  });

  it('agrees across processes started at different times when they share an origin', () => {
    const real = realTime(Date.UTC(2030, 0, 1));
    const settings = { start: new Date('2026-06-01T00:00:00+08:00'), rate: 300, origin: new Date(Date.UTC(2030, 0, 1)) };
    const first = createClock(settings, real.now);
    real.advance(7_000);
    const second = createClock(settings, real.now);
    expect(second().toISOString()).toBe(first().toISOString());
    expect(first().toISOString()).toBe('2026-05-31T16:35:00.000Z');
  });

  it('reads CLOCK_ORIGIN from the environment and refuses a bad one by name', () => {
    const config = loadConfig(baseConfigSchema, { ...base, CLOCK_START: '2026-06-01T06:00:00+08:00', CLOCK_RATE: '60', CLOCK_ORIGIN: '2030-01-01T00:00:00Z' });
    expect(config.CLOCK_ORIGIN?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(() => loadConfig(baseConfigSchema, { ...base, CLOCK_ORIGIN: 'yesterday' })).toThrow(/CLOCK_ORIGIN/);
  });

  it('reads CLOCK_START and CLOCK_RATE from the environment', () => {
    const config = loadConfig(baseConfigSchema, { ...base, CLOCK_START: '2026-06-01T06:00:00+08:00', CLOCK_RATE: '60' });
    expect(config.CLOCK_START?.toISOString()).toBe('2026-05-31T22:00:00.000Z');
    expect(config.CLOCK_RATE).toBe(60);
  });

  it('refuses a start without an offset and a rate that is not above 0, naming both', () => {
    expect(() => loadConfig(baseConfigSchema, { ...base, CLOCK_START: '2026-06-01 06:00', CLOCK_RATE: '0' })).toThrow(
      'invalid configuration: CLOCK_START: an ISO 8601 instant with its offset, e.g. 2026-06-01T06:00:00+08:00; CLOCK_RATE: a number above 0 (1 is real time)',
    );
    expect(() => loadConfig(baseConfigSchema, { ...base, CLOCK_RATE: 'fast' })).toThrow('CLOCK_RATE: a number');
  });
});
