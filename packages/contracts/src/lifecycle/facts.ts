import { z } from 'zod';
import { idSchema, textSchema } from '../common.js';

/**
 * Who reported a fact: the access key and its role (docs/architecture.md §3 "Access"). For a fact that reached
 * intake over Kafka, `keyId` names the publishing courier or service; `service` is the role of a
 * fact a service produced on its own (a plan confirmed by schedule). Bureau keys read metrics only.
 */
export const actorRoleSchema = z.enum(['admin', 'operator', 'station', 'driver', 'courier', 'service']);
export type ActorRole = z.infer<typeof actorRoleSchema>;

export const actorSchema = z.object({ keyId: idSchema, role: actorRoleSchema }).strict();
export type Actor = z.infer<typeof actorSchema>;

/** What a handheld scans (扫描): at the center, at a station, or on a route vehicle. */
export const scanKinds = [
  'receive',
  'sort',
  'handover',
  'deliver',
  'return',
  'collect',
  'center_arrival',
  'linehaul_handover',
  'damaged',
  'refused',
  'address_unknown',
  'lost',
] as const;
export const scanKindSchema = z.enum(scanKinds);
export type ScanKind = (typeof scanKinds)[number];

const courierFactKinds = ['manifested', 'booked'] as const;
const routeFactKinds = ['route_confirmed', 'route_departed', 'route_cancelled'] as const;

const utcInstant = z.iso.datetime({ offset: false });

const factFields = {
  id: textSchema
    .min(1)
    .max(200)
    .describe('identity for dedup: the event id, or the handheld scan id scoped by key (see factFromScan)'),
  occurredAt: utcInstant.describe('when it happened, ISO-8601 UTC; the order of the timeline'),
  receivedAt: utcInstant.describe('when the platform first received it, ISO-8601 UTC'),
  actor: actorSchema,
  reason: textSchema.trim().min(1).max(500).optional(),
};

/**
 * Everything that can happen to a parcel, as intake stores it: scans from handhelds, the courier's
 * manifest or booking, dispatch's facts about routes and stops (docs/architecture.md §3 "Who owns what"), and
 * an operator's address correction. What each one does is in the transition table (table.ts).
 */
export const parcelFactSchema = z.discriminatedUnion('kind', [
  z.object({ ...factFields, kind: scanKindSchema, stationId: idSchema.describe('the station, or the center') }).strict(),
  z.object({ ...factFields, kind: z.enum(courierFactKinds) }).strict(),
  z.object({ ...factFields, kind: z.enum(routeFactKinds), routeId: idSchema }).strict(),
  z.object({ ...factFields, kind: z.literal('stop_handed_over'), routeId: idSchema, stationId: idSchema }).strict(),
  z.object({ ...factFields, kind: z.literal('address_corrected') }).strict(),
]);
export type ParcelFact = z.infer<typeof parcelFactSchema>;
export type FactKind = ParcelFact['kind'];

export function stationOf(fact: ParcelFact): string | null {
  return 'stationId' in fact ? fact.stationId : null;
}

export function routeOf(fact: ParcelFact): string | null {
  return 'routeId' in fact ? fact.routeId : null;
}
