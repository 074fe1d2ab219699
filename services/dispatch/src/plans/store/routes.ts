import type { Queryable } from '@county/platform';
import type { RouteConfirmed } from '../domain/confirm.js';

/**
 * The SQL of confirmed routes and their parcels (migration 0002): plans write them at confirm (the field feature
 * moves their status with its own SQL, src/field/store.ts).
 */

/** A route is live until it is back or cancelled: its parcels and its vehicle are in no other plan. */
export const LIVE_ROUTE_STATUSES = ['confirmed', 'departed'] as const;

/** Writes confirmed routes and every parcel on them (status `loaded`: on board once the vehicle leaves). */
export async function insertConfirmedRoutes(db: Queryable, countyId: string, routes: RouteConfirmed[], confirmedAt: Date): Promise<void> {
  if (routes.length === 0) return;
  await db.query(
    `INSERT INTO routes (route_id, county_id, plan_id, date, wave_id, vehicle_id, tier, status, data, confirmed_at)
     SELECT route_id, $1, plan_id, date::date, wave_id, vehicle_id, tier, 'confirmed', data, $2
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])
       AS t(route_id, plan_id, date, wave_id, vehicle_id, tier, data)`,
    [
      countyId,
      confirmedAt,
      routes.map((r) => r.routeId),
      routes.map((r) => r.planId),
      routes.map((r) => r.date),
      routes.map((r) => r.waveId),
      routes.map((r) => r.vehicleId),
      routes.map((r) => r.tier),
      routes.map((r) => JSON.stringify(r)),
    ],
  );
  const parcels = routes.flatMap((route) => route.parcels.map((parcel) => ({ routeId: route.routeId, ...parcel })));
  await db.query(
    `INSERT INTO route_parcels (route_id, parcel_id, county_id, direction, stop_sequence, compartment, status)
     SELECT route_id, parcel_id, $1, direction, stop_sequence, compartment, 'loaded'
     FROM unnest($2::text[], $3::uuid[], $4::text[], $5::int[], $6::text[]) AS t(route_id, parcel_id, direction, stop_sequence, compartment)`,
    [
      countyId,
      parcels.map((p) => p.routeId),
      parcels.map((p) => p.parcelId),
      parcels.map((p) => p.direction),
      parcels.map((p) => p.stopSequence),
      parcels.map((p) => p.compartment),
    ],
  );
}

/** Which of `parcelIds` ride a live route of the county already (and were not taken off it), and which route. */
export async function parcelsOnLiveRoutes(db: Queryable, countyId: string, parcelIds: readonly string[]): Promise<{ parcelId: string; routeId: string }[]> {
  if (parcelIds.length === 0) return [];
  const { rows } = await db.query<{ parcel_id: string; route_id: string }>(
    `SELECT rp.parcel_id, rp.route_id FROM route_parcels rp JOIN routes r USING (route_id)
     WHERE rp.county_id = $1 AND rp.parcel_id = ANY($2::uuid[]) AND rp.status <> 'cancelled' AND r.status = ANY($3::text[])
     ORDER BY rp.parcel_id`,
    [countyId, parcelIds, LIVE_ROUTE_STATUSES],
  );
  return rows.map((row) => ({ parcelId: row.parcel_id, routeId: row.route_id }));
}

/**
 * Which of `vehicleIds` are out on a live route of another plan up to `date`, and which route: the read model's rule
 * for a vehicle free for a wave (`readmodel/store.ts` vehiclesOut), checked again at confirm. A route of a later
 * date does not hold a vehicle today.
 */
export async function vehiclesOnLiveRoutes(
  db: Queryable,
  countyId: string,
  vehicleIds: readonly string[],
  { date, exceptPlanId }: { date: string; exceptPlanId: string },
): Promise<{ vehicleId: string; routeId: string }[]> {
  if (vehicleIds.length === 0) return [];
  const { rows } = await db.query<{ vehicle_id: string; route_id: string }>(
    `SELECT vehicle_id, route_id FROM routes
     WHERE county_id = $1 AND vehicle_id = ANY($2::text[]) AND status = ANY($3::text[]) AND plan_id <> $4 AND date <= $5::date
     ORDER BY vehicle_id, route_id`,
    [countyId, vehicleIds, LIVE_ROUTE_STATUSES, exceptPlanId, date],
  );
  return rows.map((row) => ({ vehicleId: row.vehicle_id, routeId: row.route_id }));
}
