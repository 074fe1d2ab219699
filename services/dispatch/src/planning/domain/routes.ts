import type { Route as SolverRoute, Visit } from '@county/routing';
import type { WaveContext } from './context.js';
import type { Chunk } from './stops.js';
import { instantOf } from './time.js';
import type { PlannedRoute, PlannedStop } from './types.js';

export type Tier = PlannedRoute['tier'];

/**
 * A route as the planner works on it: the solver's (or the replay's) figures, and each visit with the chunk it
 * served. `plannedRoute` turns it into what operators and drivers read.
 */
export interface RouteDraft {
  readonly tier: Tier;
  readonly depotStationId: string;
  readonly route: SolverRoute;
  readonly chunks: readonly Chunk[];
  /** A locked route keeps its vehicle, stops and order in every re-plan. */
  readonly locked: boolean;
  /** Stations whose stop is locked to this vehicle. */
  readonly lockedStations: ReadonlySet<string>;
  /** Kept across re-plans for a locked route, so operators' references stay valid. */
  readonly routeKey?: string;
}

/** One driver-facing stop per station visit: consecutive solver visits at the same station are one stop. */
export function plannedRoute(ctx: WaveContext, draft: RouteDraft, routeKey: string): PlannedRoute {
  const { route } = draft;
  const at = (minutes: number) => instantOf(ctx.dayStartMs, minutes);
  const stops: PlannedStop[] = [];
  const parcels: PlannedRoute['parcels'] = [];
  draft.chunks.forEach((chunk, index) => {
    const visit: Visit = route.visits[index]!;
    let stop = stops[stops.length - 1];
    if (!stop || stop.stationId !== chunk.stationId) {
      stop = {
        sequence: stops.length + 1,
        stationId: chunk.stationId,
        plannedArrival: at(visit.arrival),
        plannedDeparture: at(visit.departure),
        deliveries: [],
        pickups: [],
        loadKgAfter: visit.loadKg,
        loadM3After: visit.loadM3,
        locked: draft.locked || draft.lockedStations.has(chunk.stationId),
      };
      stops.push(stop);
    }
    stop.plannedDeparture = at(visit.departure);
    stop.loadKgAfter = visit.loadKg;
    stop.loadM3After = visit.loadM3;
    for (const [list, direction] of [[chunk.deliveries, 'downstream'], [chunk.pickups, 'upstream']] as const) {
      for (const parcel of list) {
        (direction === 'downstream' ? stop.deliveries : stop.pickups).push(parcel.parcelId);
        parcels.push({
          parcelId: parcel.parcelId,
          courierId: parcel.courierId,
          direction,
          compartment: parcel.coldChainProfileId !== undefined ? 'refrigerated' : 'ambient',
          stopSequence: stop.sequence,
          ...(parcel.coldChainProfileId !== undefined ? { coldChainProfileId: parcel.coldChainProfileId } : {}),
        });
      }
    }
  });
  return {
    routeKey,
    vehicleId: route.vehicleId,
    tier: draft.tier,
    depotStationId: draft.depotStationId,
    plannedDeparture: at(route.departure),
    plannedReturn: at(route.return),
    distanceKm: route.distanceKm,
    durationMinutes: route.durationMinutes,
    cost: { total: route.cost.total, fixed: route.cost.fixed, distance: route.cost.distance, time: route.cost.time },
    stops,
    parcels,
    locked: draft.locked,
  };
}

const TIER_ORDER: Record<Tier, number> = { trunk: 0, direct: 1, village: 2 };

/**
 * Route keys: a locked route keeps its key; the others are numbered `r1`, `r2`, … in a fixed order (tier,
 * departure, vehicle id), skipping keys locked routes hold.
 */
export function keyRoutes(ctx: WaveContext, drafts: readonly RouteDraft[]): PlannedRoute[] {
  const taken = new Set(drafts.flatMap((d) => (d.routeKey ? [d.routeKey] : [])));
  const ordered = [...drafts].sort(
    (a, b) => TIER_ORDER[a.tier] - TIER_ORDER[b.tier] || a.route.departure - b.route.departure || compare(a.route.vehicleId, b.route.vehicleId),
  );
  let next = 1;
  return ordered.map((draft) => {
    if (draft.routeKey) return plannedRoute(ctx, draft, draft.routeKey);
    while (taken.has(`r${next}`)) next++;
    taken.add(`r${next}`);
    return plannedRoute(ctx, draft, `r${next}`);
  });
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
