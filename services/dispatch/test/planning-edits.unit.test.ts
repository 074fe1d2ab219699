import { checkSolution, solve, type Problem } from '@county/routing';
import { describe, expect, it } from 'vitest';
import { waveContext } from '../src/planning/domain/context.js';
import { vehicleType } from '../src/planning/domain/fleet.js';
import { lockRoute, locksOf, moveParcel, moveStop, planWave, unlock, type EditResult } from '../src/planning/domain/index.js';
import { chunkStation, routingStop } from '../src/planning/domain/stops.js';
import { minuteOf } from '../src/planning/domain/time.js';
import type { DraftPlan, PlannedRoute, WaveInput } from '../src/planning/domain/types.js';
import { parcel, parcels, planParcelIds, reefer, station, vehicle, waveInput } from './planning-fixtures.js';

const never = () => 0;
const UNLIMITED = { ambient: { kg: Infinity, m3: Infinity }, cold: { kg: Infinity, m3: Infinity } };

/** Four villages of 450 kg each (or `each`), two 1,000 kg vans: each van takes two villages. */
function fourVillages(extra: Partial<WaveInput> = {}, each = 45): WaveInput {
  const stations = [
    station('center', 'center', 0, 0),
    station('north', 'village', 15, 0),
    station('north-east', 'village', 14, 6),
    station('south', 'village', -15, 0),
    station('south-west', 'village', -14, -6),
  ];
  const pool = ['north', 'north-east', 'south', 'south-west'].flatMap((s, i) => parcels(each, s, i % 2 ? 'zto' : 'yunda', { weightKg: 10 }));
  return waveInput({ stations, vehicles: [vehicle('van-1'), vehicle('van-2')], parcels: pool, ...extra });
}

function ok(result: EditResult): DraftPlan {
  if (!result.ok) throw new Error(`${result.field}: ${result.reason}`);
  return result.plan;
}

function routeAt(plan: DraftPlan, stationId: string): PlannedRoute {
  return plan.routes.find((r) => r.stops.some((s) => s.stationId === stationId))!;
}

/** The solver's own figures for a route driven in this order: every stop locked to the vehicle, no search. */
function solverFigures(input: WaveInput, route: PlannedRoute) {
  const ctx = waveContext(input);
  const v = input.vehicles.find((x) => x.id === route.vehicleId)!;
  const type = vehicleType(ctx, v, { depotStationId: route.depotStationId, departure: minuteOf(ctx.dayStartMs, route.plannedDeparture) });
  const pool = new Map(input.parcels.map((p) => [p.parcelId, p]));
  const chunks = route.stops.flatMap((s, k) => chunkStation(s.stationId, [...s.deliveries, ...s.pickups].map((id) => pool.get(id)!), UNLIMITED, `T${k}.`));
  const problem: Problem = {
    depot: { location: ctx.travel.location(route.depotStationId) },
    stops: chunks.map((c, i) => routingStop(ctx, c, { vehicleId: v.id, position: i })),
    vehicleTypes: [type],
    travel: ctx.travel.problemTravel,
  };
  const solution = solve(problem, { iterations: 0 });
  expect(checkSolution(problem, solution).violations).toEqual([]);
  return solution.routes[0]!;
}

