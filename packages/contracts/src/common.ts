import { z } from 'zod';

/**
 * NUL, C0 controls other than tab, LF and CR, DEL, and a surrogate not in a pair (the `u` flag
 * matches a well-formed pair as one code point, so only lone halves hit). Postgres refuses NUL in
 * text and both in jsonb, and none of them is anything a person typed (issue #8).
 */
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uD800-\uDFFF]/u;

export const TEXT_REASON = 'must not contain NUL, control characters or unpaired surrogates';

export function isCleanText(value: string): boolean {
  return !FORBIDDEN_IN_TEXT.test(value);
}

const FORBIDDEN_IN_TEXT_ALL = new RegExp(FORBIDDEN_IN_TEXT.source, 'gu');

/**
 * `value` with every character `textSchema` refuses replaced by U+FFFD: for what the platform must
 * store or publish about bad input (a dead letter's reason, a refusal naming a bad waybill) without
 * Postgres refusing it in turn.
 */
export function cleanText(value: string): string {
  return isCleanText(value) ? value : value.replace(FORBIDDEN_IN_TEXT_ALL, '\uFFFD');
}

/**
 * Every free-text field of every contract starts here, so bad text is refused by validation, per
 * field and per item, before it reaches Postgres or a topic. Still a ZodString: chain `.min()`,
 * `.max()`, `.trim()` as usual.
 */
export const textSchema = z.string().refine(isCleanText, TEXT_REASON);

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
