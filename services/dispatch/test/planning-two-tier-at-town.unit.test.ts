import { describe, expect, it } from 'vitest';
import { moveParcel, planWave } from '../src/planning/domain/index.js';
import type { WaveInput } from '../src/planning/domain/types.js';
import { parcel, parcels, SETTINGS, station, vehicle, waveInput } from './planning-fixtures.js';

const never = () => 0;

/** Two towns with their villages; town 1 has a loop van of its own, town 2 none. */
function county(extra: Partial<WaveInput> = {}): WaveInput {
  const stations = [
    station('center', 'center', 0, 0),
    station('ts-1', 'town', 20, 0, { townId: 'town-1' }),
    ...[[24, 2], [23, -3], [18, 5]].map(([n, e], i) => station(`v1-${i + 1}`, 'village', n!, e!, { townId: 'town-1' })),
    station('ts-2', 'town', -20, 0, { townId: 'town-2' }),
    ...[[-24, 2], [-22, -4]].map(([n, e], i) => station(`v2-${i + 1}`, 'village', n!, e!, { townId: 'town-2' })),
  ];
  const vehicles = [
    vehicle('truck-1', { capacityKg: 3000, capacityM3: 16, costPerKmYuan: 2.8, fixedCostPerDayYuan: 350 }),
    vehicle('loop-1', { depotStationId: 'ts-1' }),
    vehicle('van-9'),
  ];
  const pool = ['v1-1', 'v1-3', 'v2-1', 'ts-2'].flatMap((s, i) => parcels(3, s, i % 2 ? 'zto' : 'jt'));
  return waveInput({ stations, vehicles, parcels: pool, settings: { ...SETTINGS, mode: 'two_tier' }, ...extra });
}

const onRoutes = (plan: ReturnType<typeof planWave>, tier: string) =>
  plan.routes.filter((r) => r.tier === tier).flatMap((r) => r.stops.flatMap((s) => [...s.deliveries, ...s.pickups].map((id) => ({ id, route: r, stationId: s.stationId }))));

