// `npm run bench:intake`: install, bring up the infrastructure, build, run bench/intake.ts, and stop
// the Kafka broker again if this run started it.
import { build, ensureDependencies, infraEnv, ROOT, run, say } from './lib/bootstrap.mjs';

ensureDependencies();
const infra = await import('../infra/lib/index.mjs');
const kafkaWasRunning = ['running', 'external'].includes((await infra.kafkaStatus()).state);
const env = await infraEnv();
build();
say('benchmarking intake');
const code = await run(`${ROOT}node_modules/.bin/tsx`, ['bench/intake.ts'], { env: { ...process.env, ...env } });
if (!kafkaWasRunning && !process.env.KAFKA_BROKERS) await infra.stopKafka();
process.exit(code);
