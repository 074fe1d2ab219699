import type { ProblemIssue } from '../errors.js';
import type { Problem, Stop } from '../problem.js';
import { findVehicle } from '../vehicles.js';
import type { Instance } from './instance.js';
import type { Plan } from './plan.js';
import type { Route } from './route.js';

/**
 * Puts every locked stop on its vehicle, in lock-position order, and flags it so the search never
 * moves it (other stops may still be placed between locked ones). Returns the vehicles whose
 * locked stops alone already break a limit: such a lock cannot be honoured by any plan.
 */
export function placeLocks(problem: Problem, inst: Instance, plan: Plan): { locked: Uint8Array; issues: ProblemIssue[] } {
  const locked = new Uint8Array(inst.n);
  const byVehicle = new Map<string, { stop: number; lock: NonNullable<Stop['lock']> }[]>();
  problem.stops.forEach((stop, index) => {
    if (!stop.lock) return;
    locked[index] = 1;
    const list = byVehicle.get(stop.lock.vehicleId) ?? [];
    list.push({ stop: index, lock: stop.lock });
    byVehicle.set(stop.lock.vehicleId, list);
  });
  const issues: ProblemIssue[] = [];
  for (const [vehicleId, entries] of byVehicle) {
    const vehicle = findVehicle(problem.vehicleTypes, vehicleId)!;
    const routeIndex = plan.slot(inst.types[vehicle.typeIndex]!, vehicle.ordinal);
    entries.sort((a, b) => a.lock.position - b.lock.position);
    for (const { stop } of entries) plan.insert(stop, routeIndex, plan.routes[routeIndex]!.length);
    const broken = brokenLimit(inst, plan.routes[routeIndex]!);
    if (broken) issues.push({ path: `stops[${entries[0]!.stop}].lock`, message: `the stops locked to ${vehicleId} exceed its ${broken}` });
  }
  plan.markClean();
  return { locked, issues };
}

function brokenLimit(inst: Instance, route: Route): string | undefined {
  const dims = inst.dims;
  for (let d = 0; d < dims; d++) {
    const highest = inst.hasPickups ? route.maxLoadUpTo[route.length * dims + d]! : route.delivered[d]!;
    if (highest > route.type.capacity[d]!) return 'capacity';
  }
  if (!inst.timed) return undefined;
  for (let p = 1; p <= route.length + 1; p++) {
    const node = route.nodes[p]!;
    const start = p > route.length ? route.arrival[p]! : Math.max(route.arrival[p]!, inst.open[node]!);
    if (start > route.latestStart[p]!) return 'time windows or shift';
  }
  return undefined;
}
