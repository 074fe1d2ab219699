/** The independent checker's replay of one route (see check.ts for why it stands alone). */
import type { Depot, Location, Problem, Stop, VehicleType } from './problem.js';
import type { Route, Visit } from './solution.js';

const EPS = 1e-6;

interface Load {
  kg: number;
  m3: number;
  cold: number;
}

/** Travel, waiting, windows, shift, the load at every point, and the route's reported figures. */
export function checkRoute(problem: Problem, type: VehicleType, route: Route, stops: ReadonlyMap<string, Stop>): string[] {
  const out: string[] = [];
  const where = `route ${route.vehicleId}`;
  const depot = type.depot ?? problem.depot;
  const earliest = Math.max(type.shiftStart ?? depot.open ?? 0, depot.open ?? -Infinity);
  if (route.departure < earliest - EPS) out.push(`${where}: leaves at ${route.departure}, before ${earliest}`);
  if (route.visits.length === 0) out.push(`${where}: a route without stops`);
  const visited = route.visits.map((v) => stops.get(v.stopId)).filter((s): s is Stop => s !== undefined);
  const load: Load = { kg: sum(visited, (s) => s.deliveryKg), m3: sum(visited, (s) => s.deliveryM3), cold: sum(visited, (s) => (s.refrigerated ? s.deliveryKg : 0)) };
  if (!near(load.kg, route.startLoadKg) || !near(load.m3, route.startLoadM3)) out.push(`${where}: start load reported wrong`);
  out.push(...loadViolations(type, load, `${where} at the depot`));
  let km = 0;
  let clock = route.departure;
  let here = depot.location;
  for (const visit of route.visits) {
    const stop = stops.get(visit.stopId);
    if (!stop) continue;
    const leg = travel(problem, here, stop.location);
    km += leg.km;
    out.push(...checkVisit(type, stop, visit, clock + leg.minutes, load, `${where} at ${stop.id}`));
    clock = visit.departure;
    here = stop.location;
  }
  const back = travel(problem, here, depot.location);
  out.push(...checkReturn(type, depot, route, { km: km + back.km, back: clock + back.minutes }, where));
  return out;
}

/** Checks one visit arriving at `arrival`; `load` is carried on to after it. */
function checkVisit(type: VehicleType, stop: Stop, visit: Visit, arrival: number, load: Load, at: string): string[] {
  const out: string[] = [];
  if (stop.refrigerated && !type.refrigerated) out.push(`${at}: refrigerated goods on a vehicle that is not refrigerated`);
  if (!near(visit.arrival, arrival)) out.push(`${at}: arrival ${visit.arrival}, expected ${arrival}`);
  if (visit.start < visit.arrival - EPS) out.push(`${at}: service starts before arrival`);
  const window = stop.timeWindow;
  if (window && visit.start < window.open - EPS) out.push(`${at}: service starts before the window opens`);
  if (window && visit.start > window.close + EPS) out.push(`${at}: service starts ${visit.start}, after the window closes at ${window.close}`);
  if (!near(visit.departure, visit.start + (stop.serviceMinutes ?? 0))) out.push(`${at}: departure does not follow the service time`);
  const change = (stop.pickupKg ?? 0) - (stop.deliveryKg ?? 0);
  load.kg += change;
  load.m3 += (stop.pickupM3 ?? 0) - (stop.deliveryM3 ?? 0);
  if (stop.refrigerated) load.cold += change;
  if (!near(visit.loadKg, load.kg) || !near(visit.loadM3, load.m3)) out.push(`${at}: load reported wrong`);
  out.push(...loadViolations(type, load, at));
  return out;
}

function checkReturn(type: VehicleType, depot: Depot, route: Route, expected: { km: number; back: number }, where: string): string[] {
  const out: string[] = [];
  const duration = route.return - route.departure;
  if (!near(route.return, expected.back)) out.push(`${where}: return ${route.return}, expected ${expected.back}`);
  if (depot.close !== undefined && route.return > depot.close + EPS) out.push(`${where}: back at ${route.return}, after the depot closes`);
  if (type.maxShiftMinutes !== undefined && duration > type.maxShiftMinutes + EPS) out.push(`${where}: shift of ${duration} min exceeds ${type.maxShiftMinutes}`);
  if (!near(route.distanceKm, expected.km)) out.push(`${where}: distance ${route.distanceKm}, expected ${expected.km}`);
  if (!near(route.durationMinutes, duration)) out.push(`${where}: duration reported wrong`);
  const fixed = type.fixedCostPerDay;
  const distance = type.costPerKm * expected.km;
  const time = (type.costPerHour * duration) / 60;
  const { cost } = route;
  if (!near(cost.fixed, fixed) || !near(cost.distance, distance) || !near(cost.time, time) || !near(cost.total, fixed + distance + time)) {
    out.push(`${where}: cost reported wrong`);
  }
  return out;
}

function loadViolations(type: VehicleType, load: Load, at: string): string[] {
  const out: string[] = [];
  if (type.capacityKg !== undefined && load.kg > type.capacityKg + EPS) out.push(`${at}: ${load.kg} kg on board, capacity ${type.capacityKg}`);
  if (type.capacityM3 !== undefined && load.m3 > type.capacityM3 + EPS) out.push(`${at}: ${load.m3} m³ on board, capacity ${type.capacityM3}`);
  if (type.refrigeratedCapacityKg !== undefined && load.cold > type.refrigeratedCapacityKg + EPS) {
    out.push(`${at}: ${load.cold} kg of refrigerated goods, refrigerated capacity ${type.refrigeratedCapacityKg}`);
  }
  return out;
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

export function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= EPS * Math.max(1, Math.abs(a), Math.abs(b));
}

export function sum<T>(items: readonly T[], value: (item: T) => number | undefined): number {
  return items.reduce((total, item) => total + (value(item) ?? 0), 0);
}