describe('two-tier mode: parcels waiting at a town station', () => {
  it('has a trunk collect produce a village loop brought to its town station, at that station, and no loop collect it again', () => {
    const input = county();
    const atTown = parcel('v1-2', 'zto', { direction: 'upstream', weightKg: 12, atStationId: 'ts-1' });
    const atOrigin = parcel('v1-2', 'jt', { direction: 'upstream', weightKg: 3 });
    const plan = planWave({ ...input, parcels: [...input.parcels, atTown, atOrigin] }, { seed: 3, budgetSeconds: 1, now: never });
    expect(plan.unplanned).toEqual([]);
    const trunk = onRoutes(plan, 'trunk').filter((x) => x.id === atTown.parcelId);
    expect(trunk).toHaveLength(1);
    expect(trunk[0]!.stationId).toBe('ts-1');
    expect(trunk[0]!.route.stops.find((s) => s.stationId === 'ts-1')!.pickups).toContain(atTown.parcelId);
    expect(onRoutes(plan, 'village').map((x) => x.id)).not.toContain(atTown.parcelId);
    // Produce still at its village is the loop's, as before.
    expect(onRoutes(plan, 'village').filter((x) => x.id === atOrigin.parcelId).map((x) => x.stationId)).toEqual(['v1-2']);
    expect(onRoutes(plan, 'trunk').map((x) => x.id)).not.toContain(atOrigin.parcelId);
    expect(plan.consolidated.parcels).toBe(input.parcels.length + 2);
  });

  it('puts a downstream parcel back at its town station into that town’s loops only, with no trunk leg', () => {
    const input = county();
    const back = parcel('v1-2', 'zto', { weightKg: 4, atStationId: 'ts-1' });
    const plan = planWave({ ...input, parcels: [...input.parcels, back] }, { seed: 3, budgetSeconds: 1, now: never });
    expect(plan.unplanned).toEqual([]);
    expect(onRoutes(plan, 'trunk').map((x) => x.id)).not.toContain(back.parcelId);
    const loop = onRoutes(plan, 'village').filter((x) => x.id === back.parcelId);
    expect(loop.map((x) => [x.route.depotStationId, x.route.vehicleId, x.stationId])).toEqual([['ts-1', 'loop-1', 'v1-2']]);
    expect(loop[0]!.route.parcels.find((p) => p.parcelId === back.parcelId)).toMatchObject({ direction: 'downstream' });
    expect(plan.consolidated.parcels).toBe(input.parcels.length + 1);
  });

  it('plans a loop from a town station whose only parcels are waiting there, though no trunk stops at it', () => {
    const input = county({ parcels: [] });
    const back = [parcel('v2-2', 'jt', { atStationId: 'ts-2' }), parcel('v2-1', 'zto', { atStationId: 'ts-2' })];
    const plan = planWave({ ...input, parcels: back }, { seed: 3, budgetSeconds: 1, now: never });
    expect(plan.unplanned).toEqual([]);
    expect(plan.routes.filter((r) => r.tier === 'trunk')).toEqual([]);
    const loops = plan.routes.filter((r) => r.tier === 'village');
    expect(loops.map((r) => r.depotStationId)).toEqual(['ts-2']);
    // Town 2 has no vehicle of its own: a center vehicle, priced as if based there, leaves at the wave's departure.
    expect(['truck-1', 'van-9']).toContain(loops[0]!.vehicleId);
    expect(loops[0]!.plannedDeparture).toBe(input.departureAt);
    expect(plan.search?.map((c) => c.call).slice(0, 2)).toEqual(['trunk', 'village:ts-2']);
  });

  it('leaves a parcel at a town station its loops cannot carry unplanned with the loop’s reason, and the trunk untouched', () => {
    const input = county();
    const heavy = parcel('v1-3', 'zto', { weightKg: 1500, atStationId: 'ts-1' });
    const plan = planWave({ ...input, parcels: [...input.parcels, heavy] }, { seed: 3, budgetSeconds: 1, now: never });
    expect(plan.unplanned).toEqual([{ parcelId: heavy.parcelId, stationId: 'v1-3', reason: 'capacity', detail: expect.stringMatching(/^village loop from ts-1: /) }]);
    expect(plan.consolidated.parcels).toBe(input.parcels.length);
  });

  it('moves an unplanned parcel waiting at a town station onto that town’s loop only, without a trunk leg', () => {
    const input = county();
    const heavy = parcel('v1-3', 'zto', { weightKg: 1500, atStationId: 'ts-1' });
    const withHeavy = { ...input, parcels: [...input.parcels, heavy] };
    const plan = planWave(withHeavy, { seed: 3, budgetSeconds: 1, now: never });
    const trunk = plan.routes.find((r) => r.tier === 'trunk')!;
    expect(moveParcel(withHeavy, plan, { parcelId: heavy.parcelId, toRouteKey: trunk.routeKey })).toEqual({
      ok: false,
      field: 'toRouteKey',
      reason: `parcel ${heavy.parcelId} waits at ts-1, served by the village loops from there`,
    });
    const light = { ...heavy, weightKg: 2, volumeM3: 0.012 };
    const withLight = { ...input, parcels: [...input.parcels, light] };
    const loop = plan.routes.find((r) => r.tier === 'village' && r.depotStationId === 'ts-1')!;
    const moved = moveParcel(withLight, plan, { parcelId: light.parcelId, toRouteKey: loop.routeKey });
    if (!moved.ok) throw new Error(moved.reason);
    expect(moved.plan.routes.find((r) => r.routeKey === loop.routeKey)!.stops.find((s) => s.stationId === 'v1-3')!.deliveries).toContain(light.parcelId);
    expect(moved.plan.routes.filter((r) => r.tier === 'trunk').flatMap((r) => r.parcels.map((p) => p.parcelId))).not.toContain(light.parcelId);
    expect(moved.plan.unplanned).toEqual([]);
  });

  it('in direct mode collects produce at the town station, and leaves a downstream parcel there with why', () => {
    const input = county();
    const produce = parcel('v1-2', 'zto', { direction: 'upstream', weightKg: 12, atStationId: 'ts-1' });
    const back = parcel('v1-2', 'jt', { atStationId: 'ts-1' });
    const plan = planWave({ ...input, settings: { ...SETTINGS, mode: 'direct' }, parcels: [...input.parcels, produce, back] }, { seed: 3, budgetSeconds: 1, now: never });
    const pickedAt = plan.routes.flatMap((r) => r.stops.filter((s) => s.pickups.includes(produce.parcelId)).map((s) => s.stationId));
    expect(pickedAt).toEqual(['ts-1']);
    expect(plan.unplanned).toEqual([
      { parcelId: back.parcelId, stationId: 'v1-2', reason: 'at_town_station', detail: 'waits at town station ts-1: only a two-tier village loop from there carries it on (mode direct)' },
    ]);
  });
});
