import type { WaveContext } from './context.js';
import { addSplits } from './costs.js';
import { defaultType, depotStationOf, vehicleType } from './fleet.js';
import { compare } from './routes.js';
import { runCall, type SearchOptions } from './solve-call.js';
import { chunkLimits, chunksOf } from './stops.js';
import type { CourierCost, PlanCosts, PoolParcel, SolverCall } from './types.js';

/**
 * The counterfactual (docs/architecture.md "Cost against the baseline"): the same parcels, each courier alone with
 * its own vehicles (owner `courier` with its id, free for this wave, from their depots), planned by the same solver
 * with the same seed. Beyond its own vehicles a courier hires vehicles of the county's default type at the center,
 * as many as its parcels need: a courier without vehicles gets only those, and one whose few vans cannot reach
 * every village it must serve is priced for reaching them rather than for the cheap part of its day. A vehicle
 * already used today costs no fixed cost here either. The budget is shared between the couriers in proportion to
 * their stops.
 */
export function counterfactual(ctx: WaveContext, parcels: readonly PoolParcel[], budgetSeconds: number, search: SearchOptions): { costs: PlanCosts; calls: SolverCall[] } {
  const byCourier = new Map<string, PoolParcel[]>();
  for (const p of parcels) {
    const list = byCourier.get(p.courierId) ?? [];
    list.push(p);
    byCourier.set(p.courierId, list);
  }
  const couriers = [...byCourier.keys()].sort(compare);
  const spec = ctx.input.county.defaultVehicleType;
  const plans = couriers.map((courierId) => {
    const own = ctx.input.vehicles.filter((v) => v.owner.kind === 'courier' && v.owner.courierId === courierId);
    const hired = defaultType(ctx, `${courierId}:default`, spec);
    const limits = chunkLimits([...own, { capacityKg: spec.capacityKg, capacityM3: spec.capacityM3, refrigerated: false }]);
    const chunks = chunksOf(byCourier.get(courierId)!, limits);
    return { courierId, own, hired, chunks };
  });
  const totalStops = plans.reduce((n, p) => n + p.chunks.length, 0);
  const calls: SolverCall[] = [];
  const costs: CourierCost[] = [];
  const splits = [];
  let routes = 0;
  let unplanned = 0;
  for (const plan of plans) {
    const result = runCall(
      ctx,
      {
        call: `counterfactual:${plan.courierId}`,
        tier: 'direct',
        depotStationId: ctx.center.id,
        chunks: plan.chunks,
        fleet: [
          ...plan.own.map((vehicle) => ({ type: vehicleType(ctx, vehicle), depotStationId: depotStationOf(ctx, vehicle), vehicle })),
          { type: plan.hired, depotStationId: ctx.center.id },
        ],
        budgetSeconds: totalStops > 0 ? (budgetSeconds * plan.chunks.length) / totalStops : 0,
      },
      search,
    );
    calls.push(result.record);
    const carried = result.routes.reduce((n, r) => n + r.chunks.reduce((m, c) => m + c.deliveries.length + c.pickups.length, 0), 0);
    const split = addSplits(result.routes.map((r) => r.route.cost));
    splits.push(split);
    routes += result.routes.length;
    unplanned += result.unassigned.reduce((n, u) => n + u.chunk.deliveries.length + u.chunk.pickups.length, 0);
    costs.push({ courierId: plan.courierId, parcels: carried, cost: split.total, costPerParcel: carried > 0 ? split.total / carried : 0 });
  }
  const cost = addSplits(splits);
  const carried = costs.reduce((n, c) => n + c.parcels, 0);
  return {
    costs: { cost, parcels: carried, costPerParcel: carried > 0 ? cost.total / carried : 0, byCourier: costs, routes, unplannedParcels: unplanned },
    calls,
  };
}
