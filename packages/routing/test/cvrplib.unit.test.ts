import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSolution, cvrplibFleet, cvrplibProblem, formatCvrplibSolution, parseCvrplib, solve } from '../src/index.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Cost of a CVRPLIB `.sol` under the instance's rounded Euclidean distances. */
function solutionCost(vrp: string, sol: string): number {
  const { coordinates, depot } = parseCvrplib(vrp);
  const d = (a: number, b: number) => Math.floor(Math.hypot(coordinates[a]![0] - coordinates[b]![0], coordinates[a]![1] - coordinates[b]![1]) + 0.5);
  return sol
    .split('\n')
    .filter((line) => line.startsWith('Route'))
    .map((line) => line.split(':')[1]!.trim().split(/\s+/).map(Number))
    .reduce((total, route) => total + [depot, ...route, depot].slice(1).reduce((sum, node, i, rest) => sum + d(i === 0 ? depot : rest[i - 1]!, node), 0), 0);
}

describe('CVRPLIB instances', () => {
  it('parse tolerantly: tabs, CRLF line endings and trailing spaces', () => {
    const text = 'NAME : \tX-n3-k1\t\r\nTYPE : \tCVRP\t\r\nDIMENSION : \t3\t\r\nEDGE_WEIGHT_TYPE : \tEUC_2D\t\r\nCAPACITY : \t10\t\r\nNODE_COORD_SECTION\t\t\r\n1\t0\t0\r\n3\t0\t4\r\n2\t3\t0\r\nDEMAND_SECTION\t\t\r\n1\t0\r\n2\t5\r\n3\t5\r\nDEPOT_SECTION\t\t\r\n\t1\t\r\n\t-1\t\r\nEOF\r\n';
    expect(parseCvrplib(text)).toEqual({ name: 'X-n3-k1', capacity: 10, coordinates: [[0, 0], [3, 0], [0, 4]], demands: [0, 5, 5], depot: 0 });
  });

  it('refuse a distance type other than EUC_2D', () => {
    expect(() => parseCvrplib(fixture('A-n32-k5.vrp').replace('EUC_2D', 'GEO'))).toThrow(/EDGE_WEIGHT_TYPE GEO/);
  });

  it('limit the fleet to k in set A only', () => {
    expect(cvrplibFleet('A-n32-k5')).toBe(5);
    expect(cvrplibFleet('X-n101-k25')).toBeUndefined();
  });

  it('print solutions in .sol form with CVRPLIB customer numbers and the rounded cost', () => {
    const vrp = fixture('A-n32-k5.vrp');
    const problem = cvrplibProblem(parseCvrplib(vrp));
    const text = formatCvrplibSolution(solve(problem, { iterations: 2000 }));
    expect(text).toMatch(/^(Route #\d+: (\d+ ?)+\n){5}Cost \d+\n$/);
    const printed = Number(/Cost (\d+)/.exec(text)![1]);
    expect(solutionCost(vrp, text)).toBe(printed);
    const routeLines = text.split('\n').filter((line) => line.startsWith('Route'));
    const customers = routeLines.flatMap((line) => line.split(': ')[1]!.split(' ').map(Number)).sort((a, b) => a - b);
    expect(customers).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
  });

  it.each([
    ['A-n32-k5', 784],
    ['A-n33-k5', 661],
    ['A-n37-k6', 949],
    ['A-n45-k7', 1146],
  ])('%s is solved within 2 %% of its optimum %i', (name, optimum) => {
    const vrp = fixture(`${name}.vrp`);
    expect(solutionCost(vrp, fixture(`${name}.sol`))).toBe(optimum);
    const problem = cvrplibProblem(parseCvrplib(vrp));
    const solution = solve(problem, { seed: 1, iterations: 5000 });
    expect(checkSolution(problem, solution).violations).toEqual([]);
    expect(solution.unassigned).toEqual([]);
    expect(solution.totals.distanceKm).toBeLessThanOrEqual(optimum * 1.02);
  });
});
