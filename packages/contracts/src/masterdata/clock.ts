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
