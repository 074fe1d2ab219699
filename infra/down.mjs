#!/usr/bin/env node
// Stops the Kafka broker these scripts started. Leaves Postgres and Redis (system services) alone.
//   node infra/down.mjs
import { stopKafka } from './lib/index.mjs';

try {
  await stopKafka();
  process.exit(0);
} catch (error) {
  for (const line of String(error.message).split('\n')) process.stderr.write(`[infra] ${line}\n`);
  process.exit(1);
}
