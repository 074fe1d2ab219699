import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCvrplib } from '../cvrplib/parse.js';
import { cvrplibProblem } from '../cvrplib/problem.js';
import { solve } from '../solve.js';
import { userPath } from './paths.js';

/** Time limit per instance of each benchmark set (the targets are stated for these limits). */
const LIMIT_SECONDS: Readonly<Record<string, number>> = { A: 1, X: 10 };
const SEED = 1;

const defaultDir = fileURLToPath(new URL('../../../../../shared/bench/cvrp/', import.meta.url));
const benchDir = process.env.BENCH_DIR ? userPath(process.env.BENCH_DIR) : defaultDir;
const only = process.argv.slice(2);

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function runCvrplib(): void {
  const rows = readFileSync(join(benchDir, 'bks.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const results = new Map<string, { gap: number; seconds: number }[]>();
  for (const row of rows) {
    const [instance = '', , , , bksText = ''] = row.split(',');
    if (only.length > 0 && !only.some((prefix) => instance.startsWith(prefix))) continue;
    const set = instance.split('-')[0] ?? '';
    const limit = LIMIT_SECONDS[set] ?? 10;
    const started = performance.now();
    const problem = cvrplibProblem(parseCvrplib(readFileSync(join(benchDir, set, `${instance}.vrp`), 'utf8')));
    const solution = solve(problem, { seed: SEED, timeLimitMs: limit * 1000 });
    const seconds = (performance.now() - started) / 1000;
    const cost = Math.round(solution.totals.distanceKm);
    const bks = Number(bksText);
    const gap = (100 * (cost - bks)) / bks;
    const complete = solution.unassigned.length === 0;
    emit({ bench: 'routing.instance', instance, cost, bks, value: round(gap), unit: '%', seconds: round(seconds), complete });
    results.set(set, [...(results.get(set) ?? []), { gap, seconds }]);
  }
  for (const [set, list] of results) {
    emit({ bench: `routing.${set}.mean_gap_pct`, value: round(list.reduce((s, r) => s + r.gap, 0) / list.length), unit: '%' });
    emit({ bench: `routing.${set}.max_seconds`, value: round(Math.max(...list.map((r) => r.seconds))), unit: 's', limit: LIMIT_SECONDS[set] });
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

runCvrplib();
