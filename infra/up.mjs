#!/usr/bin/env node
// Makes sure Postgres, Redis, a Kafka broker and an MQTT broker (Mosquitto) are usable, then prints the
// connection strings (KEY=value lines on stdout; progress on stderr). Exit 0 when all four are usable.
// It also installs the headless Chromium the console's browser tests drive (infra/lib/chromium.mjs).
//   node infra/up.mjs [--clean-test-data]
import { ensureChromium, ensureInfra } from './lib/index.mjs';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    'Usage: node infra/up.mjs [--clean-test-data]\n' +
      '  Ensures Postgres (127.0.0.1:5432), Redis (127.0.0.1:6379), Kafka (127.0.0.1:$KAFKA_PORT, default 9092)\n' +
      '  and Mosquitto (127.0.0.1:$MQTT_PORT, default 1883), and installs chromium for the browser tests.\n' +
      '  --clean-test-data  delete Kafka topics starting with "test-" and Postgres schemas starting with "test_"\n',
  );
  process.exit(0);
}
const unknown = args.filter((a) => a !== '--clean-test-data');
if (unknown.length > 0) {
  process.stderr.write(`[infra] unknown argument(s): ${unknown.join(' ')} (try --help)\n`);
  process.exit(2);
}

try {
  const [env] = await Promise.all([ensureInfra({ cleanTestData: args.includes('--clean-test-data') }), ensureChromium()]);
  for (const [key, value] of Object.entries(env)) process.stdout.write(`${key}=${value}\n`);
  process.exit(0);
} catch (error) {
  for (const line of String(error.message).split('\n')) process.stderr.write(`[infra] ${line}\n`);
  process.exit(1);
}
