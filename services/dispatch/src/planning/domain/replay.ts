import { checkSolution, type Problem, type Route, type Solution, type VehicleType, type Visit } from '@county/routing';
import type { WaveContext } from './context.js';
import { routingStop, type Chunk } from './stops.js';
import { clockOf } from './time.js';

/** What keeps a fixed sequence of stops from being driven: at a chunk (its index), leaving the depot, or coming back. */
export interface Violation {
  readonly index: number | 'depot' | 'return';
  readonly kind: 'capacity' | 'refrigerated' | 'time_window' | 'shift_length';
  readonly detail: string;
}

export type Replay = { ok: true; route: Route } | { ok: false; violation: Violation };

/**
 * Drives a vehicle through chunks in the given order and prices the route exactly as the solver does
 * (packages/routing `engine/output.ts`): leave at the shift start, wait for a station to open, serve, come back;
 * cost = fixed + per km × km + per hour × (return − departure). The first limit broken is reported instead.
 * Used for locked routes, fixed lines and operators' edits; `checkReplay` has the solver's independent checker
 * confirm it.
 */
export function replay(ctx: WaveContext, type: VehicleType, depotStationId: string, chunks: readonly Chunk[]): Replay {
  const stops = chunks.map((chunk) => routingStop(ctx, chunk));
  const capKg = type.capacityKg ?? Infinity;
  const capM3 = type.capacityM3 ?? Infinity;
  const capCold = type.refrigerated ? (type.refrigeratedCapacityKg ?? Infinity) : Infinity;
  const cold = stops.findIndex((s) => s.refrigerated && !type.refrigerated);
  if (cold >= 0) return fail(cold, 'refrigerated', `cold-chain parcels on ${vehicleOf(type)}, which is not refrigerated`);
  let kg = sum(stops.map((s) => s.deliveryKg ?? 0));
  let m3 = sum(stops.map((s) => s.deliveryM3 ?? 0));
  let coldKg = sum(stops.map((s) => (s.refrigerated ? (s.deliveryKg ?? 0) : 0)));
  const over = (at: number | 'depot', where: string): Replay | undefined => {
    if (kg > capKg + 1e-9) return fail(at, 'capacity', `${round(kg)} kg on board ${where}, capacity ${capKg} kg`);
    if (m3 > capM3 + 1e-9) return fail(at, 'capacity', `${round(m3)} m³ on board ${where}, capacity ${capM3} m³`);
    if (coldKg > capCold + 1e-9) return fail(at, 'capacity', `${round(coldKg)} kg refrigerated ${where}, refrigerated capacity ${capCold} kg`);
    return undefined;
  };
  const atDepot = over('depot', 'leaving the depot');
  if (atDepot) return atDepot;
  const departure = type.shiftStart ?? 0;
  let clock = departure;
  let here = depotStationId;
  let km = 0;
  const visits: Visit[] = [];
  for (const [index, stop] of stops.entries()) {
    const chunk = chunks[index]!;
    km += ctx.travel.km(here, chunk.stationId);
    const arrival = clock + ctx.travel.minutes(here, chunk.stationId);
    const start = Math.max(arrival, stop.timeWindow?.open ?? arrival);
    if (stop.timeWindow && start > stop.timeWindow.close + 1e-9) {
      return fail(index, 'time_window', `arrives at ${clockOf(arrival)}, after ${chunk.stationId} closes at ${clockOf(stop.timeWindow.close)}`);
    }
    clock = start + (stop.serviceMinutes ?? 0);
    here = chunk.stationId;
    kg += (stop.pickupKg ?? 0) - (stop.deliveryKg ?? 0);
    m3 += (stop.pickupM3 ?? 0) - (stop.deliveryM3 ?? 0);
    if (stop.refrigerated) coldKg += (stop.pickupKg ?? 0) - (stop.deliveryKg ?? 0);
    const full = over(index, `after ${chunk.stationId}`);
    if (full) return full;
    visits.push({ stopId: stop.id, arrival, start, departure: clock, loadKg: kg, loadM3: m3 });
  }
  km += ctx.travel.km(here, depotStationId);
  const back = clock + ctx.travel.minutes(here, depotStationId);
  const duration = back - departure;
  if (type.maxShiftMinutes !== undefined && duration > type.maxShiftMinutes + 1e-9) {
    return fail('return', 'shift_length', `back at ${clockOf(back)}: a shift of ${Math.round(duration)} min, longer than ${type.maxShiftMinutes} min`);
  }
  const fixed = type.fixedCostPerDay;
  const distance = type.costPerKm * km;
  const time = (type.costPerHour * duration) / 60;
  return {
    ok: true,
    route: {
      vehicleId: vehicleOf(type),
      vehicleTypeId: type.id,
      departure,
      return: back,
      startLoadKg: sum(stops.map((s) => s.deliveryKg ?? 0)),
      startLoadM3: sum(stops.map((s) => s.deliveryM3 ?? 0)),
      visits,
      distanceKm: km,
      durationMinutes: duration,
      cost: { fixed, distance, time, total: fixed + distance + time },
    },
  };
}

/** The routing package's checker on a replayed route: the violations it finds, none when the replay is right. */
export function checkReplay(ctx: WaveContext, type: VehicleType, depotStationId: string, chunks: readonly Chunk[], route: Route): readonly string[] {
  const problem: Problem = {
    depot: { location: ctx.travel.location(depotStationId) },
    stops: chunks.map((chunk) => routingStop(ctx, chunk)),
    vehicleTypes: [type],
    travel: ctx.travel.problemTravel,
  };
  const cost = route.cost;
  const solution: Solution = {
    routes: [route],
    unassigned: [],
    totals: { distanceKm: route.distanceKm, durationMinutes: route.durationMinutes, vehiclesUsed: 1, cost: { ...cost, penalty: 0 } },
    iterations: 0,
  };
  return checkSolution(problem, solution).violations;
}

function vehicleOf(type: VehicleType): string {
  return type.vehicleIds?.[0] ?? `${type.id}-1`;
}

function fail(index: Violation['index'], kind: Violation['kind'], detail: string): Replay {
  return { ok: false, violation: { index, kind, detail } };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
