import { z } from 'zod';
import { directionSchema, idSchema } from '../common.js';
import {
  actorSchema,
  downstreamStates,
  exceptionKindSchema,
  factKindSchema,
  parcelEventTypes,
  parcelStateSchema,
  upstreamStates,
} from '../lifecycle/index.js';

/** A recipient as events carry it: masked, never the full name or number (docs/architecture.md "Parcel contract"). */
export const maskedRecipientSchema = z
  .object({ name: z.string().describe('surname and asterisks, e.g. 张**'), phone: z.string().describe('e.g. 138****1111') })
  .strict();

/**
 * The data of every `parcel.*` event: the fact that was applied and the parcel's state after it.
 * An event is published for every accepted fact (not for duplicates), so a late scan of an earlier
 * step (`moved: false`) still reaches the SLA timeline with the time it happened.
 */
export const parcelEventDataSchema = z
  .object({
    parcelId: z.uuid(),
    courierId: idSchema,
    waybill: z.string(),
    direction: directionSchema,
    state: parcelStateSchema,
    progress: z.enum([...downstreamStates, ...upstreamStates]).nullable(),
    exception: z.object({ kind: exceptionKindSchema, since: z.iso.datetime() }).strict().nullable(),
    destinationStationId: idSchema.nullable(),
    originStationId: idSchema.nullable(),
    moved: z.boolean().describe('whether the parcel’s state, progress or exception changed'),
    confirming: z.boolean().describe('a second report of a step already reported'),
    fact: z
      .object({
        id: z.string(),
        kind: factKindSchema,
        occurredAt: z.iso.datetime(),
        receivedAt: z.iso.datetime(),
        actor: actorSchema,
        stationId: idSchema.optional(),
        routeId: idSchema.optional(),
        reason: z.string().optional(),
      })
      .strict(),
    /** Facts this one overruled (a late delivery scan overruling a loss, say). */
    supersedes: z.array(z.string()),
    /** On `parcel.manifested` and `parcel.booked`: what a consumer needs to plan and measure. */
    parcel: z
      .object({
        weightKg: z.number(),
        volumeM3: z.number(),
        declaredValueYuan: z.number().optional(),
        coldChainProfileId: idSchema.optional(),
        serviceType: z.string(),
        recipient: maskedRecipientSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ParcelEventData = z.infer<typeof parcelEventDataSchema>;
