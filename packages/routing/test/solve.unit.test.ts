import { describe, expect, it } from 'vitest';
import { checkSolution, InvalidProblemError, solve } from '../src/index.js';
import { randomProblem } from './support/random-problem.js';

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);

describe('solve', () => {
  it.each(SEEDS)('plans random problem %i with every constraint validly', (seed) => {
    const problem = randomProblem(seed);
    const solution = solve(problem, { seed, iterations: 300 });
    expect(checkSolution(problem, solution).violations).toEqual([]);
    expect(solution.routes.length).toBeGreaterThan(0);
  });

  it('gives the same plan for the same seed and iteration limit', () => {
    const problem = randomProblem(3, 40);
    const first = solve(problem, { seed: 42, iterations: 500 });
    const second = solve(problem, { seed: 42, iterations: 500 });
    expect(second).toEqual(first);
  });

  it('stops at the time limit, reading only the clock it is given', () => {
    let clock = 0;
    const now = () => (clock += 10);
    const solution = solve(randomProblem(5), { timeLimitMs: 100, now });
    expect(solution.iterations).toBeLessThan(10);
    expect(checkSolution(randomProblem(5), solution).valid).toBe(true);
  });

  it('runs the iteration limit exactly when the time limit is not reached', () => {
    const solution = solve(randomProblem(6), { iterations: 123, timeLimitMs: 1e9, now: () => 0 });
    expect(solution.iterations).toBe(123);
  });

  it('returns an empty plan for a problem without stops', () => {
    const problem = { ...randomProblem(1), stops: [] };
    const solution = solve(problem, { iterations: 10 });
    expect(solution.routes).toEqual([]);
    expect(solution.totals.cost.total).toBe(0);
  });

  it('rejects a malformed problem with every issue listed', () => {
    const base = randomProblem(2);
    const problem = {
      ...base,
      vehicleTypes: [{ ...base.vehicleTypes[0]!, costPerKm: -1, count: 0 }, { ...base.vehicleTypes[1]!, count: undefined, vehicleIds: ['r1', 'r1'] }],
      stops: [{ ...base.stops[0]!, timeWindow: { open: 600, close: 500 } }, { ...base.stops[0]!, deliveryKg: Number.NaN }],
    };
    const error = captureError(() => solve(problem));
    expect(error).toBeInstanceOf(InvalidProblemError);
    expect((error as InvalidProblemError).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['vehicleTypes[0].costPerKm', 'vehicleTypes[0].count', 'vehicleTypes[1].vehicleIds', 'stops[0].timeWindow', 'stops[1].id', 'stops[1].deliveryKg']),
    );
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
