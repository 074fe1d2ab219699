import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCvrplib } from '../cvrplib/parse.js';
import { cvrplibProblem, formatCvrplibSolution } from '../cvrplib/problem.js';
import { solve } from '../solve.js';
import { userPath } from './paths.js';

const USAGE = 'usage: npm run solve -- INSTANCE.vrp [--time-limit SECONDS] [--seed N] [--iterations N]';

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'time-limit': { type: 'string' }, seed: { type: 'string' }, iterations: { type: 'string' } },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new Error(USAGE);
  const problem = cvrplibProblem(parseCvrplib(readFileSync(userPath(file), 'utf8')));
  const seconds = optionalNumber(values['time-limit'], '--time-limit');
  const solution = solve(problem, {
    seed: optionalNumber(values.seed, '--seed') ?? 1,
    iterations: optionalNumber(values.iterations, '--iterations'),
    timeLimitMs: seconds === undefined ? undefined : seconds * 1000,
  });
  process.stdout.write(formatCvrplibSolution(solution));
}

function optionalNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a non-negative number, got ${text}\n${USAGE}`);
  return value;
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