describe("operators' edits on a draft", () => {
  it('moving a stop re-drives both routes, priced exactly as the solver prices them, and recomputes the costs', () => {
    const input = fourVillages({}, 30);
    const plan = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const from = routeAt(plan, 'north');
    const to = plan.routes.find((r) => r !== from && r.stops.length === 1) ?? plan.routes.find((r) => r !== from)!;
    const moved = ok(moveStop(input, plan, { stationId: 'north', fromRouteKey: from.routeKey, toRouteKey: to.routeKey }));
    const after = moved.routes.find((r) => r.routeKey === to.routeKey)!;
    expect(after.stops.map((s) => s.stationId)).toContain('north');
    expect(moved.routes.find((r) => r.routeKey === from.routeKey)?.stops.map((s) => s.stationId) ?? []).not.toContain('north');
    const solver = solverFigures(input, after);
    expect(after.cost.total).toBeCloseTo(solver.cost.total, 9);
    expect(after.distanceKm).toBeCloseTo(solver.distanceKm, 9);
    expect(after.stops.at(-1)!.loadKgAfter).toBeCloseTo(solver.visits.at(-1)!.loadKg, 9);
    expect(moved.consolidated.cost.total).toBeCloseTo(moved.routes.reduce((a, r) => a + r.cost.total, 0), 9);
    expect(moved.consolidated.byCourier.reduce((a, c) => a + c.cost, 0)).toBeCloseTo(moved.consolidated.cost.total, 9);
    expect(moved.counterfactual).toEqual(plan.counterfactual);
    expect(moved.reductionVsCounterfactualPct).toBeCloseTo((1 - moved.consolidated.costPerParcel / plan.counterfactual.costPerParcel) * 100, 9);
    expect(planParcelIds(moved).sort()).toEqual(planParcelIds(plan).sort());
  });

  it('puts the stop at the position asked for, within a route too', () => {
    const input = fourVillages();
    const plan = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const route = plan.routes[0]!;
    const second = route.stops[1]!.stationId;
    const reordered = ok(moveStop(input, plan, { stationId: second, fromRouteKey: route.routeKey, toRouteKey: route.routeKey, position: 1 }));
    const after = reordered.routes.find((r) => r.routeKey === route.routeKey)!;
    expect(after.stops.map((s) => s.stationId)).toEqual([second, route.stops[0]!.stationId]);
    expect(after.stops.map((s) => s.sequence)).toEqual([1, 2]);
    expect(after.cost.total).toBeCloseTo(solverFigures(input, after).cost.total, 9);
    expect(moveStop(input, plan, { stationId: second, fromRouteKey: route.routeKey, toRouteKey: route.routeKey, position: 3 })).toEqual({
      ok: false,
      field: 'position',
      reason: 'must be a whole number from 1 to 2',
    });
  });

  it('refuses a move that breaks the capacity, naming the route and where', () => {
    const input = fourVillages();
    const plan = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const from = routeAt(plan, 'north');
    const to = plan.routes.find((r) => r !== from)!;
    expect(moveStop(input, plan, { stationId: 'north', fromRouteKey: from.routeKey, toRouteKey: to.routeKey })).toEqual({
      ok: false,
      field: 'toRouteKey',
      reason: `capacity exceeded leaving the depot on route ${to.routeKey}: 1350 kg on board leaving the depot, capacity 1000 kg`,
    });
  });

  it('names the stop where collected produce overflows the vehicle', () => {
    const stations = [station('center', 'center', 0, 0), station('a', 'village', 5, 0), station('b', 'village', 10, 0)];
    const pool = [...parcels(60, 'a', 'zto', { direction: 'upstream', weightKg: 10 }), ...parcels(50, 'b', 'zto', { direction: 'upstream', weightKg: 10 })];
    const input = waveInput({ stations, vehicles: [vehicle('van-1'), vehicle('van-2')], parcels: pool });
    const plan = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const from = routeAt(plan, 'b');
    const to = routeAt(plan, 'a');
    const refused = moveStop(input, plan, { stationId: 'b', fromRouteKey: from.routeKey, toRouteKey: to.routeKey, position: 2 });
    expect(refused).toEqual({ ok: false, field: 'position', reason: `capacity exceeded at stop 2 (b) on route ${to.routeKey}: 1100 kg on board after b, capacity 1000 kg` });
  });

  it('refuses a refrigerated parcel on an ambient vehicle', () => {
    const stations = [station('center', 'center', 0, 0), station('near', 'village', 5, 0), station('b', 'village', -5, 3)];
    const peach = parcel('near', 'sf', { direction: 'upstream', coldChainProfileId: 'stone-fruit', weightKg: 5 });
    // 1,800 kg in all: more than the reefer alone, so the van runs too.
    const pool = [peach, ...parcels(12, 'b', 'sf', { weightKg: 100 }), ...parcels(6, 'near', 'sf', { weightKg: 100 })];
    const input = waveInput({ stations, vehicles: [vehicle('van-1'), reefer('reefer-1')], parcels: pool });
    const plan = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const van = plan.routes.find((r) => r.vehicleId === 'van-1')!;
    expect(moveParcel(input, plan, { parcelId: peach.parcelId, toRouteKey: van.routeKey })).toMatchObject({
      ok: false,
      field: 'toRouteKey',
      reason: expect.stringMatching(new RegExp(`^refrigerated parcel on an ambient vehicle at stop \\d \\(near\\) on route ${van.routeKey}: cold-chain parcels on van-1, which is not refrigerated$`)),
    });
  });

  it('refuses a move that would keep the driver out beyond the shift', () => {
    // 120 km east is 168 road km, 4.2 h each way: van-1's 3 h shift cannot take it; van-2 (700 kg) cannot take both.
    const stations = [station('center', 'center', 0, 0), station('near', 'village', 5, 0), station('far', 'village', 0, 120, { openingHours: { daily: '06:00-20:00' } })];
    const input = waveInput({
      stations,
      vehicles: [vehicle('van-1', { maxShiftHours: 3, capacityKg: 2000, capacityM3: 12 }), vehicle('van-2', { capacityKg: 700 })],
      parcels: [...parcels(6, 'near', 'sf', { weightKg: 100 }), ...parcels(5, 'far', 'sf', { weightKg: 100 })],
    });
    const plan = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const short = routeAt(plan, 'near');
    const far = routeAt(plan, 'far');
    expect([short.vehicleId, far.vehicleId]).toEqual(['van-1', 'van-2']);
    expect(moveStop(input, plan, { stationId: 'far', fromRouteKey: far.routeKey, toRouteKey: short.routeKey })).toMatchObject({
      ok: false,
      field: 'toRouteKey',
      reason: expect.stringMatching(new RegExp(`^shift exceeded on route ${short.routeKey}: back at .*, longer than 180 min$`)),
    });
  });

  it('refuses unknown routes and stations, and changes to a locked route until it is unlocked', () => {
    const input = fourVillages();
    const plan = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const [r1, r2] = plan.routes;
    expect(moveStop(input, plan, { stationId: 'north', fromRouteKey: 'r9', toRouteKey: r2!.routeKey })).toEqual({ ok: false, field: 'fromRouteKey', reason: 'no route r9 in this plan' });
    expect(moveStop(input, plan, { stationId: 'north', fromRouteKey: r1!.routeKey, toRouteKey: 'nowhere' })).toEqual({ ok: false, field: 'toRouteKey', reason: 'no route nowhere in this plan' });
    const elsewhere = r2!.stops[0]!.stationId;
    expect(moveStop(input, plan, { stationId: elsewhere, fromRouteKey: r1!.routeKey, toRouteKey: r2!.routeKey })).toEqual({
      ok: false,
      field: 'stationId',
      reason: `route ${r1!.routeKey} does not stop at ${elsewhere}`,
    });
    const locked = ok(lockRoute(input, plan, { routeKey: r1!.routeKey }));
    const station1 = r1!.stops[0]!.stationId;
    expect(moveStop(input, locked, { stationId: station1, fromRouteKey: r1!.routeKey, toRouteKey: r2!.routeKey })).toEqual({
      ok: false,
      field: 'fromRouteKey',
      reason: `route ${r1!.routeKey} is locked; unlock it first`,
    });
    const unlocked = ok(unlock(input, locked, { routeKey: r1!.routeKey }));
    expect(locksOf(unlocked)).toEqual({ routes: [], stops: [] });
    expect(unlocked.routes).toEqual(plan.routes);
  });

  it('moves one parcel to another route, or onto a route from the unplanned list', () => {
    const stations = [
      station('center', 'center', 0, 0),
      station('a', 'village', 5, 0),
      station('b', 'village', -5, 0),
      station('alt', 'village', 0, 6, { serviceFrequency: { kind: 'every_n_days', everyDays: 2, anchorDate: '2025-06-30' } }),
    ];
    const waiting = parcel('alt', 'jt', { since: '2025-07-01T00:00:00.000Z' });
    const input = waveInput({ stations, vehicles: [vehicle('van-1'), vehicle('van-2')], parcels: [...parcels(3, 'a', 'zto'), ...parcels(3, 'b', 'zto'), waiting] });
    const plan = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    expect(plan.unplanned.map((u) => [u.parcelId, u.reason])).toEqual([[waiting.parcelId, 'not_due']]);
    const target = plan.routes[0]!;
    const forced = ok(moveParcel(input, plan, { parcelId: waiting.parcelId, toRouteKey: target.routeKey }));
    expect(forced.unplanned).toEqual([]);
    expect(forced.consolidated.parcels).toBe(plan.consolidated.parcels + 1);
    const carried = forced.routes.find((r) => r.routeKey === target.routeKey)!;
    const stop = carried.stops.find((s) => s.stationId === 'alt')!;
    expect(stop.deliveries).toEqual([waiting.parcelId]);
    expect(carried.parcels.find((p) => p.parcelId === waiting.parcelId)).toMatchObject({ stopSequence: stop.sequence, courierId: 'jt', compartment: 'ambient' });
    expect(carried.cost.total).toBeCloseTo(solverFigures(input, carried).cost.total, 9);
    expect(moveParcel(input, plan, { parcelId: '00000000-0000-4000-8000-999999999999', toRouteKey: target.routeKey })).toEqual({
      ok: false,
      field: 'parcelId',
      reason: "parcel 00000000-0000-4000-8000-999999999999 is not in this wave's pool",
    });
  });

  it('moving one parcel of a stop to another route makes both stop there, each with its own parcels', () => {
    const input = fourVillages({}, 30);
    const plan = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const from = routeAt(plan, 'north');
    const to = plan.routes.find((r) => r !== from)!;
    const one = from.stops.find((s) => s.stationId === 'north')!.deliveries[0]!;
    const split = ok(moveParcel(input, plan, { parcelId: one, toRouteKey: to.routeKey }));
    const both = split.routes.filter((r) => r.stops.some((s) => s.stationId === 'north'));
    expect(both.map((r) => r.routeKey).sort()).toEqual([from.routeKey, to.routeKey].sort());
    const onTo = split.routes.find((r) => r.routeKey === to.routeKey)!;
    expect(onTo.stops.find((s) => s.stationId === 'north')!.deliveries).toEqual([one]);
    expect(split.routes.find((r) => r.routeKey === from.routeKey)!.stops.find((s) => s.stationId === 'north')!.deliveries).not.toContain(one);
    expect(onTo.cost.total).toBeCloseTo(solverFigures(input, onTo).cost.total, 9);
  });
});
