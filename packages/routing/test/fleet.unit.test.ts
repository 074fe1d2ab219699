import { describe, expect, it } from 'vitest';
import { checkSolution, solve, type GeoPoint, type Problem, type VehicleType } from '../src/index.js';

const SEAT: GeoPoint = { lat: 26.49, lon: 113.77 };
const van: VehicleType = { id: 'van', capacityKg: 1000, fixedCostPerDay: 250, costPerKm: 2, costPerHour: 0, count: 4 };
const truck: VehicleType = { id: 'truck', capacityKg: 3000, fixedCostPerDay: 320, costPerKm: 2.2, costPerHour: 0, count: 1 };

describe('the fleet mix', () => {
  it('moves to one large vehicle when it is cheaper than the small ones greedy insertion opens first', () => {
    const stops = Array.from({ length: 20 }, (_, i) => ({
      id: `village-${i}`,
      location: { lat: SEAT.lat + 0.2 + (i % 5) * 0.01, lon: SEAT.lon + Math.floor(i / 5) * 0.01 },
      deliveryKg: 120,
    }));
    const problem: Problem = { depot: { location: SEAT }, stops, vehicleTypes: [van, truck], travel: { roadFactor: 1.5, averageSpeedKmh: 40 } };
    const solution = solve(problem, { iterations: 2000 });
    expect(checkSolution(problem, solution).violations).toEqual([]);
    expect(solution.routes.map((r) => r.vehicleTypeId)).toEqual(['truck']);
  });
});
