/**
 * Domain time: when an event occurred or was received, SLA deadlines, waves. It is created once, in
 * the runtime, and passed to every service, consumer and event builder, so a simulated county day
 * can run accelerated through the real services and tests decide what time it is. Timeouts,
 * backoffs, shutdown and metrics keep real time (`Date.now()`, timers): a sped-up clock must not
 * shorten a retry or a session.
 */
export type Clock = () => Date;

/** Real time. */
export const systemClock: Clock = () => new Date();

export interface ClockSettings {
  /** The instant the clock shows when it is created; now when absent. */
  start?: Date | undefined;
  /** Clock seconds per real second: 60 runs a county day in 24 minutes. */
  rate: number;
  /**
   * The real instant at which the clock shows `start`; when the clock is created if absent. Processes
   * given the same start, rate and origin agree on the time whenever each of them started (a simulated
   * county day across four services and its simulator).
   */
  origin?: Date | undefined;
}

/**
 * A clock that starts at `start` and runs `rate` times as fast as real time. Without a start and at
 * rate 1 it is real time. `realNow` is the real clock it measures elapsed time with.
 */
export function createClock({ start, rate, origin: givenOrigin }: ClockSettings, realNow: () => number = Date.now): Clock {
  if (start === undefined && rate === 1 && givenOrigin === undefined) return systemClock;
  const origin = givenOrigin?.getTime() ?? realNow();
  const shown = start?.getTime() ?? origin;
  return () => new Date(shown + (realNow() - origin) * rate);
}
