import type { z } from 'zod';
import type { routeConfirmedSchema } from '@county/contracts';
import type { Queryable } from '@county/platform';

type RouteConfirmed = z.infer<typeof routeConfirmedSchema>;

/**
 * A confirmed route's planned arrivals: each parcel's stop, and each stop's planned minutes from the route's
 * departure added to its station's travel estimate (sla_station_travel). Returns the route's parcels.
 */
export async function storeRouteConfirmed(db: Queryable, countyId: string, route: RouteConfirmed): Promise<string[]> {
  const stopBySequence = new Map(route.stops.map((s) => [s.sequence, s]));
  const parcels = route.parcels.filter((p) => stopBySequence.has(p.stopSequence));
  if (parcels.length > 0) {
    await db.query(
      `INSERT INTO sla_route_parcels (county_id, parcel_id, route_id, tier, station_id, planned_departure, planned_arrival, planned_return)
       SELECT $1, p, $2, $3, s, $4, a, $5 FROM unnest($6::uuid[], $7::text[], $8::timestamptz[]) AS x(p, s, a)
       ON CONFLICT (parcel_id, route_id) DO UPDATE SET planned_arrival = EXCLUDED.planned_arrival, planned_return = EXCLUDED.planned_return, cancelled = false`,
      [
        countyId,
        route.routeId,
        route.tier,
        route.plannedDeparture,
        route.plannedReturn,
        parcels.map((p) => p.parcelId),
        parcels.map((p) => stopBySequence.get(p.stopSequence)!.stationId),
        parcels.map((p) => stopBySequence.get(p.stopSequence)!.plannedArrival),
      ],
    );
  }
  if (route.tier !== 'village') {
    // only routes from the center measure the center → station travel
    const departure = Date.parse(route.plannedDeparture);
    for (const stop of route.stops) {
      const minutes = Math.round((Date.parse(stop.plannedArrival) - departure) / 60_000);
      await db.query(
        `INSERT INTO sla_station_travel (county_id, station_id, routes, total_minutes) VALUES ($1, $2, 1, $3)
         ON CONFLICT (county_id, station_id) DO UPDATE SET routes = sla_station_travel.routes + 1, total_minutes = sla_station_travel.total_minutes + EXCLUDED.total_minutes`,
        [countyId, stop.stationId, minutes],
      );
    }
  }
  return parcels.map((p) => p.parcelId);
}

export async function cancelRoute(db: Queryable, routeId: string): Promise<string[]> {
  const { rows } = await db.query<{ parcel_id: string }>(`UPDATE sla_route_parcels SET cancelled = true WHERE route_id = $1 RETURNING parcel_id`, [routeId]);
  return rows.map((r) => r.parcel_id);
}
