import type { Problem } from '../problem.js';
import type { Route, Solution, Unassigned, Visit } from '../solution.js';
import { vehicleId } from '../vehicles.js';
import type { Instance } from './instance.js';
import type { Plan } from './plan.js';
import type { Route as PlannedRoute } from './route.js';

/** The plan in the public shape: times, loads and costs replayed stop by stop, in problem units. */
export function toSolution(problem: Problem, inst: Instance, plan: Plan, unassigned: readonly Unassigned[], iterations: number): Solution {
  const routes = plan.routes.filter((r) => r.length > 0).map((r) => describeRoute(problem, inst, r));
  const sum = (pick: (r: Route) => number) => routes.reduce((total, r) => total + pick(r), 0);
  const penaltyOf = new Map(problem.stops.map((s) => [s.id, s.optional?.penalty ?? 0]));
  const penalty = unassigned.reduce((total, u) => total + (penaltyOf.get(u.stopId) ?? 0), 0);
  const fixed = sum((r) => r.cost.fixed);
  const distance = sum((r) => r.cost.distance);
  const time = sum((r) => r.cost.time);
  return {
    routes,
    unassigned,
    totals: {
      distanceKm: sum((r) => r.distanceKm),
      durationMinutes: sum((r) => r.durationMinutes),
      vehiclesUsed: routes.length,
      cost: { fixed, distance, time, penalty, total: fixed + distance + time + penalty },
    },
    iterations,
  };
}

function describeRoute(problem: Problem, inst: Instance, route: PlannedRoute): Route {
  const { type } = route;
  const stops = Array.from(route.nodes.subarray(1, route.length + 1), (node) => ({ node, stop: problem.stops[node]! }));
  let loadKg = stops.reduce((total, { stop }) => total + (stop.deliveryKg ?? 0), 0);
  let loadM3 = stops.reduce((total, { stop }) => total + (stop.deliveryM3 ?? 0), 0);
  const startLoadKg = loadKg;
  const startLoadM3 = loadM3;
  let clock = type.start;
  let previous = type.depotNode;
  const visits: Visit[] = stops.map(({ node, stop }) => {
    const arrival = clock + inst.time[previous * inst.size + node]!;
    const start = Math.max(arrival, stop.timeWindow?.open ?? arrival);
    clock = start + (stop.serviceMinutes ?? 0);
    previous = node;
    loadKg += (stop.pickupKg ?? 0) - (stop.deliveryKg ?? 0);
    loadM3 += (stop.pickupM3 ?? 0) - (stop.deliveryM3 ?? 0);
    return { stopId: stop.id, arrival, start, departure: clock, loadKg, loadM3 };
  });
  const back = clock + inst.time[previous * inst.size + type.depotNode]!;
  const durationMinutes = back - type.start;
  const fixed = type.fixed;
  const distance = type.perKm * route.distance;
  const time = type.perMinute * durationMinutes;
  return {
    vehicleId: vehicleId(type.source, route.ordinal),
    vehicleTypeId: type.source.id,
    departure: type.start,
    return: back,
    startLoadKg,
    startLoadM3,
    visits,
    distanceKm: route.distance,
    durationMinutes,
    cost: { fixed, distance, time, total: fixed + distance + time },
  };
}
