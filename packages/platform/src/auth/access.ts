import { roles, type ApiKeyRecord, type Principal, type Role } from '@county/contracts';
import { platformError } from '../errors.js';

/**
 * What a route declares in `config.access`: `'public'`, or the roles that may call it. A route
 * without a declaration cannot be registered, so nothing is open by omission.
 */
export type RouteAccess = 'public' | readonly Role[];

/** Requests per minute per key when its record sets no limit of its own. */
export const defaultRateLimitPerMinute: Readonly<Record<Role, number>> = {
  admin: 1200,
  operator: 1200,
  courier: 600,
  station: 300,
  driver: 300,
  bureau: 120,
};

export function rateLimitOf(record: Pick<ApiKeyRecord, 'role' | 'rateLimitPerMinute'>): number {
  return record.rateLimitPerMinute ?? defaultRateLimitPerMinute[record.role];
}

export function principalOf(record: ApiKeyRecord): Principal {
  return {
    keyId: record.keyId,
    countyId: record.countyId,
    role: record.role,
    ...(record.scope.stationId ? { stationId: record.scope.stationId } : {}),
    ...(record.scope.courierId ? { courierId: record.scope.courierId } : {}),
    ...(record.scope.vehicleIds ? { vehicleIds: [...record.scope.vehicleIds] } : {}),
  };
}

/** Checks a route's declaration when it is registered; throws naming the route otherwise. */
export function checkRouteAccess(access: unknown, route: string): RouteAccess {
  if (access === 'public') return access;
  if (Array.isArray(access) && access.length > 0 && access.every((r) => (roles as readonly unknown[]).includes(r))) {
    return access as Role[];
  }
  if (access === undefined) {
    throw new Error(`route ${route} declares no access: add config.access ('public' or the roles that may call it)`);
  }
  throw new Error(`route ${route} has an invalid config.access ${JSON.stringify(access)}: 'public' or a non-empty list of ${roles.join(', ')}`);
}

export function mayCall(access: RouteAccess, role: Role): boolean {
  return access === 'public' || access.includes(role);
}

/**
 * Scope checks for handlers. The route's access list decides which roles may call it; these decide
 * whether a bound key may touch this county, station, courier or vehicle. County-wide roles pass
 * the station, courier and vehicle checks; a bound key passes only for its own.
 */
export function assertCounty(principal: Principal, countyId: string): void {
  if (principal.countyId !== countyId) throw platformError('FORBIDDEN', `this key belongs to county ${principal.countyId}, not ${countyId}`);
}

export function assertStation(principal: Principal, stationId: string): void {
  if (principal.role === 'station' && principal.stationId !== stationId) {
    throw platformError('FORBIDDEN', `this key is bound to station ${principal.stationId}, not ${stationId}`);
  }
}

export function assertCourier(principal: Principal, courierId: string): void {
  if (principal.role === 'courier' && principal.courierId !== courierId) {
    throw platformError('FORBIDDEN', `this key is bound to courier ${principal.courierId}, not ${courierId}`);
  }
}

export function assertVehicle(principal: Principal, vehicleId: string): void {
  if (principal.role === 'driver' && !principal.vehicleIds?.includes(vehicleId)) {
    throw platformError('FORBIDDEN', `this key is not bound to vehicle ${vehicleId}`);
  }
}
