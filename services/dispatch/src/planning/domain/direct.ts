import type { Vehicle } from '@county/contracts';
import type { WaveContext } from './context.js';
import { depotStationOf, vehicleType } from './fleet.js';
import { checkLockedRoutes, checkStopLocksHonoured, freezeRoute, lockStops } from './locks.js';
import { PlanRefusal } from './refusal.js';
import type { RouteDraft } from './routes.js';
import { runCall, type SearchOptions } from './solve-call.js';
import { chunkLimits, chunksOf } from './stops.js';
import type { PlanLocks, PoolParcel, SolverCall, UnplannedParcel } from './types.js';
import { unplannedOf } from './unplanned.js';

export interface TierResult {
  routes: RouteDraft[];
  unplanned: UnplannedParcel[];
  calls: SolverCall[];
}

/**
 * Direct milk-runs: one solver call over every free vehicle (each from its own depot at the wave's departure),
 * one stop per station (cut into chunks when it exceeds a vehicle, cold-chain parcels apart), locked routes kept
 * as they are and locked stops on their vehicles.
 */
export function planDirect(
  ctx: WaveContext,
  parcels: readonly PoolParcel[],
  options: { locks?: PlanLocks; budgetSeconds: number; search: SearchOptions; call?: string; fleet?: readonly Vehicle[] },
): TierResult {
  const { locks } = options;
  const allVehicles = options.fleet ?? ctx.input.vehicles;
  checkLockedRoutes(locks);
  const pool = new Map(parcels.map((p) => [p.parcelId, p]));
  const frozen = (locks?.routes ?? []).map((route, i) => {
    if (route.tier !== 'direct') throw new PlanRefusal(`locks.routes[${i}].tier`, `a ${route.tier} route cannot be kept in direct mode`);
    const vehicle = allVehicles.find((v) => v.id === route.vehicleId);
    const start = { depotStationId: vehicle ? depotStationOf(ctx, vehicle) : ctx.center.id, departure: ctx.departure };
    const draft = freezeRoute(ctx, route, i, pool, allVehicles, start);
    for (const chunk of draft.chunks) for (const p of [...chunk.deliveries, ...chunk.pickups]) pool.delete(p.parcelId);
    return draft;
  });
  const frozenVehicles = new Set(frozen.map((d) => d.route.vehicleId));
  const fleet = allVehicles.filter((v) => !frozenVehicles.has(v.id));
  const stopLocks = lockStops(locks, [...pool.values()], { stationOf: (p) => p.stationId, fleet, frozen, belongs: () => true });
  checkStopLocksHonoured(locks, new Set(stopLocks.honoured));
  const chunks = [...stopLocks.chunks, ...chunksOf(stopLocks.rest, chunkLimits(fleet))];
  const result = runCall(
    ctx,
    {
      call: options.call ?? 'consolidated',
      tier: 'direct',
      depotStationId: ctx.center.id,
      chunks,
      fleet: fleet.map((vehicle) => ({ type: vehicleType(ctx, vehicle), depotStationId: depotStationOf(ctx, vehicle), vehicle })),
      locks: stopLocks.locks,
      budgetSeconds: options.budgetSeconds,
    },
    options.search,
  );
  return {
    routes: [...frozen, ...result.routes],
    unplanned: result.unassigned.flatMap(({ chunk, reason }) => unplannedOf(ctx, chunk, reason)),
    calls: [result.record],
  };
}
