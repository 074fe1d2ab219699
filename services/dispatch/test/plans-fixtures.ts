import { randomUUID } from 'node:crypto';
import type { DraftPlan, PlannedRoute } from '../src/planning/domain/types.js';

/**
 * A hand-made draft plan of two routes, as the planner returns one: for the plans feature's tests. Its vehicles are
 * `van-1` and `van-2` with `vehicleSuffix` (fresh by default, so confirmed plans of several tests do not share them).
 */
export function handMadePlan(vehicleSuffix = randomUUID().slice(0, 8)): DraftPlan {
  const route = (routeKey: string, vehicleId: string, stations: string[], locked = false): PlannedRoute => {
    const parcels = stations.map((_, index) => ({
      parcelId: randomUUID(),
      courierId: index % 2 === 0 ? 'zto' : 'yto',
      direction: 'downstream' as const,
      compartment: 'ambient' as const,
      stopSequence: index + 1,
    }));
    return {
      routeKey,
      vehicleId,
      tier: 'direct',
      depotStationId: 'center',
      plannedDeparture: '2026-11-29T23:00:00.000Z',
      plannedReturn: '2026-11-30T04:00:00.000Z',
      distanceKm: 80,
      durationMinutes: 300,
      cost: { total: 500, fixed: 250, distance: 160, time: 90 },
      stops: stations.map((stationId, index) => ({
        sequence: index + 1,
        stationId,
        plannedArrival: `2026-11-30T0${index}:30:00.000Z`,
        plannedDeparture: `2026-11-30T0${index}:40:00.000Z`,
        deliveries: [parcels[index]!.parcelId],
        pickups: [],
        loadKgAfter: 10 * (stations.length - index - 1),
        loadM3After: 0.1 * (stations.length - index - 1),
        locked: false,
      })),
      parcels,
      locked,
    };
  };
  const routes = [route('r1', `van-1${vehicleSuffix}`, ['vs-1', 'vs-2']), route('r2', `van-2${vehicleSuffix}`, ['vs-3'])];
  const costs = { cost: { total: 1000, fixed: 500, distance: 320, time: 180 }, parcels: 3, costPerParcel: 333.33, byCourier: [], routes: 2 };
  return {
    mode: 'direct',
    seed: 7,
    budgetSeconds: 2,
    routes,
    unplanned: [{ parcelId: randomUUID(), stationId: 'vs-9', reason: 'capacity', detail: 'heavier than any vehicle' }],
    forcedNotDue: [],
    consolidated: costs,
    counterfactual: { ...costs, cost: { total: 1500, fixed: 750, distance: 500, time: 250 }, costPerParcel: 500, routes: 3 },
    surveyedCostPerParcel: 2.5,
    reductionVsCounterfactualPct: 33.3,
    reductionVsSurveyedPct: -13_233,
  };
}
