// `npm run bench:coldchain`: install, bring up the infrastructure (Kafka, Postgres, Redis, Mosquitto), build, then
// measure coldchain's readings in from Kafka and from MQTT (bench/coldchain.ts); stops the Kafka broker again if this
// run started it.
import { build, ensureDependencies, infraEnv, ROOT, run, say } from './lib/bootstrap.mjs';

ensureDependencies();
build();
const infra = await import('../infra/lib/index.mjs');
const kafkaWasRunning = ['running', 'external'].includes((await infra.kafkaStatus()).state);
const env = await infraEnv();
say('benchmarking coldchain: readings in from Kafka and MQTT');
const code = await run(`${ROOT}node_modules/.bin/tsx`, ['bench/coldchain.ts'], { env: { ...process.env, ...env } });
if (!kafkaWasRunning && !process.env.KAFKA_BROKERS) await infra.stopKafka();
process.exit(code);
