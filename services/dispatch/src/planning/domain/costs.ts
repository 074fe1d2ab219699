import type { CostSplit } from '@county/contracts';
import type { WaveContext } from './context.js';
import { compare } from './routes.js';
import type { CourierCost, PlanCosts, PlannedRoute } from './types.js';

/**
 * A plan's cost, and each courier's part of it (README "The cost rule"):
 *
 * 1. A route's whole cost (fixed + distance + time) is split over its stops in proportion to each stop's
 *    stand-alone cost: what the route's vehicle would spend to serve that station alone, there and back from its
 *    depot (per-km rate × round-trip km + per-minute rate × (round-trip minutes + service minutes)). A far
 *    village carries more of the route than a town on the way; the shares add up to the route's cost exactly.
 * 2. A stop's share is split equally over the parcels handed over or collected there (weight hardly moves a
 *    route's cost; the visit does).
 * 3. A courier's cost is the sum over its parcels; in two-tier mode a village parcel carries a share of its trunk
 *    stop and of its village stop. Couriers' costs add up to the plan's cost.
 */
export function planCosts(ctx: WaveContext, routes: readonly PlannedRoute[]): PlanCosts {
  const cost = addSplits(routes.map((r) => r.cost));
  const perCourier = new Map<string, { parcels: Set<string>; cost: number }>();
  const entry = (courierId: string) => {
    let e = perCourier.get(courierId);
    if (!e) perCourier.set(courierId, (e = { parcels: new Set(), cost: 0 }));
    return e;
  };
  for (const route of routes) {
    const courierOf = new Map(route.parcels.map((p) => [p.parcelId, p.courierId]));
    for (const [parcelId, share] of parcelShares(ctx, route)) {
      const e = entry(courierOf.get(parcelId)!);
      e.parcels.add(parcelId);
      e.cost += share;
    }
  }
  const byCourier: CourierCost[] = [...perCourier.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([courierId, e]) => ({ courierId, parcels: e.parcels.size, cost: e.cost, costPerParcel: e.parcels.size > 0 ? e.cost / e.parcels.size : 0 }));
  const parcels = byCourier.reduce((n, c) => n + c.parcels, 0);
  return { cost, parcels, costPerParcel: parcels > 0 ? cost.total / parcels : 0, byCourier, routes: routes.length };
}

/** Each parcel's share of one route's cost (rule 1 and 2 above). */
export function parcelShares(ctx: WaveContext, route: PlannedRoute): Map<string, number> {
  const perKm = route.distanceKm > 0 ? route.cost.distance / route.distanceKm : 0;
  const perMinute = route.durationMinutes > 0 ? route.cost.time / route.durationMinutes : 0;
  const service = ctx.input.settings.serviceMinutes;
  const depot = route.depotStationId;
  const served = route.stops.filter((s) => s.deliveries.length + s.pickups.length > 0);
  const alone = served.map((s) => {
    const km = ctx.travel.km(depot, s.stationId) + ctx.travel.km(s.stationId, depot);
    const minutes = ctx.travel.minutes(depot, s.stationId) + ctx.travel.minutes(s.stationId, depot) + service;
    return perKm * km + perMinute * minutes;
  });
  const total = alone.reduce((a, b) => a + b, 0);
  const shares = new Map<string, number>();
  served.forEach((stop, i) => {
    const stopCost = route.cost.total * (total > 0 ? alone[i]! / total : 1 / served.length);
    const ids = [...stop.deliveries, ...stop.pickups];
    for (const id of ids) shares.set(id, (shares.get(id) ?? 0) + stopCost / ids.length);
  });
  return shares;
}

export function addSplits(splits: readonly CostSplit[]): CostSplit {
  const out: CostSplit = { total: 0, fixed: 0, distance: 0, time: 0 };
  for (const s of splits) {
    out.total += s.total;
    out.fixed += s.fixed;
    out.distance += s.distance;
    out.time += s.time;
  }
  return out;
}

/** 1 − ours / baseline, in per cent; 0 when there is nothing to compare. */
export function reductionPct(ours: number, baseline: number): number {
  return baseline > 0 && ours > 0 ? (1 - ours / baseline) * 100 : 0;
}
