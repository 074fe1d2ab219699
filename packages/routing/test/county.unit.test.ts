import { describe, expect, it } from 'vitest';
import { checkSolution, generateCountyProblem, solve } from '../src/index.js';

describe('county problems', () => {
  it('are the same for the same seed and differ between seeds', () => {
    expect(generateCountyProblem({ seed: 8 })).toEqual(generateCountyProblem({ seed: 8 }));
    expect(generateCountyProblem({ seed: 8 })).not.toEqual(generateCountyProblem({ seed: 9 }));
  });

  it.each([1, 2, 3, 4, 5])('seed %i has 50–300 stations, pickups, windows, cold goods and a mixed fleet', (seed) => {
    const problem = generateCountyProblem({ seed });
    const stations = new Set(problem.stops.map((s) => JSON.stringify(s.location)));
    expect(stations.size).toBeGreaterThanOrEqual(50);
    expect(stations.size).toBeLessThanOrEqual(300);
    expect(problem.stops.some((s) => (s.pickupKg ?? 0) > 0)).toBe(true);
    expect(problem.stops.some((s) => s.refrigerated)).toBe(true);
    expect(problem.stops.some((s) => s.optional)).toBe(true);
    expect(problem.stops.every((s) => s.timeWindow)).toBe(true);
    expect(new Set(problem.vehicleTypes.map((t) => t.capacityKg)).size).toBeGreaterThan(1);
  });

  it('are planned validly', () => {
    const problem = generateCountyProblem({ seed: 3, stations: 80 });
    const solution = solve(problem, { iterations: 300 });
    expect(checkSolution(problem, solution).violations).toEqual([]);
    expect(solution.unassigned.filter((u) => u.reason !== 'deferred')).toEqual([]);
  });
});
