import { describe, expect, it } from 'vitest';
import { checkSolution, InvalidProblemError, solve, type GeoPoint, type Problem, type Stop, type VehicleType } from '../src/index.js';
import { randomProblem } from './support/random-problem.js';

const SEAT: GeoPoint = { lat: 26.49, lon: 113.77 };
const at = (northKm: number, eastKm: number): GeoPoint => ({ lat: SEAT.lat + northKm / 111.195, lon: SEAT.lon + eastKm / 99.5 });
const van: VehicleType = { id: 'van', capacityKg: 1000, fixedCostPerDay: 250, costPerKm: 2, costPerHour: 30, count: 2 };
const hired: VehicleType = { id: 'hired', capacityKg: 1000, fixedCostPerDay: 400, costPerKm: 2.5, costPerHour: 30 };

function problem(stops: Stop[]): Problem {
  return { depot: { location: SEAT }, stops, vehicleTypes: [van, hired], travel: { roadFactor: 1.3, averageSpeedKmh: 40 } };
}

function stopsOf(solution: ReturnType<typeof solve>, vehicleId: string): string[] {
  return solution.routes.find((r) => r.vehicleId === vehicleId)?.visits.map((v) => v.stopId) ?? [];
}

describe('locked stops', () => {
  it('stay on their vehicle in lock order, even when another order is shorter', () => {
    const p = problem([
      { id: 'near', location: at(5, 0), lock: { vehicleId: 'van-2', position: 2 } },
      { id: 'far', location: at(20, 0), lock: { vehicleId: 'van-2', position: 1 } },
      { id: 'middle', location: at(12, 0), lock: { vehicleId: 'van-2', position: 3 } },
      ...Array.from({ length: 8 }, (_, i) => ({ id: `free${i}`, location: at(3 * i - 10, 8), deliveryKg: 100 })),
    ]);
    const solution = solve(p, { iterations: 500 });
    expect(checkSolution(p, solution).violations).toEqual([]);
    expect(stopsOf(solution, 'van-2').filter((id) => !id.startsWith('free'))).toEqual(['far', 'near', 'middle']);
  });

  it('can name a vehicle of an unlimited type', () => {
    const p = problem([
      { id: 'a', location: at(1, 1), lock: { vehicleId: 'hired-3', position: 0 } },
      { id: 'b', location: at(2, 1) },
    ]);
    const solution = solve(p, { iterations: 100 });
    expect(checkSolution(p, solution).violations).toEqual([]);
    expect(stopsOf(solution, 'hired-3')).toContain('a');
  });

  it.each([1, 2, 3, 4])('are honoured in random problem %i', (seed) => {
    const p = randomProblem(seed);
    const solution = solve(p, { seed, iterations: 300 });
    const locked = p.stops.filter((s) => s.lock).map((s) => s.id);
    expect(locked.length).toBeGreaterThan(0);
    expect(stopsOf(solution, 'van-2').filter((id) => locked.includes(id))).toEqual(locked);
  });

  it('to a vehicle that does not exist make the problem invalid', () => {
    const p = problem([{ id: 'a', location: at(1, 1), lock: { vehicleId: 'van-3', position: 0 } }]);
    expect(() => solve(p)).toThrow(InvalidProblemError);
  });

  it('that no plan can honour make the problem invalid', () => {
    const p = problem([
      { id: 'a', location: at(1, 1), deliveryKg: 600, lock: { vehicleId: 'van-1', position: 0 } },
      { id: 'b', location: at(2, 1), deliveryKg: 600, lock: { vehicleId: 'van-1', position: 1 } },
    ]);
    expect(() => solve(p)).toThrow(/van-1 exceed its capacity/);
  });

  it('of refrigerated goods on a vehicle that is not refrigerated make the problem invalid', () => {
    const p = problem([{ id: 'a', location: at(1, 1), refrigerated: true, lock: { vehicleId: 'van-1', position: 0 } }]);
    expect(() => solve(p)).toThrow(/not refrigerated/);
  });
});
