import { describe, expect, it } from 'vitest';
import { planWave, PlanRefusal } from '../src/planning/domain/index.js';
import type { DraftPlan, WaveInput } from '../src/planning/domain/types.js';
import { parcel, parcels, planParcelIds, reefer, ringCounty, SETTINGS, station, vehicle, waveInput } from './planning-fixtures.js';

const never = () => 0;
const plan = (input: WaveInput, seed = 7, budgetSeconds = 2): DraftPlan => planWave(input, { seed, budgetSeconds, now: never });

/** Twelve villages each served by three couriers, who have a van each. */
function sharedVillages(): WaveInput {
  const stations = ringCounty(12);
  const couriers = ['zto', 'yunda', 'jt'];
  const vehicles = [
    vehicle('center-van-1'),
    vehicle('center-van-2'),
    vehicle('zto-van', { owner: { kind: 'courier', courierId: 'zto' } }),
    vehicle('yunda-van', { owner: { kind: 'courier', courierId: 'yunda' } }),
  ];
  const pool = stations.filter((s) => s.kind !== 'center').flatMap((s, i) => couriers.flatMap((c, j) => parcels(3 + ((i + j) % 4), s.id, c)));
  return waveInput({ stations, vehicles, parcels: pool });
}

describe('planWave, direct mode', () => {
  it('where several couriers deliver to the same villages, the consolidated plan costs less than the counterfactual on the same parcels', () => {
    const input = sharedVillages();
    const result = plan(input);
    expect(result.unplanned).toEqual([]);
    expect(result.consolidated.parcels).toBe(input.parcels.length);
    expect(result.counterfactual.parcels).toBe(input.parcels.length);
    expect(result.consolidated.cost.total).toBeLessThan(result.counterfactual.cost.total);
    expect(result.reductionVsCounterfactualPct).toBeGreaterThan(0);
    expect(result.reductionVsCounterfactualPct).toBeCloseTo((1 - result.consolidated.costPerParcel / result.counterfactual.costPerParcel) * 100, 9);
    expect(result.reductionVsSurveyedPct).toBeCloseTo((1 - result.consolidated.costPerParcel / 2.5) * 100, 9);
    expect(result.surveyedCostPerParcel).toBe(2.5);
    // Each courier alone: its van (zto, yunda) or hired vehicles of the default type (jt); one call each.
    expect(result.counterfactual.byCourier.map((c) => c.courierId)).toEqual(['jt', 'yunda', 'zto']);
    expect(result.search?.map((c) => c.call)).toEqual(['consolidated', 'counterfactual:jt', 'counterfactual:yunda', 'counterfactual:zto']);
  });

  it('carries every parcel once, with stops in time order, loads that add up and costs split into fixed, distance and time', () => {
    const input = sharedVillages();
    const result = plan(input);
    const ids = planParcelIds(result);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(input.parcels.map((p) => p.parcelId).sort());
    const weight = new Map(input.parcels.map((p) => [p.parcelId, p.weightKg]));
    for (const route of result.routes) {
      expect(route.tier).toBe('direct');
      expect(route.depotStationId).toBe('center');
      expect(route.plannedDeparture).toBe(input.departureAt);
      expect(route.cost.total).toBeCloseTo(route.cost.fixed + route.cost.distance + route.cost.time, 9);
      let onBoard = route.stops.reduce((kg, s) => kg + s.deliveries.reduce((a, id) => a + weight.get(id)!, 0), 0);
      let previous = route.plannedDeparture;
      for (const stop of route.stops) {
        expect(stop.plannedArrival >= previous).toBe(true);
        expect(stop.plannedDeparture > stop.plannedArrival).toBe(true);
        // Opening hours 08:00–18:00 Beijing time: service starts by 18:00 (10:00 UTC) and ends after 08:00.
        expect(stop.plannedDeparture > '2025-07-01T00:00:00.000Z').toBe(true);
        expect(stop.plannedArrival <= '2025-07-01T10:00:00.000Z').toBe(true);
        onBoard -= stop.deliveries.reduce((a, id) => a + weight.get(id)!, 0);
        expect(stop.loadKgAfter).toBeCloseTo(onBoard, 6);
        previous = stop.plannedDeparture;
      }
      expect(route.plannedReturn >= previous).toBe(true);
      for (const p of route.parcels) expect(route.stops[p.stopSequence - 1]!.deliveries).toContain(p.parcelId);
    }
  });

  it("splits the plan's cost over the couriers: their parts add up to it", () => {
    const result = plan(sharedVillages());
    const sum = result.consolidated.byCourier.reduce((a, c) => a + c.cost, 0);
    expect(sum).toBeCloseTo(result.consolidated.cost.total, 6);
    expect(result.consolidated.byCourier.reduce((a, c) => a + c.parcels, 0)).toBe(result.consolidated.parcels);
    for (const c of result.consolidated.byCourier) expect(c.costPerParcel).toBeCloseTo(c.cost / c.parcels, 9);
  });

  it('gives the same plan for the same seed and budget, and records both', () => {
    const input = sharedVillages();
    const a = plan(input, 42);
    const b = plan(input, 42);
    expect(b).toEqual(a);
    expect(a.seed).toBe(42);
    expect(a.budgetSeconds).toBe(2);
    for (const call of a.search!) expect(call.iterationsRun).toBe(call.iterations);
  });

  it('reports a parcel that fits no vehicle with the reason, and plans the rest', () => {
    const stations = ringCounty(4);
    const piano = parcel('v2', 'sf', { weightKg: 1800 });
    const input = waveInput({ stations, vehicles: [vehicle('van-1')], parcels: [piano, ...parcels(5, 'v1', 'sf')] });
    const result = plan(input);
    expect(result.unplanned).toEqual([{ parcelId: piano.parcelId, stationId: 'v2', reason: 'capacity', detail: expect.stringContaining('too heavy or bulky') }]);
    expect(result.consolidated.parcels).toBe(5);
  });

  it('puts cold-chain parcels in the refrigerated compartment of a refrigerated vehicle, or reports none is free', () => {
    const stations = ringCounty(4);
    const peaches = parcels(4, 'v1', 'sf', { direction: 'upstream', coldChainProfileId: 'stone-fruit', weightKg: 5 });
    const ambient = parcels(6, 'v1', 'sf');
    const withReefer = plan(waveInput({ stations, vehicles: [vehicle('van-1'), reefer('reefer-1')], parcels: [...peaches, ...ambient] }));
    const onReefer = withReefer.routes.find((r) => r.vehicleId === 'reefer-1')!;
    for (const p of peaches) {
      expect(onReefer.parcels.find((q) => q.parcelId === p.parcelId)).toMatchObject({ compartment: 'refrigerated', coldChainProfileId: 'stone-fruit', direction: 'upstream' });
    }
    const refrigerated = withReefer.routes.flatMap((r) => r.parcels.filter((p) => p.compartment === 'refrigerated').map((p) => p.parcelId));
    expect(refrigerated.sort()).toEqual(peaches.map((p) => p.parcelId).sort());
    const without = plan(waveInput({ stations, vehicles: [vehicle('van-1')], parcels: [...peaches, ...ambient] }));
    expect(without.unplanned.map((u) => u.reason)).toEqual(peaches.map(() => 'no_refrigerated_vehicle'));
    expect(without.consolidated.parcels).toBe(6);
  });

  it('cuts a station whose parcels exceed one vehicle into stops that fit, served by several vehicles', () => {
    const stations = ringCounty(2);
    const input = waveInput({ stations, vehicles: [vehicle('van-1'), vehicle('van-2'), vehicle('van-3')], parcels: parcels(100, 'town-1', 'zto', { weightKg: 25 }) });
    const result = plan(input);
    expect(result.unplanned).toEqual([]);
    const serving = result.routes.filter((r) => r.stops.some((s) => s.stationId === 'town-1'));
    expect(serving.length).toBeGreaterThanOrEqual(3);
    for (const r of serving) expect(r.stops[0]!.deliveries.length * 25).toBeLessThanOrEqual(1000);
  });

  it('charges no fixed cost for a vehicle that already ran a wave today', () => {
    const stations = ringCounty(3);
    const pool = parcels(10, 'v1', 'zto');
    const fresh = plan(waveInput({ stations, vehicles: [vehicle('van-1')], parcels: pool }));
    const used = plan(waveInput({ stations, vehicles: [vehicle('van-1')], parcels: pool, vehiclesUsedToday: ['van-1'] }));
    expect(fresh.routes[0]!.cost.fixed).toBe(250);
    expect(used.routes[0]!.cost.fixed).toBe(0);
    expect(used.consolidated.cost.total).toBeCloseTo(fresh.consolidated.cost.total - 250, 9);
  });

  it('reports the opening hours or the shift a vehicle cannot keep, and a station closed that day', () => {
    const stations = [
      ...ringCounty(2),
      station('early', 'village', 100, 0, { openingHours: { daily: '08:00-10:00' } }),
      station('far', 'village', 200, 0),
      station('sundays', 'village', 5, 5, { openingHours: { sun: '09:00-12:00' } }),
    ];
    const early = parcel('early', 'zto');
    const far = parcel('far', 'zto');
    const closed = parcel('sundays', 'zto');
    const result = plan(waveInput({ stations, vehicles: [vehicle('van-1')], parcels: [early, far, closed, ...parcels(3, 'v1', 'zto')] }));
    // 100 km north is 140 road km, 3.5 h at 40 km/h: 10:30, after `early` closes; `far` is reached by 14:00 but the
    // van would be back after its 11 h shift.
    expect(result.unplanned).toEqual([
      { parcelId: early.parcelId, stationId: 'early', reason: 'time_window', detail: 'no free vehicle reaches early within its opening hours (08:00–10:00)' },
      { parcelId: far.parcelId, stationId: 'far', reason: 'shift_length', detail: expect.stringContaining('not with the driver back within the shift') },
      { parcelId: closed.parcelId, stationId: 'sundays', reason: 'station_closed', detail: 'sundays is closed on 2025-07-01' },
    ]);
  });

  it('prices travel from the uploaded matrix when it names every station the wave needs, else from coordinates', () => {
    const stations = [station('center', 'center', 0, 0), station('a', 'village', 3, 0), station('b', 'village', 0, 3)];
    const pool = [...parcels(2, 'a', 'zto'), ...parcels(2, 'b', 'zto')];
    const matrix = {
      stationIds: ['center', 'a', 'b'],
      distanceKm: [[0, 50, 60], [50, 0, 10], [60, 10, 0]],
      durationMinutes: [[0, 60, 70], [60, 0, 15], [70, 15, 0]],
    };
    const withMatrix = plan(waveInput({ stations, vehicles: [vehicle('van-1')], parcels: pool, matrix }));
    expect(withMatrix.travel).toBe('matrix');
    expect(withMatrix.routes[0]!.distanceKm).toBe(120);
    const partial = plan(waveInput({ stations, vehicles: [vehicle('van-1')], parcels: pool, matrix: { ...matrix, stationIds: ['center', 'a', 'x'] } }));
    expect(partial.travel).toBe('coordinates');
    expect(partial.routes[0]!.distanceKm).toBeLessThan(20);
  });

  it('with no vehicle free, every parcel is unplanned for capacity and the plan is empty', () => {
    const result = plan(waveInput({ stations: ringCounty(2), vehicles: [], parcels: parcels(3, 'v1', 'zto') }));
    expect(result.routes).toEqual([]);
    expect(result.unplanned.map((u) => u.reason)).toEqual(['capacity', 'capacity', 'capacity']);
    expect(result.consolidated).toMatchObject({ parcels: 0, costPerParcel: 0, routes: 0 });
    expect(result.reductionVsCounterfactualPct).toBe(0);
  });

  it('uses the settings’ service minutes at every stop', () => {
    const stations = ringCounty(2);
    const input = waveInput({ stations, vehicles: [vehicle('van-1')], parcels: parcels(2, 'v1', 'zto'), settings: { ...SETTINGS, serviceMinutes: 25 } });
    const stop = plan(input).routes[0]!.stops[0]!;
    const minutes = (Date.parse(stop.plannedDeparture) - Math.max(Date.parse(stop.plannedArrival), Date.parse('2025-07-01T00:00:00Z'))) / 60_000;
    expect(minutes).toBe(25);
  });

  it('refuses a budget or seed it cannot use, naming the field', () => {
    const input = waveInput({ stations: ringCounty(2), vehicles: [vehicle('van-1')], parcels: parcels(1, 'v1', 'zto') });
    expect(() => planWave(input, { seed: 1, budgetSeconds: 0 })).toThrow(new PlanRefusal('budgetSeconds', 'must be a number of seconds above 0'));
    expect(() => planWave(input, { seed: -1, budgetSeconds: 1 })).toThrow(new PlanRefusal('seed', 'must be a whole number, 0 or more'));
  });
});
