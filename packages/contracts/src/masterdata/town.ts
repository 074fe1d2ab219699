import { z } from 'zod';
import { idSchema } from '../common.js';
import { countyIdSchema } from '../envelope.js';
import { townCodeSchema } from './admin-codes.js';
import { activeSchema, nameSchema } from './fields.js';

/** A township (乡镇): towns, townships and subdistricts alike. */
export const townSchema = z
  .object({
    countyId: countyIdSchema,
    id: idSchema,
    code: townCodeSchema.optional().describe('when given, its villages’ codes must start with it'),
    name: nameSchema,
    active: activeSchema,
  })
  .strict();
export type Town = z.infer<typeof townSchema>;

/** A town as its deactivation event carries it: the full record, no longer in service. */
export const townDeactivatedSchema = townSchema.extend({ active: z.literal(false) });
