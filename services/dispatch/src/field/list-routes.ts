import type { Principal } from '@county/contracts';
import { assertVehicle, type Queryable } from '@county/platform';
import type { RouteStatus } from './domain/route.js';
import { listRoutes, type RouteSummary } from './store.js';

export const MAX_ROUTES_LISTED = 500;

export interface RouteQuery {
  date?: string;
  vehicleId?: string;
}

/** Without a date: the routes still to drive or on the road (what a handheld shows at the start of a shift). */
const LIVE: readonly RouteStatus[] = ['confirmed', 'departed'];

/**
 * Routes of the caller's county: of a date (every status), or the live ones; of one vehicle or, for a driver's
 * key, of all its vehicles. A driver naming a vehicle not bound to its key is refused (403).
 */
export async function listFieldRoutes(db: Queryable, principal: Principal, query: RouteQuery): Promise<RouteSummary[]> {
  if (query.vehicleId !== undefined) assertVehicle(principal, query.vehicleId);
  const vehicleIds = query.vehicleId !== undefined ? [query.vehicleId] : principal.role === 'driver' ? (principal.vehicleIds ?? []) : undefined;
  return listRoutes(
    db,
    principal.countyId,
    { ...(query.date === undefined ? { statuses: LIVE } : { date: query.date }), ...(vehicleIds ? { vehicleIds } : {}) },
    MAX_ROUTES_LISTED,
  );
}
