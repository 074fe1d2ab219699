import { z } from 'zod';
import { idSchema } from '../common.js';
import { countyIdSchema } from '../envelope.js';
import { courierIdSchema } from './courier.js';
import { activeSchema, nameSchema, yuanSchema } from './fields.js';

/**
 * What a vehicle carries and costs, as the solver prices a plan (docs/architecture.md "Dispatch": a fixed cost
 * per vehicle-day, per km and per driver hour, and a maximum shift).
 */
const vehicleSpec = {
  capacityKg: z.number().positive('more than 0 kg').max(50_000, 'at most 50,000 kg'),
  capacityM3: z.number().positive('more than 0 m³').max(150, 'at most 150 m³'),
  costPerKmYuan: yuanSchema(100),
  costPerHourYuan: yuanSchema(1_000),
  fixedCostPerDayYuan: yuanSchema(10_000),
  maxShiftHours: z.number().positive('more than 0 h').max(24, 'at most 24 h'),
};

/** A kind of vehicle, such as the county's default for couriers without vehicles of their own. */
export const vehicleTypeSchema = z
  .object({ name: nameSchema.optional(), ...vehicleSpec })
  .strict();
export type VehicleType = z.infer<typeof vehicleTypeSchema>;

/** Who runs the vehicle: the center's own fleet, or a courier (its vehicles also price the cost baseline). */
export const vehicleOwnerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('center') }).strict(),
  z.object({ kind: z.literal('courier'), courierId: courierIdSchema }).strict(),
]);
export type VehicleOwner = z.infer<typeof vehicleOwnerSchema>;

/** Chinese plates: province character, letter, then 5 (or 6, new-energy) letters or digits; 挂 for trailers. */
const plateSchema = z
  .string()
  .trim()
  .regex(
    /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·• ]?[A-Z0-9]{5,6}挂?$/,
    'a Chinese plate such as 川X·12345',
  );

const vehicleShape = z
  .object({
    countyId: countyIdSchema,
    id: idSchema,
    name: nameSchema.optional(),
    plate: plateSchema.optional(),
    ...vehicleSpec,
    refrigerated: z.boolean().default(false),
    refrigeratedCapacityKg: z.number().positive('more than 0 kg').optional().describe('required when refrigerated'),
    refrigeratedCapacityM3: z.number().positive('more than 0 m³').optional().describe('required when refrigerated'),
    owner: vehicleOwnerSchema,
    depotStationId: idSchema.describe('the center or a town station where the vehicle starts and ends its day'),
    active: activeSchema,
  })
  .strict();

type VehicleShape = z.infer<typeof vehicleShape>;

/** The refrigerated compartment: present exactly when the vehicle is refrigerated, and within its capacity. */
function checkVehicle(vehicle: VehicleShape, ctx: z.RefinementCtx): void {
  const compartments = [
    ['refrigeratedCapacityKg', vehicle.refrigeratedCapacityKg, vehicle.capacityKg, 'kg'],
    ['refrigeratedCapacityM3', vehicle.refrigeratedCapacityM3, vehicle.capacityM3, 'm³'],
  ] as const;
  for (const [field, value, capacity, unit] of compartments) {
    if (vehicle.refrigerated && value === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: 'required for a refrigerated vehicle' });
    } else if (!vehicle.refrigerated && value !== undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: 'only for a refrigerated vehicle' });
    } else if (value !== undefined && value > capacity) {
      ctx.addIssue({ code: 'custom', path: [field], message: `at most the vehicle’s capacity, ${capacity} ${unit}` });
    }
  }
}

export const vehicleSchema = vehicleShape.superRefine(checkVehicle);
export type Vehicle = z.infer<typeof vehicleSchema>;

/** A vehicle as its deactivation event carries it: the full record, out of service. */
export const vehicleDeactivatedSchema = vehicleShape.extend({ active: z.literal(false) }).superRefine(checkVehicle);
