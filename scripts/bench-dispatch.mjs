// `npm run bench:dispatch`: install, bring up the infrastructure, build, then plan one wave of a generated
// county (bench/dispatch-plan.ts: pure, the solver and its counterfactual) and fold parcel events into the
// dispatch read model over Kafka and Postgres (bench/dispatch-events.ts); stops the Kafka broker again if this
// run started it. `BENCH_STAGES=plan` or `=events` runs one of them.
import { build, ensureDependencies, infraEnv, ROOT, run, say } from './lib/bootstrap.mjs';

const stages = (process.env.BENCH_STAGES ?? 'plan,events').split(',').map((s) => s.trim());
ensureDependencies();
build();
const tsx = `${ROOT}node_modules/.bin/tsx`;
let code = 0;
if (stages.includes('plan')) {
  say('benchmarking dispatch: planning a wave');
  code ||= await run(tsx, ['bench/dispatch-plan.ts'], { env: process.env });
}
if (stages.includes('events')) {
  const infra = await import('../infra/lib/index.mjs');
  const kafkaWasRunning = ['running', 'external'].includes((await infra.kafkaStatus()).state);
  const env = await infraEnv();
  say('benchmarking dispatch: folding parcel events');
  code ||= await run(tsx, ['bench/dispatch-events.ts'], { env: { ...process.env, ...env } });
  if (!kafkaWasRunning && !process.env.KAFKA_BROKERS) await infra.stopKafka();
}
process.exit(code);
