import { z } from 'zod';

/** 12-digit statistical division code of an administrative village (统计用区划代码). */
export const villageCodeSchema = z.string().regex(/^\d{12}$/, 'a 12-digit administrative village code');

export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits and . _ : -, at most 64 characters');

/** Mainland mobile or landline; stored and logged masked only. */
export const phoneSchema = z.string().regex(/^\+?[0-9][0-9 -]{5,19}$/, 'a phone number of digits, spaces or dashes');

export const directionSchema = z.enum(['downstream', 'upstream']);
export type Direction = z.infer<typeof directionSchema>;

/**
 * An instant, ISO-8601 with `Z` or an offset (`2026-11-29T08:00:00+08:00`, as handhelds and courier
 * systems in China send local time), normalised to UTC (`2026-11-29T00:00:00.000Z`): what is stored
 * and published is always UTC, so instants compare as strings and sort in time order.
 */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .describe('ISO-8601 with Z or an offset such as +08:00; stored and published in UTC');
