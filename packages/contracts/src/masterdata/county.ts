import { z } from 'zod';
import { idSchema, textSchema } from '../common.js';
import { countyIdSchema } from '../envelope.js';
import { countyCodeSchema } from './admin-codes.js';
import { clockTimeSchema } from './clock.js';
import { nameSchema } from './fields.js';
import { vehicleTypeSchema } from './vehicle.js';

const slaHours = (fallback: number) =>
  z.number().positive('more than 0 h').max(168, 'at most 168 h (a week)').default(fallback);

/**
 * The delivery-time targets of the county plans, per leg (docs/architecture.md §1): center→town 12 h,
 * town→village 24 h, center→village 24 h end to end, and produce village→center 24 h. Another
 * county may promise 2 days, so each is configurable.
 */
export const slaPolicySchema = z
  .object({
    centerToTownHours: slaHours(12),
    townToVillageHours: slaHours(24),
    centerToVillageHours: slaHours(24),
    villageToCenterHours: slaHours(24).describe('upstream: from pickup at the village to the center'),
  })
  .strict();
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

/**
 * A departure from the center. Parcels received before the cut-off ride it; a cut-off later in
 * the day than the departure is the evening before (a night sort for the morning wave).
 */
export const waveSchema = z
  .object({
    id: idSchema,
    name: nameSchema.optional(),
    departure: clockTimeSchema,
    cutoff: clockTimeSchema,
  })
  .strict()
  .refine((wave) => wave.cutoff !== wave.departure, { path: ['cutoff'], message: 'the cut-off must come before the departure' });
export type Wave = z.infer<typeof waveSchema>;

const wavesSchema = z
  .array(waveSchema)
  .min(1, 'at least one wave')
  .max(12, 'at most 12 waves')
  .superRefine((waves, ctx) => {
    const ids = new Set<string>();
    const departures = new Set<string>();
    waves.forEach((wave, index) => {
      if (ids.has(wave.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate wave id ${wave.id}` });
      if (departures.has(wave.departure)) {
        ctx.addIssue({ code: 'custom', path: [index, 'departure'], message: `another wave departs at ${wave.departure}` });
      }
      ids.add(wave.id);
      departures.add(wave.departure);
    });
  });

/** An IANA time zone the runtime knows, e.g. Asia/Shanghai (all of China keeps Beijing time). */
const timeZoneSchema = textSchema.refine(isTimeZone, 'an IANA time zone, e.g. Asia/Shanghai');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const countySchema = z
  .object({
    id: countyIdSchema,
    name: nameSchema,
    adminCode: countyCodeSchema.optional().describe('when given, every town and village code must start with it'),
    timeZone: timeZoneSchema.default('Asia/Shanghai'),
    sla: slaPolicySchema.prefault({}),
    baselineCostPerParcelYuan: z
      .number()
      .positive('more than 0 yuan')
      .max(100, 'at most 100 yuan')
      .describe('surveyed pre-project logistics cost per parcel, county→village (项目实施前基数)'),
    waves: wavesSchema,
    defaultVehicleType: vehicleTypeSchema.describe('a courier without vehicles of its own gets one of these in the cost baseline'),
  })
  .strict();
export type County = z.infer<typeof countySchema>;
