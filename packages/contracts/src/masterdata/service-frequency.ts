import { z } from 'zod';
import { weekdayOf, weekdaySchema } from './clock.js';

/**
 * How often a route calls at a station (docs/architecture.md "Dispatch"; the plans ask county→town daily and
 * town→village every 1–2 days). Every n days counts from an anchor date, so whether a station is
 * due on a date follows from the data alone, with no memory of the last visit.
 */
export const serviceFrequencySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('daily') }).strict(),
  z
    .object({
      kind: z.literal('every_n_days'),
      everyDays: z.int().min(2, 'at least every 2 days (use daily)').max(7, 'at most every 7 days'),
      anchorDate: z.iso.date('a calendar date YYYY-MM-DD').describe('a date the station is due; due again every n days'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('weekdays'),
      weekdays: z.array(weekdaySchema).min(1, 'at least one weekday').max(7),
    })
    .strict(),
]);
export type ServiceFrequency = z.infer<typeof serviceFrequencySchema>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether a station is due on a calendar date `YYYY-MM-DD` (a date in the county's time zone). */
export function isServiceDue(frequency: ServiceFrequency, date: string): boolean {
  switch (frequency.kind) {
    case 'daily':
      return true;
    case 'every_n_days': {
      const days = Math.round((Date.parse(date) - Date.parse(frequency.anchorDate)) / DAY_MS);
      return ((days % frequency.everyDays) + frequency.everyDays) % frequency.everyDays === 0;
    }
    case 'weekdays':
      return frequency.weekdays.includes(weekdayOf(date));
    default: {
      const unknown: never = frequency;
      throw new Error(`unknown service frequency ${JSON.stringify(unknown)}`);
    }
  }
}
