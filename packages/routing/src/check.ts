/**
 * An independent feasibility checker. It re-derives every distance, time, load and cost of a
 * solution from the problem alone and shares no code with the solver's evaluation (not even the
 * travel computation), so a bug in the solver's fast bookkeeping cannot hide itself here.
 */
import type { Location, Problem, Stop, VehicleType } from './problem.js';
import type { Route, Solution } from './solution.js';

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

/** Replays one route: travel, waiting, windows, shift, loads at every point, and its costs. */
function checkRoute(problem: Problem, type: VehicleType, route: Route, stops: ReadonlyMap<string, Stop>): string[] {
  const out: string[] = [];
  const where = `route ${route.vehicleId}`;
  const depot = type.depot ?? problem.depot;
  const earliest = Math.max(type.shiftStart ?? depot.open ?? 0, depot.open ?? -Infinity);
  if (route.departure < earliest - EPS) out.push(`${where}: leaves at ${route.departure}, before ${earliest}`);
  const visited = route.visits.map((v) => stops.get(v.stopId)).filter((s): s is Stop => s !== undefined);
  const load = { kg: sum(visited, (s) => s.deliveryKg), m3: sum(visited, (s) => s.deliveryM3), cold: sum(visited, (s) => (s.refrigerated ? s.deliveryKg : 0)) };
  if (!near(load.kg, route.startLoadKg) || !near(load.m3, route.startLoadM3)) out.push(`${where}: start load reported wrong`);
  out.push(...loadViolations(type, load, `${where} at the depot`));
  let km = 0;
  let clock = route.departure;
  let here = depot.location;
  for (const visit of route.visits) {
    const stop = stops.get(visit.stopId);
    if (!stop) continue;
    const at = `${where} at ${stop.id}`;
    if (stop.refrigerated && !type.refrigerated) out.push(`${at}: refrigerated goods on a vehicle that is not refrigerated`);
    const leg = travel(problem, here, stop.location);
    km += leg.km;
    if (!near(visit.arrival, clock + leg.minutes)) out.push(`${at}: arrival ${visit.arrival}, expected ${clock + leg.minutes}`);
    if (visit.start < visit.arrival - EPS) out.push(`${at}: service starts before arrival`);
    if (stop.timeWindow && visit.start < stop.timeWindow.open - EPS) out.push(`${at}: service starts before the window opens`);
    if (stop.timeWindow && visit.start > stop.timeWindow.close + EPS) out.push(`${at}: service starts ${visit.start}, after the window closes at ${stop.timeWindow.close}`);
    if (!near(visit.departure, visit.start + (stop.serviceMinutes ?? 0))) out.push(`${at}: departure does not follow the service time`);
    load.kg += (stop.pickupKg ?? 0) - (stop.deliveryKg ?? 0);
    load.m3 += (stop.pickupM3 ?? 0) - (stop.deliveryM3 ?? 0);
    if (stop.refrigerated) load.cold += (stop.pickupKg ?? 0) - (stop.deliveryKg ?? 0);
    if (!near(visit.loadKg, load.kg) || !near(visit.loadM3, load.m3)) out.push(`${at}: load reported wrong`);
    out.push(...loadViolations(type, load, at));
    clock = visit.departure;
    here = stop.location;
  }
  const back = travel(problem, here, depot.location);
  km += back.km;
  const duration = route.return - route.departure;
  if (!near(route.return, clock + back.minutes)) out.push(`${where}: return ${route.return}, expected ${clock + back.minutes}`);
  if (depot.close !== undefined && route.return > depot.close + EPS) out.push(`${where}: back at ${route.return}, after the depot closes`);
  if (type.maxShiftMinutes !== undefined && duration > type.maxShiftMinutes + EPS) out.push(`${where}: shift of ${duration} min exceeds ${type.maxShiftMinutes}`);
  if (!near(route.distanceKm, km)) out.push(`${where}: distance ${route.distanceKm}, expected ${km}`);
  if (!near(route.durationMinutes, duration)) out.push(`${where}: duration reported wrong`);
  const cost = { fixed: type.fixedCostPerDay, distance: type.costPerKm * km, time: (type.costPerHour * duration) / 60 };
  const total = cost.fixed + cost.distance + cost.time;
  if (!near(route.cost.fixed, cost.fixed) || !near(route.cost.distance, cost.distance) || !near(route.cost.time, cost.time) || !near(route.cost.total, total)) {
    out.push(`${where}: cost reported wrong`);
  }
  if (route.visits.length === 0) out.push(`${where}: a route without stops`);
  return out;
}

function loadViolations(type: VehicleType, load: { kg: number; m3: number; cold: number }, at: string): string[] {
  const out: string[] = [];
  if (type.capacityKg !== undefined && load.kg > type.capacityKg + EPS) out.push(`${at}: ${load.kg} kg on board, capacity ${type.capacityKg}`);
  if (type.capacityM3 !== undefined && load.m3 > type.capacityM3 + EPS) out.push(`${at}: ${load.m3} m³ on board, capacity ${type.capacityM3}`);
  if (type.refrigeratedCapacityKg !== undefined && load.cold > type.refrigeratedCapacityKg + EPS) {
    out.push(`${at}: ${load.cold} kg of refrigerated goods, refrigerated capacity ${type.refrigeratedCapacityKg}`);
  }
  return out;
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

/** Road km and driving minutes, computed here from scratch rather than taken from the solver. */
function travel(problem: Problem, from: Location, to: Location): { km: number; minutes: number } {
  const t = problem.travel;
  if ('matrix' in t) {
    const i = (from as { index: number }).index;
    const j = (to as { index: number }).index;
    return { km: t.matrix.distanceKm[i]?.[j] ?? NaN, minutes: t.matrix.durationMinutes[i]?.[j] ?? NaN };
  }
  const a = from as { lat: number; lon: number };
  const b = to as { lat: number; lon: number };
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  const km = 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h))) * t.roadFactor;
  return { km, minutes: (km / t.averageSpeedKmh) * 60 };
}

const EPS = 1e-6;

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= EPS * Math.max(1, Math.abs(a), Math.abs(b));
}

function sum<T>(items: readonly T[], value: (item: T) => number | undefined): number {
  return items.reduce((total, item) => total + (value(item) ?? 0), 0);
}
