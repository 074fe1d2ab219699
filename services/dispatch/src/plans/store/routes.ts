import type { Queryable } from '@county/platform';
import type { RouteConfirmed } from '../domain/confirm.js';

/**
 * The SQL of confirmed routes and their parcels (migration 0002). Plans write them at confirm; the field feature
 * reads and moves them with the functions below.
 */

export type RouteStatus = 'confirmed' | 'departed' | 'returned' | 'cancelled';
export type RouteParcelStatus = 'planned' | 'loaded' | 'handed_over' | 'collected' | 'exception' | 'undelivered' | 'returned' | 'cancelled';

/** A route is live until it is back or cancelled: its parcels are in no other wave's pool. */
export const LIVE_ROUTE_STATUSES: readonly RouteStatus[] = ['confirmed', 'departed'];

export interface RouteRecord {
  routeId: string;
  countyId: string;
  planId: string;
  date: string;
  waveId: string;
  vehicleId: string;
  tier: RouteConfirmed['tier'];
  status: RouteStatus;
  data: RouteConfirmed;
  confirmedAt: string;
  departedAt: string | null;
  returnedAt: string | null;
  cancelledAt: string | null;
}

interface RouteRow {
  route_id: string;
  county_id: string;
  plan_id: string;
  date: string;
  wave_id: string;
  vehicle_id: string;
  tier: RouteConfirmed['tier'];
  status: RouteStatus;
  data: RouteConfirmed;
  confirmed_at: Date;
  departed_at: Date | null;
  returned_at: Date | null;
  cancelled_at: Date | null;
}

const ROUTE = `route_id, county_id, plan_id, date::text AS date, wave_id, vehicle_id, tier, status, data, confirmed_at, departed_at, returned_at, cancelled_at`;

function routeOf(row: RouteRow): RouteRecord {
  return {
    routeId: row.route_id,
    countyId: row.county_id,
    planId: row.plan_id,
    date: row.date,
    waveId: row.wave_id,
    vehicleId: row.vehicle_id,
    tier: row.tier,
    status: row.status,
    data: row.data,
    confirmedAt: row.confirmed_at.toISOString(),
    departedAt: row.departed_at?.toISOString() ?? null,
    returnedAt: row.returned_at?.toISOString() ?? null,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
  };
}

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

/** Which of `parcelIds` ride a live route of the county already, and which route. */
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

/** Which of `vehicleIds` are out on a live route of another plan, and which route. */
export async function vehiclesOnLiveRoutes(db: Queryable, countyId: string, vehicleIds: readonly string[], exceptPlanId: string): Promise<{ vehicleId: string; routeId: string }[]> {
  if (vehicleIds.length === 0) return [];
  const { rows } = await db.query<{ vehicle_id: string; route_id: string }>(
    `SELECT vehicle_id, route_id FROM routes
     WHERE county_id = $1 AND vehicle_id = ANY($2::text[]) AND status = ANY($3::text[]) AND plan_id <> $4
     ORDER BY vehicle_id, route_id`,
    [countyId, vehicleIds, LIVE_ROUTE_STATUSES, exceptPlanId],
  );
  return rows.map((row) => ({ vehicleId: row.vehicle_id, routeId: row.route_id }));
}

/** The routes of a confirmed plan, in the order of their ids. */
export async function routesOfPlan(db: Queryable, countyId: string, planId: string): Promise<RouteRecord[]> {
  const { rows } = await db.query<RouteRow>(`SELECT ${ROUTE} FROM routes WHERE county_id = $1 AND plan_id = $2 ORDER BY route_id`, [countyId, planId]);
  return rows.map(routeOf);
}

/** One route of a county; `forUpdate` locks it, so field events about one route are decided one at a time. */
export async function findRoute(db: Queryable, countyId: string, routeId: string, { forUpdate = false } = {}): Promise<RouteRecord | undefined> {
  const { rows } = await db.query<RouteRow>(`SELECT ${ROUTE} FROM routes WHERE county_id = $1 AND route_id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`, [countyId, routeId]);
  const row = rows[0];
  return row ? routeOf(row) : undefined;
}

export interface RouteParcelRecord {
  parcelId: string;
  direction: 'downstream' | 'upstream';
  stopSequence: number;
  compartment: 'refrigerated' | 'ambient';
  status: RouteParcelStatus;
}

export async function parcelsOfRoute(db: Queryable, routeId: string): Promise<RouteParcelRecord[]> {
  const { rows } = await db.query<{ parcel_id: string; direction: RouteParcelRecord['direction']; stop_sequence: number; compartment: RouteParcelRecord['compartment']; status: RouteParcelStatus }>(
    'SELECT parcel_id, direction, stop_sequence, compartment, status FROM route_parcels WHERE route_id = $1 ORDER BY stop_sequence, parcel_id',
    [routeId],
  );
  return rows.map((row) => ({ parcelId: row.parcel_id, direction: row.direction, stopSequence: row.stop_sequence, compartment: row.compartment, status: row.status }));
}

const STATUS_INSTANT: Record<RouteStatus, string | null> = {
  confirmed: null,
  departed: 'departed_at',
  returned: 'returned_at',
  cancelled: 'cancelled_at',
};

/** Moves a route to `status`, stamping when (departed, returned, cancelled). */
export async function setRouteStatus(db: Queryable, routeId: string, status: RouteStatus, at: Date): Promise<void> {
  const column = STATUS_INSTANT[status];
  if (column) await db.query(`UPDATE routes SET status = $2, ${column} = $3 WHERE route_id = $1`, [routeId, status, at]);
  else await db.query('UPDATE routes SET status = $2 WHERE route_id = $1', [routeId, status]);
}

/** Moves some parcels of a route (all of them when `parcelIds` is absent) to `status`. */
export async function setRouteParcelStatus(db: Queryable, routeId: string, status: RouteParcelStatus, parcelIds?: readonly string[]): Promise<void> {
  if (parcelIds) await db.query('UPDATE route_parcels SET status = $2 WHERE route_id = $1 AND parcel_id = ANY($3::uuid[])', [routeId, status, parcelIds]);
  else await db.query('UPDATE route_parcels SET status = $2 WHERE route_id = $1', [routeId, status]);
}
