import type { UnassignedReason } from '../solution.js';
import type { Instance, TypeData } from './instance.js';
import type { Plan } from './plan.js';
import type { Route } from './route.js';

/**
 * A stop's checks run in this order; the reason given is the check that failed on the vehicle
 * (or route position) that got furthest, so the operator hears about the nearest miss.
 */
const REASON_AT_STAGE: readonly UnassignedReason[] = ['no_refrigerated_vehicle', 'capacity', 'time_window', 'shift_length'];
const FEASIBLE = REASON_AT_STAGE.length;

/** Why no vehicle could serve the stop even on a route of its own; undefined if one could. */
export function reasonAlone(inst: Instance, stop: number): UnassignedReason | undefined {
  let stage = 0;
  for (const type of inst.types) stage = Math.max(stage, aloneStage(inst, type, stop));
  return REASON_AT_STAGE[stage];
}

/**
 * Why a stop that fits a vehicle of its own was still left out: what blocks it on every route as
 * planned (with a limited fleet, every vehicle is in use).
 */
export function reasonBlocked(inst: Instance, plan: Plan, stop: number): UnassignedReason {
  let stage = 0;
  for (const route of plan.routes) stage = Math.max(stage, blockedStage(inst, route, stop));
  // A stop that fits somewhere is never left out (the final repair places it), so this is a guard.
  return REASON_AT_STAGE[Math.min(stage, FEASIBLE - 1)]!;
}

function compatible(inst: Instance, type: TypeData, stop: number): boolean {
  return inst.cold[stop] === 0 || type.refrigerated;
}

function aloneStage(inst: Instance, type: TypeData, stop: number): number {
  if (!compatible(inst, type, stop)) return 0;
  const dims = inst.dims;
  for (let d = 0; d < dims; d++) {
    const most = Math.max(inst.delivery[stop * dims + d]!, inst.pickup[stop * dims + d]!);
    if (most > type.capacity[d]!) return 1;
  }
  if (!inst.timed) return FEASIBLE;
  const depot = type.depotNode;
  const start = Math.max(type.start + inst.time[depot * inst.size + stop]!, inst.open[stop]!);
  if (start > inst.close[stop]!) return 2;
  const back = start + inst.service[stop]! + inst.time[stop * inst.size + depot]!;
  return back > type.end ? 3 : FEASIBLE;
}

function blockedStage(inst: Instance, route: Route, stop: number): number {
  if (!compatible(inst, route.type, stop)) return 0;
  let stage = 1;
  for (let p = 0; p <= route.length; p++) {
    if (!loadFits(inst, route, p, stop)) continue;
    if (!inst.timed) return FEASIBLE;
    stage = Math.max(stage, timingStage(inst, route, p, stop));
  }
  return stage;
}

function loadFits(inst: Instance, route: Route, p: number, stop: number): boolean {
  const dims = inst.dims;
  for (let d = 0; d < dims; d++) {
    const before = inst.hasPickups ? route.maxLoadUpTo[p * dims + d]! : route.delivered[d]!;
    const after = inst.hasPickups ? route.maxLoadFrom[p * dims + d]! : route.collected[d]!;
    const capacity = route.type.capacity[d]!;
    if (before + inst.delivery[stop * dims + d]! > capacity || after + inst.pickup[stop * dims + d]! > capacity) return false;
  }
  return true;
}

/** Replays the route with the stop after position p and reports the first limit it breaks. */
function timingStage(inst: Instance, route: Route, p: number, stop: number): number {
  const { time, size } = inst;
  let previous = route.nodes[p]!;
  let departure = route.departure[p]!;
  for (let q = p; q <= route.length + 1; q++) {
    const node = q === p ? stop : route.nodes[q]!;
    const arrive = departure + time[previous * size + node]!;
    if (q === route.length + 1) return arrive > route.type.end ? 3 : FEASIBLE;
    const start = Math.max(arrive, inst.open[node]!);
    if (start > inst.close[node]!) return 2;
    departure = start + inst.service[node]!;
    previous = node;
  }
  return FEASIBLE;
}
