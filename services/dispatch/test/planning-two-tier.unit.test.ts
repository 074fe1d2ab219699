import { describe, expect, it } from 'vitest';
import { lockRoute, locksOf, moveStop, planWave } from '../src/planning/domain/index.js';
import type { WaveInput } from '../src/planning/domain/types.js';
import { parcel, parcels, SETTINGS, station, vehicle, waveInput } from './planning-fixtures.js';

const never = () => 0;

/** Two towns with their villages, and a village whose town has no station of its own. */
function twoTowns(): WaveInput {
  const stations = [
    station('center', 'center', 0, 0),
    station('ts-1', 'town', 20, 0, { townId: 'town-1' }),
    ...[[24, 2], [23, -3], [18, 5], [26, 0]].map(([n, e], i) => station(`v1-${i + 1}`, 'village', n!, e!, { townId: 'town-1' })),
    station('ts-2', 'town', -20, 0, { townId: 'town-2' }),
    ...[[-24, 2], [-22, -4], [-18, 4]].map(([n, e], i) => station(`v2-${i + 1}`, 'village', n!, e!, { townId: 'town-2' })),
    station('lonely', 'village', 0, 15, { townId: 'town-3' }),
  ];
  const vehicles = [
    vehicle('truck-1', { capacityKg: 3000, capacityM3: 16, costPerKmYuan: 2.8, fixedCostPerDayYuan: 350 }),
    vehicle('truck-2', { capacityKg: 3000, capacityM3: 16, costPerKmYuan: 2.8, fixedCostPerDayYuan: 350 }),
    vehicle('loop-1', { depotStationId: 'ts-1', owner: { kind: 'courier', courierId: 'zto' } }),
    vehicle('van-9'),
  ];
  const pool = [
    ...['v1-1', 'v1-2', 'v1-3', 'v1-4', 'v2-1', 'v2-2', 'v2-3', 'lonely', 'ts-1', 'ts-2'].flatMap((s, i) => parcels(4 + (i % 3), s, i % 2 ? 'zto' : 'jt')),
  ];
  return waveInput({ stations, vehicles, parcels: pool, settings: { ...SETTINGS, mode: 'two_tier' } });
}

