import { z } from 'zod';
import { idSchema } from '../common.js';
import { countyIdSchema } from '../envelope.js';
import { activeSchema, nameSchema } from './fields.js';

/** The brands of docs/glossary.md: 邮政/EMS, 中通, 申通, 圆通, 韵达, 极兔, 顺丰, or another. */
export const courierBrandSchema = z.enum(['china_post', 'zto', 'sto', 'yto', 'yunda', 'jt', 'sf', 'other']);
export type CourierBrand = z.infer<typeof courierBrandSchema>;

/** `center` names the center's own fleet where a vehicle's owner is written as one word (vehicles.csv). */
export const courierIdSchema = idSchema.refine((id) => id !== 'center', '“center” is reserved for the center’s own fleet');

/** A courier brand's franchise in one county (docs/architecture.md "Parcel contract": ids are scoped to a county). */
export const courierSchema = z
  .object({
    countyId: countyIdSchema,
    id: courierIdSchema,
    brand: courierBrandSchema,
    name: nameSchema.describe('e.g. 中通快递（龙安县）'),
    active: activeSchema,
  })
  .strict();
export type Courier = z.infer<typeof courierSchema>;

/** A courier as its deactivation event carries it: the full record, no longer in service. */
export const courierDeactivatedSchema = courierSchema.extend({ active: z.literal(false) });
