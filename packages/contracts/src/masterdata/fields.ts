import { z } from 'zod';
import { textSchema } from '../common.js';

/** A name as people read it, usually Chinese (e.g. 龙安镇, 中通快递). */
export const nameSchema = textSchema.trim().min(1, 'required').max(100, 'at most 100 characters');

/**
 * Whether the entity is in service. Deactivated entities stay on record, so history keeps resolving
 * (a merged village still names old parcels' destination).
 */
export const activeSchema = z.boolean().default(true);

/** An amount of money in yuan. */
export const yuanSchema = (max: number) => z.number().nonnegative('not negative').max(max, `at most ${max} yuan`);
