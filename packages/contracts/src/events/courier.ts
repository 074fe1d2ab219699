import { z } from 'zod';
import { directionSchema, idSchema, instantSchema, phoneSchema, textSchema, villageCodeSchema } from '../common.js';
import { documentedAs } from '../documented.js';

/** Where a downstream parcel goes: a station id, or the village code that resolves to its station. */
export const destinationSchema = z.union([
  z.object({ stationId: idSchema }).strict(),
  z.object({ villageCode: villageCodeSchema }).strict(),
]);

/** The parcel contract of docs/architecture.md §3: what a courier sends for each parcel. */
export const manifestParcelSchema = z
  .object({
    waybill: textSchema.min(4).max(40).describe('waybill number, unique per courier'),
    direction: directionSchema.default('downstream'),
    destination: destinationSchema.optional().describe('downstream: the station or village code'),
    originStationId: idSchema.optional().describe('upstream: the station the produce leaves from'),
    weightKg: z.number().positive().max(1000),
    volumeM3: z.number().positive().max(10).optional().describe('defaulted from weight where absent'),
    declaredValueYuan: z.number().nonnegative().max(1_000_000).optional(),
    coldChainProfileId: idSchema.optional().describe('product profile, for perishable goods'),
    recipient: z.object({ name: textSchema.min(1).max(100), phone: phoneSchema }).strict(),
    sender: z
      .object({ name: textSchema.min(1).max(100), phone: phoneSchema.optional() })
      .strict()
      .optional(),
    serviceType: z.enum(['standard', 'express', 'cold_chain']).default('standard'),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.direction === 'downstream' && !p.destination) {
      ctx.addIssue({ code: 'custom', path: ['destination'], message: 'required for downstream parcels' });
    }
    if (p.direction === 'upstream' && !p.originStationId) {
      ctx.addIssue({ code: 'custom', path: ['originStationId'], message: 'required for upstream parcels' });
    }
  })
  .meta({
    title: 'ManifestParcel',
    examples: manifestParcelExamples(),
    // The superRefine above, for readers of the JSON Schema: the direction decides what is required.
    if: { properties: { direction: { const: 'upstream' } }, required: ['direction'] },
    then: { required: ['originStationId'] },
    else: { required: ['destination'] },
  });

/**
 * A parcel of a batch as the documents show it (the full ManifestParcel schema) while the batch
 * itself accepts any item: each is validated on its own, so one bad parcel is refused by index and
 * never refuses the others (intake's parseParcel).
 */
export const batchParcelSchema = documentedAs(z.unknown(), manifestParcelSchema).describe(
  'a ManifestParcel; validated on its own: a bad one is refused by index, the others are taken',
);

export const manifestSubmittedSchema = z
  .object({
    courierId: idSchema,
    manifestId: textSchema.min(1).max(64).describe('the courier’s own id of this manifest'),
    parcels: z.array(batchParcelSchema).min(1).max(1000).describe('each item validated as a manifest parcel; bad items are reported by index'),
  })
  .strict();

export const bookingSubmittedSchema = z
  .object({
    courierId: idSchema,
    bookingId: textSchema.min(1).max(64),
    stationId: idSchema.describe('the village station where the produce is collected'),
    product: textSchema.min(1).max(100),
    coldChainProfileId: idSchema.optional(),
    weightKg: z.number().positive().max(20_000),
    count: z.int().positive().max(10_000),
    readyAt: instantSchema.optional(),
  })
  .strict();

/** What the documents show as examples of a parcel: a downstream parcel and an upstream one. */
function manifestParcelExamples() {
  return [
    {
      waybill: 'ZT7810002231',
      direction: 'downstream',
      destination: { villageCode: '511623104201' },
      weightKg: 1.2,
      declaredValueYuan: 89,
      recipient: { name: '张三', phone: '13800001111' },
      sender: { name: '义乌小商品店', phone: '0579-85550000' },
      serviceType: 'standard',
    },
    {
      waybill: 'ZT7810002232',
      direction: 'upstream',
      originStationId: 'vs-104201',
      weightKg: 12.5,
      volumeM3: 0.04,
      coldChainProfileId: 'kiwifruit',
      recipient: { name: '李四', phone: '13900002222' },
      serviceType: 'cold_chain',
    },
  ];
}
