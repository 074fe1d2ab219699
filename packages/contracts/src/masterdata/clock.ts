import { z } from 'zod';

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A time of day, `HH:MM`, in the county's time zone. */
export const clockTimeSchema = z.string().regex(CLOCK, 'a time of day HH:MM, 00:00–23:59');

/** Minutes since midnight of an `HH:MM` (or `24:00`, the end of the day). */
export function minutesOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

const RANGE = /^\s*(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})\s*$/;
const RANGE_MESSAGE = 'HH:MM-HH:MM within one day, e.g. 08:00-18:00';

/** Opening before closing within one day; a value the pattern refuses is reported by it alone. */
function withinOneDay(value: string): boolean {
  const match = RANGE.exec(value);
  if (!match) return true;
  const [, open = '', close = ''] = match;
  return CLOCK.test(open) && (CLOCK.test(close) || close === '24:00') && minutesOfDay(open) < minutesOfDay(close);
}

/**
 * `08:00-18:00`: open from, closed at, within one day (`24:00` closes at midnight). People type an
 * en dash as often as a hyphen, so both are read and the hyphen is kept. An overwrite rather than a
 * transform, so the schema also encodes: REST responses carrying opening hours are serialised by it.
 */
export const timeRangeSchema = z
  .string()
  .regex(RANGE, RANGE_MESSAGE)
  .refine(withinOneDay, `${RANGE_MESSAGE}, opening before closing`)
  .overwrite((value) => {
    const [, open = '', close = ''] = RANGE.exec(value) ?? [];
    return open && close ? `${open}-${close}` : value;
  });

export const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof weekdaySchema>;
export const weekdays = weekdaySchema.options;

/** The weekday of a calendar date `YYYY-MM-DD`. */
export function weekdayOf(date: string): Weekday {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  // getUTCDay counts from Sunday.
  return weekdays[(day + 6) % 7]!;
}

/** The calendar date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of a time zone at an instant, as parts (year, month, day, hour, minute, second). */
function wallParts(timeZone: string, instant: number): Record<string, string> {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    wallFormats.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
}

/** Minutes the zone's wall clock is ahead of UTC at `instant` (480 for Asia/Shanghai). */
export function zoneOffsetMinutes(timeZone: string, instant: number): number {
  const parts = wallParts(timeZone, instant);
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(timeZone: string, instant: number): string {
  const parts = wallParts(timeZone, instant);
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * The instant a wall-clock time (`HH:MM`) of a date shows in a time zone: how dispatch, sla and the simulator turn a
 * county's waves and deadlines into instants. China keeps no daylight saving; in a zone that does, a time the spring
 * gap skips comes out an hour early (read in the old offset) and a repeated time is its second occurrence.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day) + minutesOfDay(time) * 60_000;
  const first = wall - zoneOffsetMinutes(timeZone, wall) * 60_000;
  const second = wall - zoneOffsetMinutes(timeZone, first) * 60_000;
  return new Date(Math.min(first, second));
}
