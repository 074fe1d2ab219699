import { waveContext, type WaveContext } from './context.js';
import { refuse, type EditResult, type Refusal } from './refusal.js';
import { checkHandovers, reprice, stopSpecs, withRoutes, type StopSpec } from './reprice.js';
import type { DraftPlan, PlanLocks, PlannedRoute, PoolParcel, WaveInput } from './types.js';

/**
 * Operators' edits on a draft plan (pure): each returns the plan with the routes it touched re-driven and re-priced
 * (ETAs, loads, costs, as the solver prices them), the plan's costs and reductions recomputed, or a refusal naming
 * the field and the reason, the plan unchanged. The counterfactual stays as planned: the wave's parcels are the same.
 */

export interface MoveStop {
  stationId: string;
  fromRouteKey: string;
  toRouteKey: string;
  /** 1-based place among the destination's stops; omitted: wherever it costs least. */
  position?: number;
}

export interface MoveParcel {
  parcelId: string;
  toRouteKey: string;
}

/** Moves a station's stop (every parcel handed over or collected there) from one route to another, or within one. */
export function moveStop(input: WaveInput, plan: DraftPlan, move: MoveStop): EditResult {
  const ctx = waveContext(input);
  const pool = poolOf(ctx.input);
  const from = plan.routes.find((r) => r.routeKey === move.fromRouteKey);
  if (!from) return refuse('fromRouteKey', `no route ${move.fromRouteKey} in this plan`);
  const to = plan.routes.find((r) => r.routeKey === move.toRouteKey);
  if (!to) return refuse('toRouteKey', `no route ${move.toRouteKey} in this plan`);
  const k = from.stops.findIndex((s) => s.stationId === move.stationId);
  if (k < 0) return refuse('stationId', `route ${from.routeKey} does not stop at ${move.stationId}`);
  if (from.locked) return refuse('fromRouteKey', `route ${from.routeKey} is locked; unlock it first`);
  if (from.stops[k]!.locked) return refuse('stationId', `the stop at ${move.stationId} on route ${from.routeKey} is locked; unlock it first`);
  if (to.locked) return refuse('toRouteKey', `route ${to.routeKey} is locked; unlock it first`);
  const mismatch = tierMismatch(from, to);
  if (mismatch) return refuse('toRouteKey', mismatch);
  const fromSpecs = stopSpecs(from, pool, 'fromRouteKey');
  if (!Array.isArray(fromSpecs)) return refuse(fromSpecs.field, fromSpecs.reason);
  const moving = fromSpecs[k]!;
  const rest = fromSpecs.filter((_, i) => i !== k);
  const field = move.position !== undefined ? 'position' : 'toRouteKey';
  if (from === to) {
    const placed = placeAt(rest, moving, move.position);
    if (!Array.isArray(placed)) return refuse(placed.field, placed.reason);
    return finish(ctx, plan, [[from, placed, field]]);
  }
  const toSpecs = stopSpecs(to, pool, 'toRouteKey');
  if (!Array.isArray(toSpecs)) return refuse(toSpecs.field, toSpecs.reason);
  const target = joinOrPlace(ctx, to, toSpecs, moving, move.position, field);
  if (!target.ok) return target;
  return finish(ctx, plan, [
    [from, rest, 'fromRouteKey'],
    [to, target.specs, field],
  ]);
}

