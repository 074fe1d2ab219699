import type { Random } from '../random.js';
import type { Instance } from './instance.js';
import { Perturbation } from './perturb.js';
import { Plan } from './plan.js';

export interface SearchLimits {
  readonly iterations: number | undefined;
  readonly timeLimitMs: number | undefined;
  readonly now: () => number;
}

/**
 * Simulated-annealing temperatures relative to the initial cost per served stop, so that one
 * schedule suits any cost scale. SISR's absolute 100 → 1 is about 0.3 → 0.003 of the cost per
 * customer on set X; county problems, whose fixed vehicle costs make the landscape more rugged,
 * gain from a hotter schedule, which costs CVRPLIB nothing measurable.
 */
const START_TEMPERATURE = 1;
const END_TEMPERATURE = 0.01;

/**
 * Ruin-and-recreate under simulated annealing (SISR). `work` is changed in place each iteration;
 * only the routes the iteration touched are copied to or back from `current`, so an iteration
 * costs about as much as the stops it moves. Plans compare by mandatory stops left out first,
 * then by cost. The cooling follows the iteration count when one is given (so a seed and an
 * iteration limit repeat exactly), else the clock.
 */
export function anneal(inst: Instance, work: Plan, locked: Uint8Array, random: Random, limits: SearchLimits): { best: Plan; iterations: number } {
  const moves = new Perturbation(inst, locked, random);
  moves.construct(work);
  const current = new Plan(inst);
  current.copyAll(work);
  const best = new Plan(inst);
  best.copyAll(work);
  let currentCost = work.cost();
  let currentMissing = work.missing();
  let bestCost = currentCost;
  let bestMissing = currentMissing;
  const scale = currentCost > 0 ? currentCost / Math.max(1, work.served()) : 1;
  const hot = START_TEMPERATURE * scale;
  const cooling = END_TEMPERATURE / START_TEMPERATURE;
  const { iterations, timeLimitMs, now } = limits;
  const started = timeLimitMs === undefined ? 0 : now();
  let iteration = 0;
  for (; iterations === undefined || iteration < iterations; iteration++) {
    const elapsed = timeLimitMs === undefined ? 0 : now() - started;
    if (timeLimitMs !== undefined && elapsed >= timeLimitMs) break;
    const progress = iterations !== undefined ? iteration / iterations : elapsed / timeLimitMs!;
    const temperature = hot * cooling ** progress;
    moves.step(work);
    const cost = work.cost();
    const missing = work.missing();
    const accepted = missing < currentMissing || (missing === currentMissing && cost < currentCost - temperature * Math.log(1 - random()));
    if (accepted) {
      current.copyTouched(work, work.touched);
      currentCost = cost;
      currentMissing = missing;
      if (missing < bestMissing || (missing === bestMissing && cost < bestCost)) {
        best.copyAll(current);
        bestCost = cost;
        bestMissing = missing;
      }
    } else {
      work.copyTouched(current, work.touched);
    }
    work.markClean();
  }
  return { best, iterations: iteration };
}
