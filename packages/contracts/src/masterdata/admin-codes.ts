import { z } from 'zod';
import { villageCodeSchema } from '../common.js';

/**
 * Province-level prefixes of the statistical division codes (统计用区划代码) of mainland China; a
 * code starting otherwise is mistyped.
 */
const provincePrefixes = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42',
  '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
]);

const hasProvince = (code: string) => provincePrefixes.has(code.slice(0, 2));
const PROVINCE_MESSAGE = 'starts with an unknown province code';

/** The 6-digit code of a county-level division, e.g. 511623. */
export const countyCodeSchema = z
  .string()
  .regex(/^\d{6}$/, 'the 6-digit county-level division code, e.g. 511623')
  .refine(hasProvince, PROVINCE_MESSAGE);

/** The 9-digit code of a town (township, town or subdistrict): the county's 6 digits and 3 more. */
export const townCodeSchema = z
  .string()
  .regex(/^\d{9}$/, 'the 9-digit town-level division code, e.g. 511623104')
  .refine(hasProvince, PROVINCE_MESSAGE)
  .refine((code) => !code.endsWith('000'), 'a county’s code padded with 000, not a town’s');

/**
 * The 12-digit code of an administrative village: the county's 6 digits, its town's 3 and the
 * village's 3. Ending in 000 it would name a town, not a village.
 */
export const administrativeVillageCodeSchema = villageCodeSchema
  .refine(hasProvince, PROVINCE_MESSAGE)
  .refine((code) => code.slice(6, 9) !== '000', 'the town digits (7–9) cannot be 000')
  .refine((code) => !code.endsWith('000'), 'a town’s code padded with 000, not a village’s');

/** The county-level part of a town or village code. */
export const countyCodeOf = (code: string) => code.slice(0, 6);
/** The town-level part of a village code. */
export const townCodeOf = (villageCode: string) => villageCode.slice(0, 9);
