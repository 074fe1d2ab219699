/**
 * An independent feasibility checker. It re-derives every distance, time, load and cost of a
 * solution from the problem alone and shares no code with the solver's evaluation (not even the
 * travel computation), so a bug in the solver's fast bookkeeping cannot hide itself here.
 */
import { checkRoute, near, sum } from './check-route.js';
import type { Problem, VehicleType } from './problem.js';
import type { Solution } from './solution.js';

export interface CheckResult {
  readonly valid: boolean;
  readonly violations: readonly string[];
}

const REASONS = new Set(['no_refrigerated_vehicle', 'capacity', 'time_window', 'shift_length', 'deferred']);

export function checkSolution(problem: Problem, solution: Solution): CheckResult {
  const violations: string[] = [];
  const stops = new Map(problem.stops.map((s) => [s.id, s]));
  const servedBy = new Map<string, { vehicleId: string; index: number }>();
  const usedVehicles = new Set<string>();
  const perType = new Map<string, number>();
  for (const route of solution.routes) {
    const type = problem.vehicleTypes.find((t) => t.id === route.vehicleTypeId);
    if (!type) {
      violations.push(`route ${route.vehicleId}: unknown vehicle type ${route.vehicleTypeId}`);
      continue;
    }
    if (!ownsVehicle(type, route.vehicleId)) violations.push(`route ${route.vehicleId}: not a vehicle of type ${type.id}`);
    if (usedVehicles.has(route.vehicleId)) violations.push(`vehicle ${route.vehicleId} drives two routes`);
    usedVehicles.add(route.vehicleId);
    perType.set(type.id, (perType.get(type.id) ?? 0) + 1);
    route.visits.forEach((visit, index) => {
      if (!stops.has(visit.stopId)) violations.push(`route ${route.vehicleId}: unknown stop ${visit.stopId}`);
      if (servedBy.has(visit.stopId)) violations.push(`stop ${visit.stopId} is visited twice`);
      servedBy.set(visit.stopId, { vehicleId: route.vehicleId, index });
    });
    violations.push(...checkRoute(problem, type, route, stops));
  }
  for (const type of problem.vehicleTypes) {
    const limit = type.vehicleIds?.length ?? type.count;
    const used = perType.get(type.id) ?? 0;
    if (limit !== undefined && used > limit) violations.push(`type ${type.id}: ${used} vehicles used, ${limit} exist`);
  }
  violations.push(...checkCoverage(problem, solution, servedBy), ...checkLocks(problem, servedBy), ...checkTotals(problem, solution));
  return { valid: violations.length === 0, violations };
}

function ownsVehicle(type: VehicleType, vehicleId: string): boolean {
  if (type.vehicleIds) return type.vehicleIds.includes(vehicleId);
  const match = new RegExp(`^${type.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(vehicleId);
  const number = match ? Number(match[1]) : 0;
  return number >= 1 && (type.count === undefined || number <= type.count);
}

/** Every stop is served once or reported unassigned once, with a known reason. */
function checkCoverage(problem: Problem, solution: Solution, servedBy: ReadonlyMap<string, unknown>): string[] {
  const out: string[] = [];
  const reported = new Set<string>();
  for (const { stopId, reason } of solution.unassigned) {
    if (servedBy.has(stopId)) out.push(`stop ${stopId} is both served and unassigned`);
    if (reported.has(stopId)) out.push(`stop ${stopId} is reported unassigned twice`);
    if (!REASONS.has(reason)) out.push(`stop ${stopId}: unknown reason ${reason}`);
    reported.add(stopId);
  }
  for (const stop of problem.stops) {
    if (!servedBy.has(stop.id) && !reported.has(stop.id)) out.push(`stop ${stop.id} is neither served nor reported`);
  }
  return out;
}

/** Locked stops ride the named vehicle, in increasing lock position. */
function checkLocks(problem: Problem, servedBy: ReadonlyMap<string, { vehicleId: string; index: number }>): string[] {
  const out: string[] = [];
  const lastByVehicle = new Map<string, { position: number; index: number }>();
  const locked = problem.stops.filter((s) => s.lock).sort((a, b) => a.lock!.position - b.lock!.position);
  for (const stop of locked) {
    const lock = stop.lock!;
    const served = servedBy.get(stop.id);
    if (served?.vehicleId !== lock.vehicleId) {
      out.push(`stop ${stop.id} is locked to ${lock.vehicleId} but ${served ? `rides ${served.vehicleId}` : 'is not served'}`);
      continue;
    }
    const previous = lastByVehicle.get(lock.vehicleId);
    if (previous && previous.index > served.index) out.push(`stop ${stop.id} comes before a stop locked ahead of it on ${lock.vehicleId}`);
    lastByVehicle.set(lock.vehicleId, { position: lock.position, index: served.index });
  }
  return out;
}

function checkTotals(problem: Problem, solution: Solution): string[] {
  const { totals, routes } = solution;
  const optional = new Map(problem.stops.map((s) => [s.id, s.optional?.penalty]));
  const penalty = solution.unassigned.reduce((total, u) => total + (optional.get(u.stopId) ?? 0), 0);
  const expected = {
    distanceKm: sum(routes, (r) => r.distanceKm),
    durationMinutes: sum(routes, (r) => r.durationMinutes),
    fixed: sum(routes, (r) => r.cost.fixed),
    distance: sum(routes, (r) => r.cost.distance),
    time: sum(routes, (r) => r.cost.time),
  };
  const total = expected.fixed + expected.distance + expected.time + penalty;
  const ok =
    near(totals.distanceKm, expected.distanceKm) &&
    near(totals.durationMinutes, expected.durationMinutes) &&
    totals.vehiclesUsed === routes.length &&
    near(totals.cost.fixed, expected.fixed) &&
    near(totals.cost.distance, expected.distance) &&
    near(totals.cost.time, expected.time) &&
    near(totals.cost.penalty, penalty) &&
    near(totals.cost.total, total);
  return ok ? [] : ['totals do not add up to the routes and penalties'];
}
