import { z } from 'zod';
import { directionSchema, idSchema, phoneSchema, textSchema, villageCodeSchema } from '../common.js';

/** Where a downstream parcel goes: a station id, or the village code that resolves to its station. */
export const destinationSchema = z.union([
  z.object({ stationId: idSchema }).strict(),
  z.object({ villageCode: villageCodeSchema }).strict(),
]);

/** The parcel contract of DESIGN.md §3: what a courier sends for each parcel. */
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
  });

export const manifestSubmittedSchema = z
  .object({
    courierId: idSchema,
    manifestId: textSchema.min(1).max(64).describe('the courier’s own id of this manifest'),
    parcels: z.array(z.unknown()).min(1).max(1000).describe('each item validated as a manifest parcel; bad items are reported by index'),
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
    readyAt: z.iso.datetime().optional(),
  })
  .strict();
