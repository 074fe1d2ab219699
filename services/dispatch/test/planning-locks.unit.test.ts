import { describe, expect, it } from 'vitest';
import { lockRoute, lockStop, locksOf, planWave, PlanRefusal, type EditResult } from '../src/planning/domain/index.js';
import type { DraftPlan, PlanLocks, WaveInput } from '../src/planning/domain/types.js';
import { parcels, ringCounty, vehicle, waveInput } from './planning-fixtures.js';

const never = () => 0;

function wave(): WaveInput {
  const stations = ringCounty(10);
  const pool = stations.filter((s) => s.kind !== 'center').flatMap((s, i) => parcels(20 + (i % 3) * 10, s.id, i % 2 ? 'zto' : 'yunda', { weightKg: 4 }));
  return waveInput({ stations, vehicles: [vehicle('van-1'), vehicle('van-2'), vehicle('van-3'), vehicle('van-4')], parcels: pool });
}

function ok(result: EditResult): DraftPlan {
  if (!result.ok) throw new Error(`${result.field}: ${result.reason}`);
  return result.plan;
}

function refusalOf(run: () => unknown): { field: string; reason: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof PlanRefusal) return { field: error.field, reason: error.reason };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('locks in a re-plan', () => {
  it('a locked route keeps its key, vehicle, stops, their order and its parcels, whatever the seed', () => {
    const input = wave();
    const first = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const chosen = first.routes[1]!;
    const locked = ok(lockRoute(input, first, { routeKey: chosen.routeKey }));
    const more = { ...input, parcels: [...input.parcels, ...parcels(15, 'v3', 'jt', { weightKg: 4 })] };
    const again = planWave(more, { seed: 99, budgetSeconds: 1, locks: locksOf(locked), now: never });
    const kept = again.routes.find((r) => r.routeKey === chosen.routeKey)!;
    expect(kept).toMatchObject({ vehicleId: chosen.vehicleId, locked: true });
    expect(kept.stops.map((s) => [s.stationId, s.deliveries, s.locked])).toEqual(chosen.stops.map((s) => [s.stationId, s.deliveries, true]));
    expect(kept.cost).toEqual(chosen.cost);
    // The new parcels went elsewhere, and every other route got a fresh key.
    expect(again.routes.filter((r) => r.vehicleId === chosen.vehicleId)).toHaveLength(1);
    expect(new Set(again.routes.map((r) => r.routeKey)).size).toBe(again.routes.length);
    expect(again.consolidated.parcels).toBe(more.parcels.length);
  });

  it('a locked stop stays on its vehicle while the rest is re-planned around it', () => {
    const input = wave();
    const first = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const route = first.routes[0]!;
    const station = route.stops[route.stops.length - 1]!.stationId;
    const locked = ok(lockStop(input, first, { routeKey: route.routeKey, stationId: station }));
    expect(locksOf(locked)).toEqual({ routes: [], stops: [{ vehicleId: route.vehicleId, stationId: station }] });
    for (const seed of [2, 3, 4]) {
      const again = planWave(input, { seed, budgetSeconds: 1, locks: locksOf(locked), now: never });
      const on = again.routes.filter((r) => r.stops.some((s) => s.stationId === station));
      expect(on.map((r) => r.vehicleId)).toEqual([route.vehicleId]);
      expect(on[0]!.stops.find((s) => s.stationId === station)!.locked).toBe(true);
    }
  });

  it('refuses a locked route whose vehicle is no longer free, naming the lock', () => {
    const input = wave();
    const first = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const locks = locksOf(ok(lockRoute(input, first, { routeKey: 'r1' })));
    const without = { ...input, vehicles: input.vehicles.filter((v) => v.id !== first.routes[0]!.vehicleId) };
    expect(refusalOf(() => planWave(without, { seed: 1, budgetSeconds: 1, locks, now: never }))).toEqual({
      field: 'locks.routes[0].vehicleId',
      reason: `${first.routes[0]!.vehicleId} is not free for this wave`,
    });
  });

  it('refuses a locked route its vehicle can no longer carry, or a stop it can no longer reach in its hours, naming it', () => {
    const input = wave();
    const first = planWave(input, { seed: 1, budgetSeconds: 1, now: never });
    const route = first.routes[0]!;
    const locks = locksOf(ok(lockRoute(input, first, { routeKey: route.routeKey })));
    const smaller = { ...input, vehicles: input.vehicles.map((v) => (v.id === route.vehicleId ? { ...v, capacityKg: 50 } : v)) };
    const refusal = refusalOf(() => planWave(smaller, { seed: 1, budgetSeconds: 1, locks, now: never }));
    expect(refusal.field).toBe('locks.routes[0]');
    expect(refusal.reason).toMatch(/no longer fits its vehicle: .* on board leaving the depot, capacity 50 kg/);
    const k = route.stops.length - 1;
    const last = route.stops[k]!.stationId;
    const shorter = { ...input, stations: input.stations.map((s) => (s.id === last ? { ...s, openingHours: { daily: '06:00-07:01' } } : s)) };
    const closed = refusalOf(() => planWave(shorter, { seed: 1, budgetSeconds: 1, locks, now: never }));
    expect(closed.field).toBe(`locks.routes[0].stops[${k}]`);
    expect(closed.reason).toMatch(new RegExp(`cannot keep stop ${k + 1} \\(${last}\\): arrives at .*, after ${last} closes at 07:01`));
  });

  it('refuses a locked stop no vehicle could honour, or one with nothing to serve', () => {
    const input = wave();
    const tooSmall: PlanLocks = { routes: [], stops: [{ vehicleId: 'tiny', stationId: 'v1' }] };
    const withTiny = { ...input, vehicles: [...input.vehicles, vehicle('tiny', { capacityKg: 30 })] };
    const refusal = refusalOf(() => planWave(withTiny, { seed: 1, budgetSeconds: 1, locks: tooSmall, now: never }));
    expect(refusal.field).toBe('locks.stops[0]');
    expect(refusal.reason).toMatch(/capacity/);
    const nothing: PlanLocks = { routes: [], stops: [{ vehicleId: 'van-1', stationId: 'center' }] };
    expect(refusalOf(() => planWave(input, { seed: 1, budgetSeconds: 1, locks: nothing, now: never }))).toEqual({
      field: 'locks.stops[0].stationId',
      reason: 'nothing to hand over or collect at center in this wave that van-1 can carry',
    });
    const ghost: PlanLocks = { routes: [], stops: [{ vehicleId: 'ghost', stationId: 'v1' }] };
    expect(refusalOf(() => planWave(input, { seed: 1, budgetSeconds: 1, locks: ghost, now: never })).field).toBe('locks.stops[0].vehicleId');
  });
});
