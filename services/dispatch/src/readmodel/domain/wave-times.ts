import { minutesOfDay, type County, type Wave } from '@county/contracts';

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

/** The calendar date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone's wall clock is ahead of UTC at `instant` (480 for Asia/Shanghai). */
function zoneOffsetMinutes(timeZone: string, instant: number): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time of a date shows in a time zone. Where daylight saving skips the time,
 * the instant after the gap; where it repeats it, the earlier one. (China keeps no daylight saving.)
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day) + minutesOfDay(time) * 60_000;
  const first = wall - zoneOffsetMinutes(timeZone, wall) * 60_000;
  const second = wall - zoneOffsetMinutes(timeZone, first) * 60_000;
  return new Date(Math.min(first, second));
}

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
