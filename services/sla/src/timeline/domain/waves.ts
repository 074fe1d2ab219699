import { addDays, localDate, minutesOfDay, zonedInstant as zonedDate } from '@county/contracts';

/**
 * Wave departures as instants (as dispatch computes them, services/dispatch readmodel/domain/wave-times.ts): waves
 * are clock times in the county's time zone; a cut-off later in the day than the departure is the evening before.
 */

export interface WaveClock {
  id: string;
  departure: string;
  cutoff: string;
}

export { localDate } from '@county/contracts';

/** The instant, in epoch milliseconds, a wall-clock time of a date shows in a zone (contracts' `zonedInstant`). */
export function zonedInstant(date: string, time: string, timeZone: string): number {
  return zonedDate(date, time, timeZone).getTime();
}

/**
 * The first departure that could carry a parcel received at `receivedAt` and still waiting at `from`: a wave
 * occurrence leaving at or after `from` whose cut-off is at or after the receive scan. Looks 8 days ahead.
 */
export function nextDeparture(timeZone: string, waves: readonly WaveClock[], receivedAt: number, from: number): number | null {
  const start = localDate(timeZone, Math.min(receivedAt, from));
  let best: number | null = null;
  for (let day = -1; day <= 8; day += 1) {
    const date = addDays(start, day);
    for (const wave of waves) {
      const departureAt = zonedInstant(date, wave.departure, timeZone);
      const cutoffDate = minutesOfDay(wave.cutoff) > minutesOfDay(wave.departure) ? addDays(date, -1) : date;
      const cutoffAt = zonedInstant(cutoffDate, wave.cutoff, timeZone);
      if (departureAt >= from && cutoffAt >= receivedAt && (best === null || departureAt < best)) best = departureAt;
    }
    if (best !== null && day >= 1) break;
  }
  return best;
}
