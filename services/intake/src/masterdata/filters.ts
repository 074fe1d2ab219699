import { courierBrandSchema, idSchema, stationKindSchema, villageCodeSchema } from '@county/contracts';
import { z } from 'zod';
import type { CountyPart } from './domain/entities.js';
import type { ListFilter } from './store.js';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

const active = flag.optional().describe('true: in service only; false: deactivated only; absent: both');

/**
 * The query of each list route (`GET /stations?townId=town-102&kind=village&active=true`). Each
 * filter is a property the record must have, so the store matches it with jsonb containment.
 */
export const listQueries = {
  town: z.object({ active }).strict(),
  village: z
    .object({ active, townId: idSchema.optional(), povertyRegistered: flag.optional().describe('formerly poverty-registered villages (建档立卡贫困村)') })
    .strict(),
  station: z
    .object({
      active,
      townId: idSchema.optional(),
      kind: stationKindSchema.optional(),
      villageCode: villageCodeSchema.optional().describe('the stations serving this village (an active village station is where its parcels go)'),
    })
    .strict(),
  courier: z.object({ active, brand: courierBrandSchema.optional() }).strict(),
  vehicle: z
    .object({
      active,
      owner: idSchema.optional().describe('`center` for the center’s fleet, else a courier id'),
      depotStationId: idSchema.optional(),
      refrigerated: flag.optional(),
    })
    .strict(),
} satisfies Record<CountyPart, z.ZodType>;

type Query = { active?: boolean } & Record<string, unknown>;

/** A parsed list query as a store filter. */
export function listFilterOf(query: Query): ListFilter {
  const { active: activeOnly, villageCode, owner, ...fields } = query;
  const contains: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) if (value !== undefined) contains[field] = value;
  if (villageCode !== undefined) contains.villageCodes = [villageCode];
  if (owner !== undefined) contains.owner = owner === 'center' ? { kind: 'center' } : { kind: 'courier', courierId: owner };
  return { ...(activeOnly === undefined ? {} : { active: activeOnly }), contains };
}
