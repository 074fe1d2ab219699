import { addDays, minutesOfDay, zonedInstant, type County, type Wave } from '@county/contracts';

/**
 * A wave's departure and cut-off on a date, as instants (docs/architecture.md §3 "Dispatch"). Waves are clock times
 * in the county's time zone (packages/contracts masterdata/county.ts); a cut-off later in the day than the
 * departure is the evening before (a night sort for the morning wave).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why a date cannot name a day: the form, or a day the calendar does not have. */
export function dateProblem(date: string): string | undefined {
  const match = DATE.exec(date);
  if (!match) return 'a calendar date YYYY-MM-DD';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return `${date} is not a day of the calendar`;
  }
  return undefined;
}

export { addDays, zonedInstant } from '@county/contracts';

export interface WaveTimes {
  departureAt: Date;
  cutoffAt: Date;
}

/** When the wave leaves on `date` and until when parcels received count for it. */
export function waveTimes(county: Pick<County, 'timeZone'>, wave: Pick<Wave, 'departure' | 'cutoff'>, date: string): WaveTimes {
  const cutoffDate = minutesOfDay(wave.cutoff) > minutesOfDay(wave.departure) ? addDays(date, -1) : date;
  return {
    departureAt: zonedInstant(date, wave.departure, county.timeZone),
    cutoffAt: zonedInstant(cutoffDate, wave.cutoff, county.timeZone),
  };
}
