import type { Principal } from '@county/contracts';
import { assertVehicle, type Queryable } from '@county/platform';
import { routeSheet, type RouteSheet } from './domain/sheet.js';
import { routeNotFound } from './report-field-event.js';
import { loadRoute } from './store.js';

/** The driver's sheet of a route of the caller's county; a driver's key only for its vehicles' routes. */
export async function readSheet(db: Queryable, principal: Principal, routeId: string): Promise<RouteSheet> {
  const route = await loadRoute(db, principal.countyId, routeId);
  if (!route) throw routeNotFound(routeId, principal.countyId);
  assertVehicle(principal, route.vehicleId);
  return routeSheet(route);
}
