import { describe, expect, it } from 'vitest';
import { checkSolution, solve, type Problem, type Route, type Solution } from '../src/index.js';
import { randomProblem } from './support/random-problem.js';

const problem = randomProblem(11, 25);
const solution = solve(problem, { iterations: 300 });

/** The solution with its first route (with at least two visits) replaced. */
function withRoute(edit: (route: Route) => Route): Solution {
  const index = solution.routes.findIndex((r) => r.visits.length >= 2);
  return { ...solution, routes: solution.routes.map((r, i) => (i === index ? edit(r) : r)) };
}

function firstServed(): { route: Route; stopId: string } {
  const route = solution.routes.find((r) => r.visits.length >= 2)!;
  return { route, stopId: route.visits[0]!.stopId };
}

function withStop(stopId: string, edit: (stop: Problem['stops'][number]) => Problem['stops'][number]): Problem {
  return { ...problem, stops: problem.stops.map((s) => (s.id === stopId ? edit(s) : s)) };
}

describe('the independent checker', () => {
  it('accepts the solver’s plan', () => {
    expect(checkSolution(problem, solution)).toEqual({ valid: true, violations: [] });
  });

  it('finds an overloaded vehicle', () => {
    const { stopId } = firstServed();
    const heavier = withStop(stopId, (s) => ({ ...s, deliveryKg: 5000 }));
    expect(checkSolution(heavier, solution).violations.join('\n')).toMatch(/kg on board, capacity/);
  });

  it('finds service after the window closes', () => {
    const { route, stopId } = firstServed();
    const start = route.visits[0]!.start;
    const tighter = withStop(stopId, (s) => ({ ...s, timeWindow: { open: 0, close: start - 1 } }));
    expect(checkSolution(tighter, solution).violations.join('\n')).toMatch(/after the window closes/);
  });

  it('finds a shift that runs too long', () => {
    const { route } = firstServed();
    const shorter = { ...problem, vehicleTypes: problem.vehicleTypes.map((t) => (t.id === route.vehicleTypeId ? { ...t, maxShiftMinutes: 1 } : t)) };
    expect(checkSolution(shorter, solution).violations.join('\n')).toMatch(/shift of .* exceeds 1/);
  });

  it('finds refrigerated goods on a vehicle that is not refrigerated', () => {
    const route = solution.routes.find((r) => r.vehicleTypeId === 'van' && r.visits.some((v) => !problem.stops.find((s) => s.id === v.stopId)?.lock))!;
    const stopId = route.visits.find((v) => !problem.stops.find((s) => s.id === v.stopId)?.lock)!.stopId;
    const chilled = withStop(stopId, (s) => ({ ...s, refrigerated: true }));
    expect(checkSolution(chilled, solution).violations.join('\n')).toMatch(/not refrigerated/);
  });

  it('finds a stop dropped from its route, and the distance that no longer adds up', () => {
    const violations = checkSolution(problem, withRoute((r) => ({ ...r, visits: r.visits.slice(1) }))).violations.join('\n');
    expect(violations).toMatch(/neither served nor reported/);
    expect(violations).toMatch(/arrival .* expected/);
  });

  it('finds a stop visited twice', () => {
    const twice = withRoute((r) => ({ ...r, visits: [...r.visits, r.visits[0]!] }));
    expect(checkSolution(problem, twice).violations.join('\n')).toMatch(/visited twice/);
  });

  it('finds more vehicles of a type than exist', () => {
    const { route } = firstServed();
    const fewer = { ...problem, vehicleTypes: problem.vehicleTypes.map((t) => (t.id === route.vehicleTypeId ? { ...t, count: 0 } : t)) };
    expect(checkSolution(fewer, solution).violations.join('\n')).toMatch(/vehicles used/);
  });

  it('finds a locked stop on another vehicle', () => {
    const { route, stopId } = firstServed();
    const elsewhere = withStop(stopId, (s) => ({ ...s, lock: { vehicleId: route.vehicleId === 'van-1' ? 'van-3' : 'van-1', position: 99 } }));
    expect(checkSolution(elsewhere, solution).violations.join('\n')).toMatch(/is locked to/);
  });

  it('finds totals that do not add up', () => {
    const padded = { ...solution, totals: { ...solution.totals, cost: { ...solution.totals.cost, total: solution.totals.cost.total + 1 } } };
    expect(checkSolution(problem, padded).violations).toEqual(['totals do not add up to the routes and penalties']);
  });

  it('finds an unassigned stop with no known reason', () => {
    const unknown = { ...solution, unassigned: [...solution.unassigned, { stopId: 'nowhere', reason: 'weather' as never }] };
    expect(checkSolution(problem, unknown).violations.join('\n')).toMatch(/unknown reason weather/);
  });
});
