import type { WaveContext } from './context.js';
import { planCosts, reductionPct } from './costs.js';
import { vehicleType } from './fleet.js';
import type { Refusal } from './refusal.js';
import { checkReplay, replay } from './replay.js';
import { plannedRoute } from './routes.js';
import { chunkStation, type Chunk } from './stops.js';
import { clockOf, minuteOf } from './time.js';
import type { DraftPlan, PlannedRoute, PoolParcel, UnplannedParcel } from './types.js';
import { sortUnplanned } from './unplanned.js';

const UNLIMITED = { ambient: { kg: Infinity, m3: Infinity }, cold: { kg: Infinity, m3: Infinity } };

/** A stop as an edit sees it: a station, the parcels handed over or collected there, and whether it is locked. */
export interface StopSpec {
  readonly stationId: string;
  readonly parcels: readonly PoolParcel[];
  readonly locked: boolean;
}

export type Repriced = { ok: true; route: PlannedRoute } | ({ ok: false } & Refusal);

/** The stops of a planned route with their parcels from the wave's pool; refused when the pool lost one of them. */
export function stopSpecs(route: PlannedRoute, pool: ReadonlyMap<string, PoolParcel>, field: string): StopSpec[] | Refusal {
  const specs: StopSpec[] = [];
  for (const stop of route.stops) {
    const parcels: PoolParcel[] = [];
    for (const id of [...stop.deliveries, ...stop.pickups]) {
      const parcel = pool.get(id);
      if (!parcel) return { field, reason: `parcel ${id} on route ${route.routeKey} is no longer to be planned; re-plan the wave` };
      parcels.push(parcel);
    }
    specs.push({ stationId: stop.stationId, parcels, locked: stop.locked });
  }
  return specs;
}

/**
 * A route driven through the given stops in order by its vehicle, from its depot at its planned departure, priced
 * as the solver prices (the replay), confirmed by the routing package's checker; or why it cannot be driven,
 * naming the stop.
 */
export function reprice(ctx: WaveContext, route: PlannedRoute, specs: readonly StopSpec[], field: string): Repriced {
  const vehicle = ctx.input.vehicles.find((v) => v.id === route.vehicleId);
  if (!vehicle) return { ok: false, field, reason: `vehicle ${route.vehicleId} of route ${route.routeKey} is no longer free for this wave` };
  const type = vehicleType(ctx, vehicle, { depotStationId: route.depotStationId, departure: minuteOf(ctx.dayStartMs, route.plannedDeparture) });
  const chunks: Chunk[] = [];
  const stopOf: number[] = [];
  specs.forEach((spec, k) => {
    for (const chunk of chunkStation(spec.stationId, spec.parcels, UNLIMITED, `E${k}.`)) {
      chunks.push(chunk);
      stopOf.push(k);
    }
  });
  const replayed = replay(ctx, type, route.depotStationId, chunks);
  if (!replayed.ok) {
    const { index, kind, detail } = replayed.violation;
    const where = index === 'return' ? '' : index === 'depot' ? ' leaving the depot' : ` at stop ${stopOf[index]! + 1} (${specs[stopOf[index]!]!.stationId})`;
    const what = { capacity: `capacity exceeded${where}`, refrigerated: `refrigerated parcel on an ambient vehicle${where}`, time_window: `opening hours missed${where}`, shift_length: 'shift exceeded' }[kind];
    return { ok: false, field, reason: `${what} on route ${route.routeKey}: ${detail}` };
  }
  const violations = checkReplay(ctx, type, route.depotStationId, chunks, replayed.route);
  if (violations.length > 0) return { ok: false, field, reason: `route ${route.routeKey} would break: ${violations.join('; ')}` };
  const draft = {
    tier: route.tier,
    depotStationId: route.depotStationId,
    route: replayed.route,
    chunks,
    locked: route.locked,
    lockedStations: new Set(specs.filter((s) => s.locked).map((s) => s.stationId)),
  };
  return { ok: true, route: plannedRoute(ctx, draft, route.routeKey) };
}

/**
 * In two-tier mode a town's village loops leave once the trunk has handed over: a trunk route changed by an edit
 * must still hand over at each town station before that town's loops leave.
 */
export function checkHandovers(plan: DraftPlan, trunk: PlannedRoute, field: string, dayStartMs: number): Refusal | undefined {
  if (trunk.tier !== 'trunk') return undefined;
  for (const stop of trunk.stops) {
    const loops = plan.routes.filter((r) => r.tier === 'village' && r.depotStationId === stop.stationId);
    for (const loop of loops) {
      if (Date.parse(stop.plannedDeparture) > Date.parse(loop.plannedDeparture)) {
        const at = (iso: string) => clockOf(minuteOf(dayStartMs, iso));
        return { field, reason: `the village loop ${loop.routeKey} leaves ${stop.stationId} at ${at(loop.plannedDeparture)}, before route ${trunk.routeKey} hands over there at ${at(stop.plannedDeparture)}` };
      }
    }
  }
  return undefined;
}

/** The plan with some routes replaced (or removed, `null`), its costs and reductions recomputed. */
export function withRoutes(ctx: WaveContext, plan: DraftPlan, replaced: ReadonlyMap<string, PlannedRoute | null>, unplanned?: readonly UnplannedParcel[]): DraftPlan {
  const routes = plan.routes.flatMap((r) => {
    if (!replaced.has(r.routeKey)) return [r];
    const next = replaced.get(r.routeKey);
    return next ? [next] : [];
  });
  const consolidated = planCosts(ctx, routes);
  const comparison = plan.optimizerComparison
    ? { ...plan.optimizerComparison, savingPct: reductionPct(plan.optimizerComparison.consolidated.costPerParcel, consolidated.costPerParcel) }
    : undefined;
  return {
    ...plan,
    routes,
    unplanned: unplanned ? sortUnplanned(unplanned) : plan.unplanned,
    consolidated,
    reductionVsCounterfactualPct: reductionPct(consolidated.costPerParcel, plan.counterfactual.costPerParcel),
    reductionVsSurveyedPct: reductionPct(consolidated.costPerParcel, plan.surveyedCostPerParcel),
    ...(comparison ? { optimizerComparison: comparison } : {}),
  };
}
