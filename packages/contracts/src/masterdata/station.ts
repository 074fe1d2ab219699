import { z } from 'zod';
import { idSchema, textSchema, villageCodeSchema } from '../common.js';
import { countyIdSchema } from '../envelope.js';
import { activeSchema, nameSchema } from './fields.js';
import { geoPointSchema } from './geo.js';
import { openingHoursSchema } from './opening-hours.js';
import { serviceFrequencySchema } from './service-frequency.js';

/** The three tiers of the network (docs/architecture.md §1): one county center, town stations, village points. */
export const stationKindSchema = z.enum(['center', 'town', 'village']);
export type StationKind = z.infer<typeof stationKindSchema>;

const stationShape = z
  .object({
    countyId: countyIdSchema,
    id: idSchema,
    name: nameSchema,
    kind: stationKindSchema,
    townId: idSchema.optional().describe('required for town and village stations'),
    location: geoPointSchema,
    address: textSchema.trim().min(1).max(200).optional(),
    openingHours: openingHoursSchema,
    coldStorageM3: z.number().nonnegative('not negative').max(100_000).default(0).describe('0: no cold room'),
    serviceFrequency: serviceFrequencySchema.prefault({ kind: 'daily' }).describe('how often routes call; not used for the center'),
    villageCodes: z
      .array(villageCodeSchema)
      .max(50, 'at most 50 villages')
      .default([])
      .describe('the administrative villages whose parcels are handed over here'),
    active: activeSchema,
  })
  .strict();

type StationShape = z.infer<typeof stationShape>;

function checkStation(station: StationShape, ctx: z.RefinementCtx): void {
  if (station.kind !== 'center' && station.townId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['townId'], message: `required for a ${station.kind} station` });
  }
  if (station.kind === 'center' && station.villageCodes.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['villageCodes'], message: 'the center serves villages through their stations, not directly' });
  }
  if (station.kind === 'village' && station.villageCodes.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['villageCodes'], message: 'a village station serves at least one village' });
  }
  const seen = new Set<string>();
  station.villageCodes.forEach((code, index) => {
    if (seen.has(code)) ctx.addIssue({ code: 'custom', path: ['villageCodes', index], message: `village ${code} listed twice` });
    seen.add(code);
  });
}

export const stationSchema = stationShape.superRefine(checkStation);
export type Station = z.infer<typeof stationSchema>;

/** A station as its deactivation event carries it: the full record, no longer in service. */
export const stationDeactivatedSchema = stationShape.extend({ active: z.literal(false) }).superRefine(checkStation);
