import { z } from 'zod';

/**
 * What a consumer writes to `<topic>.dlq` (the platform's `deadLetter()`): the original message
 * untouched and why it was refused. For a batch message, `failedIndexes` names the items refused
 * (the others were applied) and `itemsPath` where they sit in the event's data, so a replay sends
 * only those. Published in the AsyncAPI document, so couriers and operators can read it.
 */
export const deadLetterSchema = z
  .object({
    id: z.uuid(),
    kind: z.literal('dead_letter'),
    consumer: z.string().describe('the consumer that refused it, e.g. intake.manifests'),
    reason: z.string(),
    issues: z.array(z.object({ path: z.string().describe('e.g. 3.recipient.phone: item 3, its field'), reason: z.string() }).strict()),
    failedIndexes: z.array(z.int().min(0)).optional(),
    itemsPath: z.string().optional().describe('where the items sit in data, e.g. parcels'),
    attempts: z.int().min(1),
    deadLetteredAt: z.iso.datetime(),
    original: z
      .object({
        topic: z.string(),
        partition: z.int(),
        offset: z.string(),
        key: z.string().nullable(),
        value: z.string().nullable().describe('the message as received, UTF-8; null when valueBase64 holds it'),
        valueBase64: z
          .string()
          .optional()
          .describe('the message bytes, base64, when they are not storable text (not UTF-8, or NUL and other control characters)'),
        headers: z.record(z.string(), z.string()),
        timestamp: z.string(),
      })
      .strict(),
  })
  .strict()
  .meta({ title: 'DeadLetter' });
export type DeadLetter = z.infer<typeof deadLetterSchema>;
