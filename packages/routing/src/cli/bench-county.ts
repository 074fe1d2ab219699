import { checkSolution } from '../check.js';
import { generateCountyProblem } from '../county/generate.js';
import { solve } from '../solve.js';
import { round, type Emit } from './emit.js';

/** Fixed seeds and sizes, so that successive runs judge the solver on the same county problems. */
const CASES: readonly { seed: number; stations: number }[] = [
  { seed: 1, stations: 50 },
  { seed: 2, stations: 120 },
  { seed: 3, stations: 200 },
  { seed: 4, stations: 300 },
];
/** An iteration limit rather than a time limit: the cost is then repeatable and the seconds show speed. */
const ITERATIONS = 50_000;

export function benchCounty(emit: Emit): void {
  for (const { seed, stations } of CASES) {
    const instance = `county-s${seed}-${stations}`;
    const problem = generateCountyProblem({ seed, stations });
    const started = performance.now();
    const solution = solve(problem, { seed: 1, iterations: ITERATIONS });
    const seconds = (performance.now() - started) / 1000;
    const valid = checkSolution(problem, solution).valid;
    const common = { instance, stops: problem.stops.length, iterations: ITERATIONS, valid };
    emit({ bench: 'routing.county.cost', value: round(solution.totals.cost.total), unit: 'yuan', ...common });
    emit({ bench: 'routing.county.vehicles', value: solution.totals.vehiclesUsed, unit: 'vehicles', ...common });
    emit({ bench: 'routing.county.unassigned', value: solution.unassigned.length, unit: 'stops', ...common });
    emit({ bench: 'routing.county.seconds', value: round(seconds), unit: 's', ...common });
  }
}
