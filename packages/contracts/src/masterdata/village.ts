import { z } from 'zod';
import { idSchema } from '../common.js';
import { countyIdSchema } from '../envelope.js';
import { administrativeVillageCodeSchema } from './admin-codes.js';
import { activeSchema, nameSchema } from './fields.js';

/** An administrative village (行政村), identified by its 12-digit statistical division code. */
export const villageSchema = z
  .object({
    countyId: countyIdSchema,
    code: administrativeVillageCodeSchema,
    name: nameSchema,
    townId: idSchema,
    povertyRegistered: z
      .boolean()
      .default(false)
      .describe('a formerly poverty-registered village (建档立卡贫困村); the plans report their coverage separately'),
    active: activeSchema,
  })
  .strict();
export type Village = z.infer<typeof villageSchema>;

/** A village as its deactivation event carries it: the full record, no longer in service. */
export const villageDeactivatedSchema = villageSchema.extend({ active: z.literal(false) });
