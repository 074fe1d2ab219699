// `npm run bench:sla`: install, bring up the infrastructure, build, then measure sla: the timeline's fold
// (bench/sla-fold.ts, `sla.fold.throughput`, events per second) and a month's metrics query for a county with
// 600,000 parcels, each groupBy (bench/sla-query.ts, `sla.month_query.p50_ms` / `p99_ms`). Stops the Kafka broker
// again if this run started it. `BENCH_STAGES=fold` or `=query` runs one of them; a stage whose file is not there
// yet (the fold, until the timeline lands) is skipped with a note.
import { existsSync } from 'node:fs';
import { build, ensureDependencies, infraEnv, ROOT, run, say } from './lib/bootstrap.mjs';

const stages = (process.env.BENCH_STAGES ?? 'fold,query').split(',').map((s) => s.trim());
ensureDependencies();
build();
const tsx = `${ROOT}node_modules/.bin/tsx`;
const infra = await import('../infra/lib/index.mjs');
const kafkaWasRunning = ['running', 'external'].includes((await infra.kafkaStatus()).state);
const env = await infraEnv();
let code = 0;
for (const [stage, file, what] of [
  ['fold', 'bench/sla-fold.ts', 'folding events into the read model'],
  ['query', 'bench/sla-query.ts', "a month's metrics query, each groupBy"],
]) {
  if (!stages.includes(stage)) continue;
  if (!existsSync(`${ROOT}${file}`)) {
    say(`benchmarking sla: ${file} is not there yet; skipped`);
    continue;
  }
  say(`benchmarking sla: ${what}`);
  code ||= await run(tsx, [file], { env: { ...process.env, ...env } });
}
if (!kafkaWasRunning && !process.env.KAFKA_BROKERS) await infra.stopKafka();
process.exit(code);
