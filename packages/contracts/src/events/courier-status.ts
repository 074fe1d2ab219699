import { z } from 'zod';
import { idSchema } from '../common.js';
import { maskedRecipientSchema } from './parcel.js';

/**
 * The first event on a courier's own status topic (`courier.status.<courierId>`), written with the
 * courier's registration: the relay creates a topic before its first publish to it, so the topic
 * exists as soon as the courier does — once Kafka is reachable, even if it was down at registration.
 */
export const courierStatusOpenedSchema = z
  .object({
    courierId: idSchema,
    topic: z.string().describe('the logical topic, courier.status.<courierId>; prefixed with the deployment’s TOPIC_PREFIX'),
  })
  .strict();

/** At most this many refused items are listed in one rejection event; `refusedCount` has them all. */
export const MAX_REFUSED_LISTED = 1000;

export const refusedItemSchema = z
  .object({
    index: z.int().min(0).describe('position of the item in the manifest or batch, from 0'),
    waybill: z.string().optional().describe('where the item had one'),
    recipient: maskedRecipientSchema.partial().optional().describe('masked, where the item had one'),
    issues: z
      .array(z.object({ path: z.string().describe('inside the item, e.g. recipient.phone'), reason: z.string() }).strict())
      .describe('the first 5, each reason at most 300 characters'),
  })
  .strict();

/**
 * Items of a courier's manifest (or REST batch) that intake refused, on the courier's own status
 * topic, written in the transaction that registered the rest: a courier learns about its refusals
 * without reading the shared dead-letter topic. People's details are masked.
 */
export const manifestRejectedSchema = z
  .object({
    courierId: idSchema,
    channel: z.enum(['kafka', 'rest']).describe('how the parcels were announced'),
    manifestId: z.string().min(1).max(200).describe('the manifest’s id (Kafka), or rest:<request id> for a REST batch'),
    eventId: z.uuid().optional().describe('the id of the courier.manifest_submitted event (Kafka)'),
    accepted: z.int().min(0).describe('items taken: created, duplicate or conflict'),
    refusedCount: z.int().min(1),
    refused: z.array(refusedItemSchema).min(1).max(MAX_REFUSED_LISTED).describe(`by index; the first ${MAX_REFUSED_LISTED} when there are more`),
  })
  .strict();
export type ManifestRejected = z.infer<typeof manifestRejectedSchema>;

/**
 * A booking a courier published on `courier.bookings` that intake refused (an unknown station, the
 * booking id reused with other content), on the courier's own status topic, written with its dead
 * letter. Not sent for a booking that fails its schema or comes from another source than its courier.
 */
export const bookingRejectedSchema = z
  .object({
    courierId: idSchema,
    bookingId: z.string().min(1).max(64),
    eventId: z.uuid().describe('the id of the courier.booking_submitted event'),
    reason: z.string(),
    issues: z.array(z.object({ path: z.string().describe('e.g. data.stationId'), reason: z.string() }).strict()),
  })
  .strict();
