import type { Vehicle } from '@county/contracts';
import type { Lock } from '@county/routing';
import type { WaveContext } from './context.js';
import { vehicleType, type Start } from './fleet.js';
import { PlanRefusal } from './refusal.js';
import { replay } from './replay.js';
import type { RouteDraft } from './routes.js';
import { chunkLimits, chunkStation, type Chunk } from './stops.js';
import type { PlanLocks, PlannedRoute, PoolParcel } from './types.js';

const UNLIMITED = { ambient: { kg: Infinity, m3: Infinity }, cold: { kg: Infinity, m3: Infinity } };

/**
 * A locked route is kept as it is: its vehicle, its stops in their order, and the parcels it had that are still to
 * be planned; the search never touches it (its vehicle is out of the search) and it is priced by a replay of that
 * order. It is refused, naming the lock, when its vehicle is no longer free, none of its parcels is left, or the
 * order no longer fits the vehicle (capacity, hours, shift).
 */
export function freezeRoute(ctx: WaveContext, locked: PlannedRoute, index: number, pool: ReadonlyMap<string, PoolParcel>, fleet: readonly Vehicle[], start: Start): RouteDraft {
  const field = `locks.routes[${index}]`;
  const vehicle = fleet.find((v) => v.id === locked.vehicleId);
  if (!vehicle) throw new PlanRefusal(`${field}.vehicleId`, `${locked.vehicleId} is not free for this wave${locked.tier === 'direct' ? '' : ` (${locked.tier} tier)`}`);
  const chunks: Chunk[] = [];
  const stopOfChunk: number[] = [];
  locked.stops.forEach((stop, k) => {
    const parcels = [...stop.deliveries, ...stop.pickups].flatMap((id) => pool.get(id) ?? []);
    for (const chunk of chunkStation(stop.stationId, parcels, UNLIMITED, `L${index}.${k}.`)) {
      chunks.push(chunk);
      stopOfChunk.push(k);
    }
  });
  if (chunks.length === 0) throw new PlanRefusal(field, `none of the parcels of locked route ${locked.routeKey} is still to be planned`);
  const replayed = replay(ctx, vehicleType(ctx, vehicle, start), start.depotStationId, chunks);
  if (!replayed.ok) {
    const { index: at, detail } = replayed.violation;
    if (at === 'return') throw new PlanRefusal(field, `locked route ${locked.routeKey} no longer fits its shift: ${detail}`);
    if (at === 'depot') throw new PlanRefusal(field, `locked route ${locked.routeKey} no longer fits its vehicle: ${detail}`);
    const k = stopOfChunk[at]!;
    throw new PlanRefusal(`${field}.stops[${k}]`, `locked route ${locked.routeKey} cannot keep stop ${k + 1} (${locked.stops[k]!.stationId}): ${detail}`);
  }
  return {
    tier: locked.tier,
    depotStationId: start.depotStationId,
    route: replayed.route,
    chunks,
    locked: true,
    lockedStations: new Set(locked.stops.map((s) => s.stationId)),
    routeKey: locked.routeKey,
  };
}

/** Locked routes must name distinct vehicles and keys. */
export function checkLockedRoutes(locks: PlanLocks | undefined): void {
  const vehicles = new Map<string, string>();
  const keys = new Set<string>();
  (locks?.routes ?? []).forEach((route, i) => {
    const other = vehicles.get(route.vehicleId);
    if (other) throw new PlanRefusal(`locks.routes[${i}].vehicleId`, `${route.vehicleId} already runs locked route ${other}`);
    if (keys.has(route.routeKey)) throw new PlanRefusal(`locks.routes[${i}].routeKey`, `route key ${route.routeKey} is locked twice`);
    vehicles.set(route.vehicleId, route.routeKey);
    keys.add(route.routeKey);
  });
}

export interface StopLockResult {
  /** Chunks locked to their vehicles, for the solver (`lock`), and each one's lock name for a refusal. */
  readonly chunks: Chunk[];
  readonly locks: Map<string, { lock: Lock; field: string }>;
  /** Parcels left to plan freely. */
  readonly rest: PoolParcel[];
  /** Indices of `locks.stops` this call honoured. */
  readonly honoured: number[];
}

/**
 * A locked stop stays on its vehicle: the parcels handed over or collected at that station which the vehicle can
 * carry (cold-chain ones only on a refrigerated vehicle) become stops locked to it; the solver places the rest of
 * the wave around them. `belongs` says which locks this solver call is for (two-tier: the trunk, or one town's
 * village loops).
 */
export function lockStops(
  locks: PlanLocks | undefined,
  parcels: readonly PoolParcel[],
  options: {
    stationOf: (p: PoolParcel) => string;
    fleet: readonly Vehicle[];
    frozen: readonly RouteDraft[];
    belongs: (stationId: string) => boolean;
  },
): StopLockResult {
  const result: StopLockResult = { chunks: [], locks: new Map(), rest: [...parcels], honoured: [] };
  const takenBy = new Map<string, string>();
  (locks?.stops ?? []).forEach(({ vehicleId, stationId }, j) => {
    if (!options.belongs(stationId)) return;
    const field = `locks.stops[${j}]`;
    const frozen = options.frozen.find((d) => d.route.vehicleId === vehicleId);
    if (frozen) {
      if (!frozen.lockedStations.has(stationId)) throw new PlanRefusal(field, `${vehicleId} runs a locked route that does not stop at ${stationId}`);
      result.honoured.push(j);
      return;
    }
    const vehicle = options.fleet.find((v) => v.id === vehicleId);
    if (!vehicle) throw new PlanRefusal(`${field}.vehicleId`, `${vehicleId} is not free for this wave to serve ${stationId}`);
    const already = takenBy.get(stationId);
    if (already && already !== vehicleId) throw new PlanRefusal(field, `${stationId} is already locked to ${already}`);
    const mine = result.rest.filter((p) => options.stationOf(p) === stationId && (p.coldChainProfileId === undefined || vehicle.refrigerated));
    if (mine.length === 0 && !already) throw new PlanRefusal(`${field}.stationId`, `nothing to hand over or collect at ${stationId} in this wave that ${vehicleId} can carry`);
    chunkStation(stationId, mine, chunkLimits([vehicle]), `S${j}.`).forEach((chunk, c) => {
      result.chunks.push(chunk);
      result.locks.set(chunk.id, { lock: { vehicleId, position: j * 1_000 + c }, field });
    });
    const taken = new Set(mine.map((p) => p.parcelId));
    result.rest.splice(0, result.rest.length, ...result.rest.filter((p) => !taken.has(p.parcelId)));
    takenBy.set(stationId, vehicleId);
    result.honoured.push(j);
  });
  return result;
}

/** Every stop lock must have been honoured by some call: one that none could take names nothing to serve. */
export function checkStopLocksHonoured(locks: PlanLocks | undefined, honoured: ReadonlySet<number>): void {
  (locks?.stops ?? []).forEach(({ vehicleId, stationId }, j) => {
    if (!honoured.has(j)) throw new PlanRefusal(`locks.stops[${j}].stationId`, `nothing to hand over or collect at ${stationId} in this wave that ${vehicleId} can carry`);
  });
}
