import { directionSchema, idSchema, parcelStateSchema, type Principal, textSchema } from '@county/contracts';
import { requirePrincipal, type App, type Pool } from '@county/platform';
import { z } from 'zod';
import { fail } from '../errors.js';
import { decodeCursor, encodeCursor } from '../parcels/domain/cursor.js';
import type { ParcelRecord } from '../parcels/domain/parcel.js';
import { countParcels, searchParcels } from '../parcels/store/search.js';
import { findParcelId, loadParcel } from '../parcels/store/parcels.js';
import { maySee, parcelView } from '../parcels/domain/view.js';

export interface ParcelReadDeps {
  pool: Pool;
}

/**
 * Center staff read every parcel of the county, couriers their own, station keepers the parcels to
 * or from their station. Drivers get their loads from dispatch; the bureau reads metrics only.
 */
const READERS = { access: ['admin', 'operator', 'station', 'courier'] } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const searchQuery = z
  .object({
    state: parcelStateSchema.optional(),
    courierId: idSchema.optional(),
    stationId: idSchema.optional().describe('parcels to or from this station'),
    direction: directionSchema.optional(),
    from: z.iso.datetime({ offset: true }).optional().describe('registered at or after, ISO-8601'),
    to: z.iso.datetime({ offset: true }).optional().describe('registered before, ISO-8601'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: textSchema.max(200).optional().describe('nextCursor of the previous page, as it came'),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    }
    if (query.cursor !== undefined && !decodeCursor(query.cursor)) {
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'not a cursor this endpoint issued' });
    }
  });

/** The parcel if this key may see it; otherwise 404, as if it did not exist (never 403). */
function visible(parcel: ParcelRecord | undefined, principal: Principal): ParcelRecord {
  if (!parcel || !maySee(principal, parcel)) throw fail('PARCEL_NOT_FOUND');
  return parcel;
}

/** A courier's key sees its own parcels, a station's the parcels to or from its station: asking for others' is refused. */
function scopedFilters<F extends { courierId?: string | undefined; stationId?: string | undefined }>(principal: Principal, filters: F): F {
  const scoped = { ...filters };
  if (principal.role === 'courier') {
    if (filters.courierId !== undefined && filters.courierId !== principal.courierId) {
      throw fail('FORBIDDEN', `this key is bound to courier ${principal.courierId}, not ${filters.courierId}`);
    }
    scoped.courierId = principal.courierId;
  }
  if (principal.role === 'station') {
    if (filters.stationId !== undefined && filters.stationId !== principal.stationId) {
      throw fail('FORBIDDEN', `this key is bound to station ${principal.stationId}, not ${filters.stationId}`);
    }
    scoped.stationId = principal.stationId;
  }
  return scoped;
}

const countQuery = z
  .object({
    courierId: idSchema.optional(),
    stationId: idSchema.optional().describe('parcels to or from this station'),
    direction: directionSchema.optional(),
    from: z.iso.datetime({ offset: true }).optional().describe('registered at or after, ISO-8601'),
    to: z.iso.datetime({ offset: true }).optional().describe('registered before, ISO-8601'),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    }
  });

/** Look-up by id or waybill with the full timeline, and search with keyset pagination. */
export function registerParcelReadRoutes(app: App, deps: ParcelReadDeps): void {
  app.get(
    '/parcels/counts',
    {
      config: READERS,
      schema: {
        tags: ['parcels'],
        summary: 'How many of the county’s parcels the filters select, by state, direction and courier (the console’s live board)',
        querystring: countQuery,
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { from, to, ...filters } = request.query;
      return countParcels(deps.pool, {
        ...scopedFilters(principal, filters),
        countyId: principal.countyId,
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
      });
    },
  );

  app.get(
    '/parcels/:parcelId',
    {
      config: READERS,
      schema: { tags: ['parcels'], summary: 'A parcel with its full timeline', params: z.object({ parcelId: textSchema.max(100) }) },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { parcelId } = request.params;
      const parcel = UUID.test(parcelId) ? await loadParcel(deps.pool, principal.countyId, parcelId.toLowerCase()) : undefined;
      return parcelView(visible(parcel, principal), principal);
    },
  );

  app.get(
    '/parcels/by-waybill/:courierId/:waybill',
    {
      config: READERS,
      schema: {
        tags: ['parcels'],
        summary: 'A parcel by its courier’s waybill number, with its full timeline',
        params: z.object({ courierId: idSchema, waybill: textSchema.min(1).max(100) }),
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { courierId, waybill } = request.params;
      // Another courier's waybill is not looked up at all for a courier key.
      const id = principal.role === 'courier' && principal.courierId !== courierId ? undefined : await findParcelId(deps.pool, principal.countyId, courierId, waybill);
      const parcel = id === undefined ? undefined : await loadParcel(deps.pool, principal.countyId, id);
      return parcelView(visible(parcel, principal), principal);
    },
  );

  app.get(
    '/parcels',
    {
      config: READERS,
      schema: {
        tags: ['parcels'],
        summary: 'Search the county’s parcels by state, courier, station, direction and registration time; cursor-paginated',
        querystring: searchQuery,
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { cursor, from, to, ...filters } = request.query;
      const scoped = scopedFilters(principal, filters);
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const page = await searchParcels(deps.pool, {
        ...scoped,
        countyId: principal.countyId,
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
        ...(after ? { after } : {}),
      });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );
}
