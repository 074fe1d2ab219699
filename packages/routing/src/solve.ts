import { anneal } from './engine/anneal.js';
import { InsertionFinder } from './engine/insertion.js';
import { compile, type Instance } from './engine/instance.js';
import { placeLocks } from './engine/locks.js';
import { toSolution } from './engine/output.js';
import { Plan } from './engine/plan.js';
import { reasonAlone, reasonBlocked } from './engine/reasons.js';
import { InvalidProblemError } from './errors.js';
import type { Problem, SolveOptions } from './problem.js';
import { createRandom, type Random } from './random.js';
import type { Solution, Unassigned, UnassignedReason } from './solution.js';
import { validateProblem } from './validate.js';

const DEFAULT_ITERATIONS = 10_000;

/**
 * Plans routes for the problem. Deterministic for a given seed and iteration limit; a time limit
 * only stops the search earlier. Throws `InvalidProblemError` when the input is malformed or its
 * locks cannot be honoured.
 */
export function solve(problem: Problem, options: SolveOptions = {}): Solution {
  for (const key of ['iterations', 'timeLimitMs'] as const) {
    const value = options[key];
    if (value !== undefined && !(value >= 0)) throw new RangeError(`${key} must be a non-negative number, got ${value}`);
  }
  const issues = validateProblem(problem);
  if (issues.length > 0) throw new InvalidProblemError(issues);
  const inst = compile(problem);
  const plan = new Plan(inst);
  const { locked, issues: lockIssues } = placeLocks(problem, inst, plan);
  if (lockIssues.length > 0) throw new InvalidProblemError(lockIssues);
  const impossible = new Map<number, UnassignedReason>();
  for (let stop = 0; stop < inst.n; stop++) {
    const reason = locked[stop] === 1 ? undefined : reasonAlone(inst, stop);
    if (reason) impossible.set(stop, reason);
    else if (locked[stop] === 0) plan.unassigned.push(stop);
  }
  const random = createRandom(options.seed ?? 1);
  const iterations = options.iterations ?? (options.timeLimitMs === undefined ? DEFAULT_ITERATIONS : undefined);
  const limits = { iterations, timeLimitMs: options.timeLimitMs, now: options.now ?? (() => performance.now()) };
  const { best, iterations: ran } = anneal(inst, plan, locked, random, limits);
  placeLeftovers(inst, best, random);
  return toSolution(problem, inst, best, unassignedOf(problem, inst, best, impossible), ran);
}

/** A last greedy pass, so that no mandatory stop is reported left out while it still fits. */
function placeLeftovers(inst: Instance, plan: Plan, random: Random): void {
  const finder = new InsertionFinder(inst, random);
  const pending = plan.unassigned;
  plan.unassigned = [];
  for (const stop of pending) {
    if (inst.mandatory[stop] === 1 && finder.find(plan, stop, 0)) plan.insert(stop, finder.routeIndex, finder.position);
    else plan.unassigned.push(stop);
  }
}

function unassignedOf(problem: Problem, inst: Instance, plan: Plan, impossible: ReadonlyMap<number, UnassignedReason>): Unassigned[] {
  const left = [...impossible.keys(), ...plan.unassigned].sort((a, b) => a - b);
  return left.map((stop) => ({
    stopId: problem.stops[stop]!.id,
    reason: impossible.get(stop) ?? (inst.mandatory[stop] === 1 ? reasonBlocked(inst, plan, stop) : 'deferred'),
  }));
}
