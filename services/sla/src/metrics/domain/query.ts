import { z } from 'zod';

/** The bureau's breakdowns (issue #12): by courier, town, direction or day of the period. */
export const groupBys = ['courier', 'town', 'direction', 'day'] as const;
export type GroupBy = (typeof groupBys)[number];

/** The longest period one query may cover: a year and a day, so a leap year's whole year fits. */
export const MAX_RANGE_DAYS = 366;

const DAY_MS = 86_400_000;
const isoDate = z.iso.date('an ISO date YYYY-MM-DD');

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
}

/** `date` moved by `days` (negative: earlier). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Every date from `from` to `to`, both included. */
export function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** `GET /v1/metrics`: the period's first and last day (the county's calendar days, both included) and the breakdown. */
export const metricsQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    groupBy: z.enum(groupBys, `one of ${groupBys.join(', ')}`).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `not before from (${q.from})` });
    else if (daysBetween(q.from, q.to) > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_RANGE_DAYS} days after from` });
  });
export type MetricsQuery = z.infer<typeof metricsQuerySchema>;

/** `GET /v1/reports/monthly`: a calendar month. */
export const monthlyQuerySchema = z
  .object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM') })
  .strict();

/** The first and last day of a month `YYYY-MM`. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The months `YYYY-MM` a period touches. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = addDays(monthRange(m).to, 1).slice(0, 7)) out.push(m);
  return out;
}