describe('two-tier mode', () => {
  it('runs trunk routes from the center to the town stations with their villages’ parcels, then village loops from each town station', () => {
    const input = twoTowns();
    const produce = parcel('v1-2', 'zto', { direction: 'upstream', weightKg: 2.5 });
    const withProduce = { ...input, parcels: [...input.parcels, produce] };
    const plan = planWave(withProduce, { seed: 3, budgetSeconds: 1, now: never });
    expect(plan.unplanned).toEqual([]);
    const trunks = plan.routes.filter((r) => r.tier === 'trunk');
    const loops = plan.routes.filter((r) => r.tier === 'village');
    expect(trunks.length).toBeGreaterThan(0);
    for (const t of trunks) {
      expect(t.depotStationId).toBe('center');
      for (const s of t.stops) expect(['ts-1', 'ts-2', 'lonely']).toContain(s.stationId);
    }
    const stationOf = new Map(withProduce.parcels.map((p) => [p.parcelId, p.stationId]));
    const handedToTs1 = trunks.flatMap((t) => t.stops.filter((s) => s.stationId === 'ts-1').flatMap((s) => s.deliveries));
    const forTown1 = withProduce.parcels.filter((p) => p.direction === 'downstream' && (p.stationId === 'ts-1' || p.stationId.startsWith('v1-'))).map((p) => p.parcelId);
    expect(handedToTs1.sort()).toEqual(forTown1.sort());
    // Town 1's loops run on its own vehicle; town 2 has none, so it gets a center vehicle the trunk left.
    const loops1 = loops.filter((l) => l.depotStationId === 'ts-1');
    const loops2 = loops.filter((l) => l.depotStationId === 'ts-2');
    expect(loops1.map((l) => l.vehicleId)).toEqual(['loop-1']);
    expect(loops2).toHaveLength(1);
    expect(['truck-1', 'truck-2', 'van-9']).toContain(loops2[0]!.vehicleId);
    expect(trunks.map((t) => t.vehicleId)).not.toContain(loops2[0]!.vehicleId);
    for (const loop of loops) {
      const town = loop.depotStationId;
      const handover = trunks.flatMap((t) => t.stops.filter((s) => s.stationId === town).map((s) => s.plannedDeparture)).sort().at(-1)!;
      expect(loop.plannedDeparture >= handover).toBe(true);
      for (const s of loop.stops) for (const id of [...s.deliveries, ...s.pickups]) expect(stationOf.get(id)).toBe(s.stationId);
    }
    // Produce is collected by the loop, not the trunk.
    expect(loops1.flatMap((l) => l.stops.flatMap((s) => s.pickups))).toEqual([produce.parcelId]);
    expect(trunks.flatMap((t) => t.parcels.map((p) => p.parcelId))).not.toContain(produce.parcelId);
    // A village parcel rides two routes but counts once.
    expect(plan.consolidated.parcels).toBe(withProduce.parcels.length);
    expect(plan.search?.map((c) => c.call).slice(0, 3)).toEqual(['trunk', 'village:ts-1', 'village:ts-2']);
  });

  it('takes a village parcel its loop cannot serve off the trunk too, and says why', () => {
    const input = twoTowns();
    const heavy = parcel('v1-3', 'zto', { weightKg: 1500 });
    const plan = planWave({ ...input, parcels: [...input.parcels, heavy] }, { seed: 3, budgetSeconds: 1, now: never });
    expect(plan.unplanned).toEqual([{ parcelId: heavy.parcelId, stationId: 'v1-3', reason: 'capacity', detail: expect.stringMatching(/^village loop from ts-1: /) }]);
    expect(plan.routes.flatMap((r) => r.parcels.map((p) => p.parcelId))).not.toContain(heavy.parcelId);
  });

  it('refuses to move a village stop onto a trunk route', () => {
    const input = twoTowns();
    const plan = planWave(input, { seed: 3, budgetSeconds: 1, now: never });
    const loop = plan.routes.find((r) => r.tier === 'village')!;
    const trunk = plan.routes.find((r) => r.tier === 'trunk')!;
    expect(moveStop(input, plan, { stationId: loop.stops[0]!.stationId, fromRouteKey: loop.routeKey, toRouteKey: trunk.routeKey })).toEqual({
      ok: false,
      field: 'toRouteKey',
      reason: `route ${trunk.routeKey} is a trunk route and ${loop.routeKey} a village route`,
    });
  });

  it('a re-plan keeps a locked trunk route and a locked village loop', () => {
    const input = twoTowns();
    const plan = planWave(input, { seed: 3, budgetSeconds: 1, now: never });
    const trunk = plan.routes.find((r) => r.tier === 'trunk')!;
    const loop = plan.routes.find((r) => r.tier === 'village')!;
    let locked = lockRoute(input, plan, { routeKey: trunk.routeKey });
    if (!locked.ok) throw new Error(locked.reason);
    locked = lockRoute(input, locked.plan, { routeKey: loop.routeKey });
    if (!locked.ok) throw new Error(locked.reason);
    const again = planWave(input, { seed: 11, budgetSeconds: 1, locks: locksOf(locked.plan), now: never });
    for (const kept of [trunk, loop]) {
      const route = again.routes.find((r) => r.routeKey === kept.routeKey)!;
      expect(route).toMatchObject({ vehicleId: kept.vehicleId, tier: kept.tier, depotStationId: kept.depotStationId, locked: true });
      expect(route.stops.map((s) => [s.stationId, s.deliveries, s.pickups])).toEqual(kept.stops.map((s) => [s.stationId, s.deliveries, s.pickups]));
    }
    expect(again.consolidated.parcels).toBe(input.parcels.length);
  });
});
