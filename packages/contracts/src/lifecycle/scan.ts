import { z } from 'zod';
import { idSchema, instantSchema, textSchema } from '../common.js';
import { scanKindSchema, type Actor, type ParcelFact } from './facts.js';

/** Which parcel was scanned: the platform's parcel id, or a courier's waybill (unique per courier). */
export const parcelRefSchema = z.union([
  z.object({ parcelId: idSchema }).strict(),
  z.object({ courierId: idSchema, waybill: textSchema.min(4).max(40) }).strict(),
]);
export type ParcelRef = z.infer<typeof parcelRefSchema>;

/** A scan as a handheld sends it, alone or in an uploaded batch; the REST layer validates with it. */
export const scanSchema = z
  .object({
    scanId: textSchema
      .min(1)
      .max(64)
      .optional()
      .describe('the handheld’s own id of this scan; a re-uploaded batch repeats it and is applied once'),
    kind: scanKindSchema,
    parcel: parcelRefSchema,
    occurredAt: instantSchema.describe('when it was scanned, ISO-8601; an offset such as +08:00 is fine, kept in UTC'),
    stationId: idSchema.describe('where: the station, or the center'),
    reason: textSchema.trim().min(1).max(500).optional().describe('why, for an exception scan'),
  })
  .strict();
export type Scan = z.infer<typeof scanSchema>;

/**
 * The fact a scan reports, from the key that sent it. Its id is scoped by key, as two handhelds may
 * number their scans alike; a scan without an id is recognised on re-upload by what it says.
 */
export function factFromScan(scan: Scan, actor: Actor, receivedAt: string): ParcelFact {
  const { occurredAt } = scan;
  const local = scan.scanId === undefined ? `at:${scan.kind}@${occurredAt}` : `id:${scan.scanId}`;
  return {
    id: `scan:${actor.keyId}:${local}`,
    kind: scan.kind,
    occurredAt,
    receivedAt,
    actor,
    stationId: scan.stationId,
    ...(scan.reason === undefined ? {} : { reason: scan.reason }),
  };
}
