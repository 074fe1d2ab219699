import { z } from 'zod';
import { instantSchema, textSchema } from './common.js';

/** Every county-scoped record and event carries this id (e.g. `cn-511623`, a county's admin code). */
export const countyIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'lowercase letters, digits and dashes, 2–40 characters');

/**
 * The one envelope of every event (docs/architecture.md §3 "Events"). `data` is validated separately by the
 * schema registered for `type` and `version`, so a consumer can tell a malformed envelope from
 * malformed data in its dead-letter reason.
 */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/, 'dotted lowercase, e.g. parcel.received'),
  version: z.int().min(1),
  occurredAt: instantSchema.describe('when it happened, ISO-8601 with Z or an offset; normalised to UTC'),
  countyId: countyIdSchema,
  subject: textSchema.min(1).max(200).describe('the parcel, route or container id'),
  source: textSchema.min(1).max(100).describe('service or courier id'),
  correlationId: textSchema.min(1).max(200).optional(),
  data: z.unknown(),
});

export type Envelope<TData = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: TData };