/** Moves one parcel to the route that should hand it over (or collect it) at its station; an unplanned one too. */
export function moveParcel(input: WaveInput, plan: DraftPlan, move: MoveParcel): EditResult {
  const ctx = waveContext(input);
  const pool = poolOf(ctx.input);
  const parcel = pool.get(move.parcelId);
  if (!parcel) return refuse('parcelId', `parcel ${move.parcelId} is not in this wave's pool`);
  const to = plan.routes.find((r) => r.routeKey === move.toRouteKey);
  if (!to) return refuse('toRouteKey', `no route ${move.toRouteKey} in this plan`);
  const from = plan.routes.find((r) => r.stops.some((s) => s.stationId === parcel.stationId && (s.deliveries.includes(parcel.parcelId) || s.pickups.includes(parcel.parcelId))));
  if (from === to) return { ok: true, plan };
  const wasUnplanned = plan.unplanned.some((u) => u.parcelId === parcel.parcelId);
  if (!from && !wasUnplanned) return refuse('parcelId', `parcel ${parcel.parcelId} is not in this plan`);
  if (to.locked) return refuse('toRouteKey', `route ${to.routeKey} is locked; unlock it first`);
  if (from?.locked) return refuse('parcelId', `parcel ${parcel.parcelId} rides locked route ${from.routeKey}; unlock it first`);
  if (from?.stops.find((s) => s.stationId === parcel.stationId)?.locked) return refuse('parcelId', `its stop at ${parcel.stationId} on route ${from.routeKey} is locked; unlock it first`);
  const wrongTier = lastLegMismatch(ctx, plan, parcel, to);
  if (wrongTier) return refuse('toRouteKey', wrongTier);
  const changes: [PlannedRoute, StopSpec[], string][] = [];
  if (from) {
    const specs = stopSpecs(from, pool, 'parcelId');
    if (!Array.isArray(specs)) return refuse(specs.field, specs.reason);
    const without = specs.map((s) => ({ ...s, parcels: s.parcels.filter((p) => p.parcelId !== parcel.parcelId) })).filter((s) => s.parcels.length > 0);
    changes.push([from, without, 'parcelId']);
  }
  const toSpecs = stopSpecs(to, pool, 'toRouteKey');
  if (!Array.isArray(toSpecs)) return refuse(toSpecs.field, toSpecs.reason);
  const target = joinOrPlace(ctx, to, toSpecs, { stationId: parcel.stationId, parcels: [parcel], locked: false }, undefined, 'toRouteKey');
  if (!target.ok) return target;
  changes.push([to, target.specs, 'toRouteKey']);
  if (wasUnplanned && to.tier === 'village' && parcel.atStationId === undefined) {
    // Its trunk leg (none for a parcel already at the town station): onto the trunk that hands over at the loop's town station.
    const trunk = plan.routes.find((r) => r.tier === 'trunk' && !r.locked && r.stops.some((s) => s.stationId === to.depotStationId));
    if (!trunk) return refuse('toRouteKey', `no unlocked trunk route hands over at ${to.depotStationId}, where route ${to.routeKey} starts`);
    const specs = stopSpecs(trunk, pool, 'toRouteKey');
    if (!Array.isArray(specs)) return refuse(specs.field, specs.reason);
    const i = specs.findIndex((s) => s.stationId === to.depotStationId);
    changes.push([trunk, specs.map((s, j) => (j === i ? { ...s, parcels: [...s.parcels, parcel] } : s)), 'toRouteKey']);
  }
  const unplanned = wasUnplanned ? plan.unplanned.filter((u) => u.parcelId !== parcel.parcelId) : undefined;
  return finish(ctx, plan, changes, unplanned);
}

/** Locks a route: a re-plan keeps its vehicle, its stops and their order. */
export function lockRoute(_input: WaveInput, plan: DraftPlan, target: { routeKey: string }): EditResult {
  const route = plan.routes.find((r) => r.routeKey === target.routeKey);
  if (!route) return refuse('routeKey', `no route ${target.routeKey} in this plan`);
  return relock(plan, route.routeKey, (r) => ({ ...r, locked: true, stops: r.stops.map((s) => ({ ...s, locked: true })) }));
}

/** Locks a stop to its route's vehicle: a re-plan keeps the station on that vehicle. */
export function lockStop(_input: WaveInput, plan: DraftPlan, target: { routeKey: string; stationId: string }): EditResult {
  const route = plan.routes.find((r) => r.routeKey === target.routeKey);
  if (!route) return refuse('routeKey', `no route ${target.routeKey} in this plan`);
  if (!route.stops.some((s) => s.stationId === target.stationId)) return refuse('stationId', `route ${route.routeKey} does not stop at ${target.stationId}`);
  return relock(plan, route.routeKey, (r) => ({ ...r, stops: r.stops.map((s) => (s.stationId === target.stationId ? { ...s, locked: true } : s)) }));
}

/** Unlocks a route (its stops too), or one stop of it (the route's own lock goes; its other stops stay locked). */
export function unlock(_input: WaveInput, plan: DraftPlan, target: { routeKey: string; stationId?: string }): EditResult {
  const route = plan.routes.find((r) => r.routeKey === target.routeKey);
  if (!route) return refuse('routeKey', `no route ${target.routeKey} in this plan`);
  const { stationId } = target;
  if (stationId === undefined) return relock(plan, route.routeKey, (r) => ({ ...r, locked: false, stops: r.stops.map((s) => ({ ...s, locked: false })) }));
  if (!route.stops.some((s) => s.stationId === stationId)) return refuse('stationId', `route ${route.routeKey} does not stop at ${stationId}`);
  return relock(plan, route.routeKey, (r) => ({ ...r, locked: false, stops: r.stops.map((s) => (s.stationId === stationId ? { ...s, locked: false } : s)) }));
}

/** What a re-plan of this draft must keep: its locked routes whole, and its locked stops on their vehicles. */
export function locksOf(plan: DraftPlan): PlanLocks {
  return {
    routes: plan.routes.filter((r) => r.locked),
    stops: plan.routes.filter((r) => !r.locked).flatMap((r) => r.stops.filter((s) => s.locked).map((s) => ({ vehicleId: r.vehicleId, stationId: s.stationId }))),
  };
}

function poolOf(input: WaveInput): Map<string, PoolParcel> {
  return new Map(input.parcels.map((p) => [p.parcelId, p]));
}

