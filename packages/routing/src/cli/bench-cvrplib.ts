import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSolution } from '../check.js';
import { parseCvrplib } from '../cvrplib/parse.js';
import { cvrplibProblem } from '../cvrplib/problem.js';
import { solve } from '../solve.js';
import { round, type Emit } from './emit.js';

/** Time limit per instance of each set: the targets (gap ≤ 2 % on A, ≤ 5 % on X) are stated for these. */
const LIMIT_SECONDS: Readonly<Record<string, number>> = { A: 1, X: 10 };
const SEED = 1;

/**
 * Solves every instance listed in `bks.csv` (or those whose name starts with one of `only`) under
 * its set's time limit; seconds include reading and parsing the file.
 */
export function benchCvrplib(dir: string, only: readonly string[], emit: Emit): void {
  const rows = readFileSync(join(dir, 'bks.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const bySet = new Map<string, { gap: number; seconds: number }[]>();
  for (const row of rows) {
    const [instance = '', , , , bksText = ''] = row.split(',');
    if (only.length > 0 && !only.some((prefix) => instance.startsWith(prefix))) continue;
    const set = instance.split('-')[0] ?? '';
    const limit = LIMIT_SECONDS[set] ?? 10;
    const started = performance.now();
    const problem = cvrplibProblem(parseCvrplib(readFileSync(join(dir, set, `${instance}.vrp`), 'utf8')));
    const solution = solve(problem, { seed: SEED, timeLimitMs: limit * 1000 });
    const seconds = (performance.now() - started) / 1000;
    const cost = Math.round(solution.totals.distanceKm);
    const bks = Number(bksText);
    const gap = (100 * (cost - bks)) / bks;
    const valid = checkSolution(problem, solution).valid && solution.unassigned.length === 0;
    emit({ bench: 'routing.instance', instance, cost, bks, value: round(gap), unit: '%', seconds: round(seconds), limit, valid });
    bySet.set(set, [...(bySet.get(set) ?? []), { gap, seconds }]);
  }
  for (const [set, results] of bySet) {
    const meanGap = results.reduce((sum, r) => sum + r.gap, 0) / results.length;
    emit({ bench: `routing.${set}.mean_gap_pct`, value: round(meanGap), unit: '%', instances: results.length });
    emit({ bench: `routing.${set}.max_seconds`, value: round(Math.max(...results.map((r) => r.seconds))), unit: 's', limit: LIMIT_SECONDS[set] });
  }
}
