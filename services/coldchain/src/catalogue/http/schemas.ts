import { containerIdSchema, idSchema, instantSchema, textSchema } from '@county/contracts';
import { z } from 'zod';
import { profileBodySchema } from '../domain/profiles.js';

/** The catalogue's request and response bodies. */

export const profileParams = z.object({ profileId: idSchema });

export const profileResponse = z.object({
  id: z.string(),
  name: z.string(),
  nameZh: z.string().nullable(),
  minC: z.number(),
  maxC: z.number(),
  toleratedMinutes: z.number(),
  mktLimitC: z.number(),
  activationEnergyKjPerMol: z.number(),
  precooling: z.object({ targetC: z.number(), withinHours: z.number() }).nullable(),
  silenceGapMinutes: z.number(),
  sources: z.array(z.object({ field: z.string(), source: z.string() })),
  seeded: z.boolean().describe('true while it is the seeded default as it came; false once an admin wrote it'),
  updatedAt: z.string(),
  updatedBy: z.string().nullable().describe('the key that last wrote it; null for a seeded default'),
});

export { profileBodySchema };

export const settingsBody = z.object({ defaultProfileId: idSchema.describe('the profile a container expects when it names none') }).strict();
export const settingsResponse = z.object({ defaultProfileId: z.string(), updatedAt: z.string().nullable(), updatedBy: z.string().nullable() });

export const containerParams = z.object({
  containerId: containerIdSchema.describe('URL-encoded: `veh-7%2Frefrigerated`, `st-yl-03%2Fcold-room`'),
});

export const containerResponse = z.object({
  containerId: z.string(),
  kind: z.enum(['vehicle_compartment', 'cold_room']),
  vehicleId: z.string().nullable(),
  stationId: z.string().nullable(),
  capacityM3: z.number().nullable(),
  active: z.boolean(),
  profileId: z.string().describe('what it expects: its own profile, else the county’s default'),
  profileFrom: z.enum(['container', 'county_default']),
  profileSetBy: z.string().nullable(),
  profileSetAt: z.string().nullable(),
});

export const containersQuery = z
  .object({
    kind: z.enum(['vehicle_compartment', 'cold_room']).optional(),
    active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  })
  .strict();

export const containerBody = z
  .object({ profileId: idSchema.nullable().describe('null: back to the county’s default') })
  .strict();

export const bindingResponse = z.object({
  bindingId: z.string(),
  parcelId: z.string(),
  containerId: z.string(),
  from: z.string(),
  to: z.string().nullable().describe('null: still in it'),
  origin: z.enum(['events', 'manual']).describe('events: from dispatch’s and intake’s events; manual: bound by hand'),
  createdBy: z.string().nullable(),
  reason: z.string().nullable(),
  closedBy: z.string().nullable(),
  closeReason: z.string().nullable(),
  createdAt: z.string(),
});

export const bindingBody = z
  .object({
    parcelId: z.uuid(),
    containerId: containerIdSchema,
    from: instantSchema,
    to: instantSchema.nullable().default(null).describe('absent or null: the parcel is still in it'),
    reason: textSchema.trim().min(1).max(500).describe('why it is bound by hand'),
  })
  .strict();

export const bindingParams = z.object({ bindingId: z.uuid() });

export const closeBody = z
  .object({
    reason: textSchema.trim().min(1).max(500),
    to: instantSchema.optional().describe('when it left the container; absent: now'),
  })
  .strict();

export const bindingsQuery = z
  .object({
    parcelId: z.uuid().optional(),
    containerId: containerIdSchema.optional(),
    from: instantSchema.optional().describe('with containerId: bindings that overlap [from, to]; absent: the last 24 h'),
    to: instantSchema.optional(),
  })
  .strict()
  .refine((q) => q.parcelId !== undefined || q.containerId !== undefined, { message: 'name a parcelId or a containerId', path: ['parcelId'] })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.to) >= Date.parse(q.from), { message: 'must not be before from', path: ['to'] });
