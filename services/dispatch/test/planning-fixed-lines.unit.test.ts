import { describe, expect, it } from 'vitest';
import { planWave } from '../src/planning/domain/index.js';
import type { FixedLine, WaveInput } from '../src/planning/domain/types.js';
import { parcels, SETTINGS, station, vehicle, waveInput } from './planning-fixtures.js';

const never = () => 0;

/** 2025-07-01 is a Tuesday (ISO 2). */
const TUESDAY = 2;

function county(lines: FixedLine[], pool: WaveInput['parcels'], extra: Partial<WaveInput> = {}): WaveInput {
  const stations = [
    station('center', 'center', 0, 0),
    station('a', 'village', 10, 0),
    station('b', 'village', 10, 2),
    station('z', 'village', -10, 0),
    station('c', 'village', 0, 10),
    station('d', 'village', 0, -10),
    station('far', 'village', 0, 150, { openingHours: { daily: '06:00-22:00' } }),
  ];
  return waveInput({ stations, vehicles: [vehicle('van-1'), vehicle('van-2'), vehicle('van-3')], parcels: pool, fixedLines: lines, settings: { ...SETTINGS, mode: 'fixed_lines' }, ...extra });
}

const older = (n: number) => `2025-06-30T0${n}:00:00.000Z`;

describe('fixed lines', () => {
  it("loads each parcel on the line that serves its station that day, oldest first, and reports what overflows the line's vehicle", () => {
    const lines: FixedLine[] = [{ id: 'l1', name: 'North line', stationIds: ['a', 'b'], vehicleId: 'van-1', weekdays: [TUESDAY, 4] }];
    const first = parcels(6, 'a', 'zto', { weightKg: 100, since: older(1) });
    const second = parcels(6, 'b', 'yunda', { weightKg: 100, since: older(2) });
    const plan = planWave(county(lines, [...second, ...first]), { seed: 1, budgetSeconds: 1, now: never });
    expect(plan.mode).toBe('fixed_lines');
    expect(plan.routes).toHaveLength(1);
    const route = plan.routes[0]!;
    expect(route.vehicleId).toBe('van-1');
    expect(route.stops.map((s) => s.stationId)).toEqual(['a', 'b']);
    expect(route.stops[0]!.deliveries.sort()).toEqual(first.map((p) => p.parcelId).sort());
    expect(route.stops[1]!.deliveries).toHaveLength(4);
    expect(plan.unplanned).toHaveLength(2);
    for (const u of plan.unplanned) {
      expect(u).toMatchObject({ stationId: 'b', reason: 'line_overflow', detail: 'line North line: van-1 is full (1000 of 1000 kg)' });
    }
  });

  it('says when no line serves a station that day, and the next date one does', () => {
    const lines: FixedLine[] = [
      { id: 'l1', name: 'North line', stationIds: ['a'], vehicleId: 'van-1', weekdays: [TUESDAY] },
      { id: 'l2', name: 'East line', stationIds: ['c'], vehicleId: 'van-2', weekdays: [4] },
    ];
    const [east] = parcels(1, 'c', 'zto');
    const [west] = parcels(1, 'd', 'zto');
    const plan = planWave(county(lines, [east!, west!, ...parcels(2, 'a', 'zto')]), { seed: 1, budgetSeconds: 1, now: never });
    expect(plan.unplanned).toEqual([
      { parcelId: east!.parcelId, stationId: 'c', reason: 'no_line', detail: 'no line serves c on Tuesday; next: line East line on 2025-07-03' },
      { parcelId: west!.parcelId, stationId: 'd', reason: 'no_line', detail: 'no fixed line serves d' },
    ]);
  });

  it("reports a station the line's vehicle cannot serve within its shift as overflow, and drives the rest", () => {
    const lines: FixedLine[] = [{ id: 'l1', name: 'Long line', stationIds: ['a', 'far'], vehicleId: 'van-1', weekdays: [TUESDAY] }];
    const plan = planWave(county(lines, [...parcels(2, 'a', 'zto'), ...parcels(2, 'far', 'zto')]), { seed: 1, budgetSeconds: 1, now: never });
    expect(plan.routes[0]!.stops.map((s) => s.stationId)).toEqual(['a']);
    expect(plan.unplanned.map((u) => [u.stationId, u.reason])).toEqual([
      ['far', 'line_overflow'],
      ['far', 'line_overflow'],
    ]);
    expect(plan.unplanned[0]!.detail).toMatch(/^line Long line \(van-1\) cannot serve far: back at .* longer than 660 min$/);
  });

  it("shows the optimizer's plan of the same parcels beside the lines, with both costs and the saving", () => {
    // A line drawn badly: north, south, north again.
    const lines: FixedLine[] = [{ id: 'zig', name: 'Zigzag', stationIds: ['a', 'z', 'b'], vehicleId: 'van-1', weekdays: [TUESDAY] }];
    const pool = [...parcels(3, 'a', 'zto'), ...parcels(3, 'z', 'yunda'), ...parcels(3, 'b', 'jt')];
    const plan = planWave(county(lines, pool), { seed: 1, budgetSeconds: 1, now: never });
    const comparison = plan.optimizerComparison!;
    expect(comparison.consolidated.parcels).toBe(plan.consolidated.parcels);
    expect(comparison.consolidated.parcels).toBe(9);
    expect(comparison.consolidated.cost.total).toBeLessThan(plan.consolidated.cost.total);
    expect(comparison.savingPct).toBeCloseTo((1 - comparison.consolidated.costPerParcel / plan.consolidated.costPerParcel) * 100, 9);
    expect(comparison.savingPct).toBeGreaterThan(0);
    expect(plan.search?.[0]?.call).toBe('optimizer');
    // The counterfactual prices the parcels the lines carried.
    expect(plan.counterfactual.parcels).toBe(9);
  });

  it('a line whose vehicle is not free for the wave carries nothing, and says so', () => {
    const lines: FixedLine[] = [{ id: 'l1', name: 'North line', stationIds: ['a'], vehicleId: 'van-9', weekdays: [TUESDAY] }];
    const plan = planWave(county(lines, parcels(2, 'a', 'zto')), { seed: 1, budgetSeconds: 1, now: never });
    expect(plan.routes).toEqual([]);
    expect(plan.unplanned.map((u) => u.detail)).toEqual(['vehicle van-9 of line North line is not free for this wave', 'vehicle van-9 of line North line is not free for this wave']);
  });
});
