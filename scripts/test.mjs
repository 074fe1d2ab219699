// `npm test`: install, bring the infrastructure up (deleting stale test topics and schemas), and run
// every unit, integration and end-to-end test with vitest. Extra arguments go to vitest. The JSON
// report (test-results/vitest.json) is what .ci/run counts.
import { mkdirSync } from 'node:fs';
import { build, ensureDependencies, ensureTestTools, infraEnv, ROOT, run, say, typecheck } from './lib/bootstrap.mjs';

ensureDependencies();
// The end-to-end tests start the built services, as `npm start` does.
build();
typecheck();
const env = await infraEnv({ cleanTestData: true });
await ensureTestTools();
say(`testing against Kafka ${env.KAFKA_BROKERS}, ${env.DATABASE_URL.replace(/\/\/[^@]*@/, '//')}, ${env.REDIS_URL}, ${env.MQTT_URL}`);
mkdirSync(`${ROOT}test-results`, { recursive: true });
const code = await run(
  `${ROOT}node_modules/.bin/vitest`,
  ['run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json', ...process.argv.slice(2)],
  { env: { ...process.env, ...env } },
);
process.exit(code);
