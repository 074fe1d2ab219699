import { requirePrincipal, type App, type Pool } from '@county/platform';
import { z } from 'zod';

export interface ReadModelRouteDeps {
  pool: Pool;
}

/** The center's staff read what dispatch knows of the county's parcels. */
const READERS = { access: ['admin', 'operator'] } as const;
const TAGS = ['dispatch read model'];

const parcelsQuery = z
  .object({
    after: z.uuid().optional().describe('`next` of the previous page: parcels with a greater id'),
    limit: z.coerce.number().int().min(1).max(1_000).default(200),
  })
  .strict();

const parcelOut = z.object({
  parcelId: z.string(),
  courierId: z.string(),
  direction: z.string(),
  state: z.string(),
  exception: z.string().nullable(),
  stationId: z.string().nullable(),
  coldChainProfileId: z.string().nullable(),
  routes: z.array(z.object({ routeId: z.string(), status: z.string() })).describe('the routes it rode or rides, with what became of it on each'),
});

interface Row {
  parcel_id: string;
  courier_id: string;
  direction: string;
  state: string;
  exception: string | null;
  station_id: string | null;
  cold_chain_profile_id: string | null;
  routes: { routeId: string; status: string }[];
}

/**
 * `GET /dispatch/parcels`: the read model's parcels (`parcels`, folded from `parcel.events`) with the routes each is on,
 * by id, keyset-paginated: what dispatch believes of every parcel, for an account across the services (demo/account.ts).
 */
export function registerReadModelRoutes(app: App, deps: ReadModelRouteDeps): void {
  app.get(
    '/dispatch/parcels',
    {
      config: READERS,
      schema: {
        tags: TAGS,
        summary: 'Every parcel dispatch knows of, its state as parcel.events left it and the routes it is on; by id, paginated',
        querystring: parcelsQuery,
        response: { 200: z.object({ items: z.array(parcelOut), next: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { countyId } = requirePrincipal(request);
      const { after, limit } = request.query;
      const { rows } = await deps.pool.query<Row>(
        `SELECT p.parcel_id, p.courier_id, p.direction, p.state, p.exception, p.station_id, p.cold_chain_profile_id,
                COALESCE((SELECT json_agg(json_build_object('routeId', rp.route_id, 'status', rp.status) ORDER BY rp.route_id)
                            FROM route_parcels rp WHERE rp.county_id = p.county_id AND rp.parcel_id = p.parcel_id), '[]') AS routes
           FROM parcels p
          WHERE p.county_id = $1 AND ($2::uuid IS NULL OR p.parcel_id > $2::uuid)
          ORDER BY p.parcel_id
          LIMIT $3`,
        [countyId, after ?? null, limit],
      );
      const items = rows.map((r) => ({
        parcelId: r.parcel_id,
        courierId: r.courier_id,
        direction: r.direction,
        state: r.state,
        exception: r.exception,
        stationId: r.station_id,
        coldChainProfileId: r.cold_chain_profile_id,
        routes: r.routes,
      }));
      return { items, next: items.length === limit ? items.at(-1)!.parcelId : null };
    },
  );
}
