import { z } from 'zod';
import { idSchema } from '../common.js';
import { parcelEventTypeSchema } from './events.js';
import { actorSchema } from './facts.js';
import { exceptionKindSchema, parcelStateSchema } from './states.js';
import { factKindSchema } from './table.js';

/**
 * One line of a parcel's history (docs/architecture.md §3: who, where, when it happened, when it was received).
 * An inferred entry stands for a state the parcel must have passed through but that no fact reports;
 * it carries the fact that implied it. A confirming entry reports a move the parcel had already made
 * (the station keeper's scan of a hand-over the driver reported too).
 */
export const timelineEntrySchema = z
  .object({
    event: parcelEventTypeSchema,
    fact: factKindSchema.describe('the fact recorded, or for an inferred entry the fact that implied it'),
    factId: z.string(),
    state: parcelStateSchema.nullable().describe('the state reported; null for exceptions and corrections'),
    exception: exceptionKindSchema.nullable(),
    occurredAt: z.iso.datetime(),
    receivedAt: z.iso.datetime(),
    actor: actorSchema,
    stationId: idSchema.nullable(),
    routeId: idSchema.nullable(),
    reason: z.string().nullable(),
    inferred: z.boolean(),
    confirming: z.boolean(),
  })
  .strict();
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;