function relock(plan: DraftPlan, routeKey: string, change: (r: PlannedRoute) => PlannedRoute): EditResult {
  return { ok: true, plan: { ...plan, routes: plan.routes.map((r) => (r.routeKey === routeKey ? change(r) : r)) } };
}

function tierMismatch(from: PlannedRoute, to: PlannedRoute): string | undefined {
  if (from.tier !== to.tier) return `route ${to.routeKey} is a ${to.tier} route and ${from.routeKey} a ${from.tier} route`;
  if (from.tier === 'village' && from.depotStationId !== to.depotStationId) {
    return `route ${to.routeKey} loops from ${to.depotStationId}, where the trunk does not hand over the parcels ${from.routeKey} takes from ${from.depotStationId}`;
  }
  return undefined;
}

/** The tier (and, for a village loop, the town station) that hands a parcel over at its own station. */
function lastLegMismatch(ctx: WaveContext, plan: DraftPlan, parcel: PoolParcel, to: PlannedRoute): string | undefined {
  if (plan.mode !== 'two_tier') return undefined;
  const station = ctx.stations.get(parcel.stationId);
  if (parcel.direction === 'downstream' && parcel.atStationId !== undefined) {
    return to.tier === 'village' && to.depotStationId === parcel.atStationId ? undefined : `parcel ${parcel.parcelId} waits at ${parcel.atStationId}, served by the village loops from there`;
  }
  const town = station?.kind === 'village' ? ctx.input.stations.filter((s) => s.kind === 'town' && s.townId === station.townId).sort((a, b) => (a.id < b.id ? -1 : 1))[0] : undefined;
  if (town && (to.tier !== 'village' || to.depotStationId !== town.id)) return `parcel ${parcel.parcelId} goes to ${parcel.stationId}, served by the village loops from ${town.id}`;
  if (!town && to.tier !== 'trunk') return `parcel ${parcel.parcelId} goes to ${parcel.stationId}, served by the trunk routes`;
  return undefined;
}

/** Joins the station's stop on the route when it has one, else puts a new stop at `position` or where it costs least. */
function joinOrPlace(
  ctx: WaveContext,
  route: PlannedRoute,
  specs: readonly StopSpec[],
  moving: StopSpec,
  position: number | undefined,
  field: string,
): { ok: true; specs: StopSpec[] } | ({ ok: false } & Refusal) {
  const at = specs.findIndex((s) => s.stationId === moving.stationId);
  if (at >= 0) return { ok: true, specs: specs.map((s, i) => (i === at ? { ...s, parcels: [...s.parcels, ...moving.parcels] } : s)) };
  if (position !== undefined) {
    const placed = placeAt(specs, moving, position);
    return Array.isArray(placed) ? { ok: true, specs: placed } : { ok: false, ...placed };
  }
  let best: { specs: StopSpec[]; cost: number } | undefined;
  let firstRefusal: Refusal | undefined;
  for (let i = 0; i <= specs.length; i++) {
    const candidate = [...specs.slice(0, i), moving, ...specs.slice(i)];
    const priced = reprice(ctx, route, candidate, field);
    if (!priced.ok) firstRefusal ??= priced;
    else if (!best || priced.route.cost.total < best.cost) best = { specs: candidate, cost: priced.route.cost.total };
  }
  if (best) return { ok: true, specs: best.specs };
  const last = reprice(ctx, route, [...specs, moving], field);
  const refusal = last.ok ? firstRefusal! : last;
  return { ok: false, field: refusal.field, reason: refusal.reason };
}

function placeAt(specs: readonly StopSpec[], moving: StopSpec, position: number | undefined): StopSpec[] | Refusal {
  const n = specs.length + 1;
  const p = position ?? n;
  if (!Number.isInteger(p) || p < 1 || p > n) return { field: 'position', reason: `must be a whole number from 1 to ${n}` };
  return [...specs.slice(0, p - 1), moving, ...specs.slice(p - 1)];
}

/** Re-drives each changed route; an empty one leaves the plan. The first refusal wins and nothing changes. */
function finish(ctx: WaveContext, plan: DraftPlan, changes: readonly [PlannedRoute, readonly StopSpec[], string][], unplanned?: DraftPlan['unplanned']): EditResult {
  const replaced = new Map<string, PlannedRoute | null>();
  for (const [route, specs, field] of changes) {
    if (specs.length === 0) {
      replaced.set(route.routeKey, null);
      continue;
    }
    const priced = reprice(ctx, route, specs, field);
    if (!priced.ok) return refuse(priced.field, priced.reason);
    replaced.set(route.routeKey, priced.route);
  }
  const next = withRoutes(ctx, plan, replaced, unplanned);
  for (const [route, , field] of changes) {
    const changed = replaced.get(route.routeKey);
    const late = changed ? checkHandovers(next, changed, field, ctx.dayStartMs) : undefined;
    if (late) return refuse(late.field, late.reason);
  }
  return { ok: true, plan: next };
}
