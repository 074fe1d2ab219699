import { fileURLToPath } from 'node:url';
import { loadConfig, openRuntime, runMain, startService } from '@county/platform';
import { buildApp } from './app.js';
import { createComplianceReviser } from './compliance/index.js';
import { compliancePorts } from './compliance/ports.js';
import { configSchema, SERVICE } from './config.js';
import { consumers } from './consumers.js';
import { openReadings, runReadings } from './readings/index.js';

runMain(async () => {
  const config = loadConfig(configSchema);
  const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
  const runtime = openRuntime({ service: SERVICE, config, migrationsDir });
  // Readings in (Kafka, REST, MQTT share one ingest). Listening: compliance, which revises the records a stored
  // batch falls in (a gateway's late upload); monitoring's tracker joins it.
  const reviser = createComplianceReviser({ pool: runtime.pool, outbox: runtime.outbox, source: SERVICE, now: runtime.clock, ports: compliancePorts });
  const readings = openReadings(runtime, config, { listener: reviser });
  runReadings(runtime, readings, config);
  const deps = { ...runtime, readings: readings.ingest };
  await startService(runtime, { app: await buildApp(deps), consumers: consumers(deps) });
});
