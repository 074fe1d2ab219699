import { z } from 'zod';
import { minutesOfDay, timeRangeSchema, weekdays, type Weekday } from './clock.js';

const dayHours = Object.fromEntries(weekdays.map((day) => [day, timeRangeSchema.optional()])) as Record<
  Weekday,
  z.ZodOptional<typeof timeRangeSchema>
>;

/**
 * When a station takes hand-overs: `{ daily: "08:00-18:00" }`, or per weekday
 * `{ mon: "08:00-18:00", …, sat: "09:00-12:00" }` where a weekday left out is closed.
 */
export const openingHoursSchema = z
  .object({ daily: timeRangeSchema.optional(), ...dayHours })
  .strict()
  .superRefine((hours, ctx) => {
    const days = weekdays.filter((day) => hours[day] !== undefined);
    if (hours.daily !== undefined && days.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['daily'], message: `daily hours exclude per-weekday hours (${days.join(', ')})` });
    }
    if (hours.daily === undefined && days.length === 0) {
      ctx.addIssue({ code: 'custom', path: [], message: 'open at least one day: daily or per weekday (mon … sun)' });
    }
  });
export type OpeningHours = z.infer<typeof openingHoursSchema>;

/** The open interval on a weekday, in minutes of the day, or undefined when closed that day. */
export function openingOn(hours: OpeningHours, day: Weekday): { open: number; close: number } | undefined {
  const range = hours.daily ?? hours[day];
  if (range === undefined) return undefined;
  const [open = '', close = ''] = range.split('-');
  return { open: minutesOfDay(open), close: minutesOfDay(close) };
}
