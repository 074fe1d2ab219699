import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPacer, timeSlices } from '../src/index.js';

afterEach(() => vi.useRealTimers());

/** Whether `promise` has settled once pending callbacks (and timers up to `ms`) have run. */
async function settledAfter(promise: Promise<unknown>, ms = 0): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await vi.advanceTimersByTimeAsync(ms);
  return settled;
}

describe('the pacer', () => {
  it('lets bulk work go on at once when no request is in flight', async () => {
    vi.useFakeTimers();
    const pacer = createPacer();
    expect(await settledAfter(pacer.yieldToInteractive(250))).toBe(true);
  });

  it('holds bulk work while a request is in flight and releases it when the last one is answered', async () => {
    vi.useFakeTimers();
    const pacer = createPacer();
    const endA = pacer.begin();
    const endB = pacer.begin();
    const waiting = pacer.yieldToInteractive(250);
    expect(await settledAfter(waiting, 100)).toBe(false);
    endA();
    expect(await settledAfter(waiting)).toBe(false);
    endB();
    expect(await settledAfter(waiting)).toBe(true);
    expect(pacer.inFlight()).toBe(0);
  });

  it('never holds bulk work longer than its limit under a sustained load', async () => {
    vi.useFakeTimers();
    const pacer = createPacer();
    pacer.begin();
    const waiting = pacer.yieldToInteractive(250);
    expect(await settledAfter(waiting, 249)).toBe(false);
    expect(await settledAfter(waiting, 1)).toBe(true);
  });

  it('counts a request once however often its end is reported', () => {
    const pacer = createPacer();
    const end = pacer.begin();
    pacer.begin();
    end();
    end();
    expect(pacer.inFlight()).toBe(1);
  });
});

describe('time slices of bulk work', () => {
  it('yield to a request in flight only once the work has had the loop for its slice', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const pacer = createPacer();
    const slices = timeSlices(pacer, { workMs: 20, maxWaitMs: 250 });
    const end = pacer.begin();
    // Small messages within one slice go on although a request is in flight.
    expect(await settledAfter(slices.checkpoint())).toBe(true);
    await vi.advanceTimersByTimeAsync(25);
    // The slice is used up: the next piece waits for the request.
    const waiting = slices.checkpoint();
    expect(await settledAfter(waiting, 10)).toBe(false);
    end();
    // Then, requests having arrived within the last second, it rests as long as it worked.
    expect(await settledAfter(waiting, 24)).toBe(false);
    expect(await settledAfter(waiting, 1)).toBe(true);
    expect(await settledAfter(slices.checkpoint())).toBe(true);
  });

  it('rest as long as they worked while requests keep arriving, and not once none has come for a second', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const pacer = createPacer();
    const slices = timeSlices(pacer, { workMs: 20, maxWaitMs: 250 });
    pacer.begin()();
    await vi.advanceTimersByTimeAsync(40);
    const resting = slices.checkpoint();
    expect(await settledAfter(resting, 39)).toBe(false);
    expect(await settledAfter(resting, 1)).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await settledAfter(slices.checkpoint())).toBe(true);
  });
});

describe('the HTTP app with a pacer', () => {
  it('counts a request as in flight until it is answered, and never a probe', async () => {
    const { createHttpApp, createLogger, createMetricsRegistry } = await import('../src/index.js');
    const pacer = createPacer();
    const app = await createHttpApp({
      service: 'test',
      logger: createLogger({ service: 'test', level: 'silent' }),
      metrics: createMetricsRegistry('test'),
      health: [],
      pacer,
    });
    app.get('/work', async () => ({ inFlight: pacer.inFlight() }));
    try {
      expect((await app.inject({ method: 'GET', url: '/work' })).json()).toEqual({ inFlight: 1 });
      expect(pacer.inFlight()).toBe(0);
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode).toBe(404);
      expect(pacer.inFlight()).toBe(0);
    } finally {
      await app.close();
    }
  });
});
