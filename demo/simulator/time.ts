/**
 * Simulated time: the services' shared clock (CLOCK_START, CLOCK_RATE, CLOCK_ORIGIN) computed here with the
 * platform's `createClock`, and waits in real time until a simulated instant has come; wall-clock times of a county
 * day as instants in its time zone.
 */
import { addDays, minutesOfDay, zonedInstant } from '@county/contracts';
import { createClock, type Clock } from '@county/platform';
import type { DemoCounty } from '../demo-types.js';

export interface SimClockSettings {
  start: Date;
  rate: number;
  origin: Date;
}

export class SimTime {
  readonly now: Clock;
  constructor(readonly settings: SimClockSettings) {
    this.now = createClock({ start: settings.start, rate: settings.rate, origin: settings.origin });
  }

  /** Resolves once the simulated clock shows `instant` (at once when it has passed). */
  async until(instant: Date, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const ahead = instant.getTime() - this.now().getTime();
      if (ahead <= 0) return;
      await sleep(Math.min(1000, Math.max(5, ahead / this.settings.rate)), signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export { addDays, zonedInstant } from '@county/contracts';

/** A wave's departure and cut-off on `date` (a cut-off later in the day than the departure is the evening before). */
export function waveInstants(county: Pick<DemoCounty['county'], 'timeZone'>, wave: { departure: string; cutoff: string }, date: string) {
  const cutoffDate = minutesOfDay(wave.cutoff) > minutesOfDay(wave.departure) ? addDays(date, -1) : date;
  return { departureAt: zonedInstant(date, wave.departure, county.timeZone), cutoffAt: zonedInstant(cutoffDate, wave.cutoff, county.timeZone) };
}

/** The hour (0–23) of `instant` in the zone. */
export function localHour(instant: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit' }).format(instant));
}
