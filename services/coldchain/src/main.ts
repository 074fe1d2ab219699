import { fileURLToPath } from 'node:url';
import { loadConfig, openRuntime, runMain, startService } from '@county/platform';
import { buildApp } from './app.js';
import { configSchema, SERVICE } from './config.js';
import { consumers } from './consumers.js';
import { noReadingsListener, openReadings, runReadings } from './readings/index.js';

runMain(async () => {
  const config = loadConfig(configSchema);
  const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
  const runtime = openRuntime({ service: SERVICE, config, migrationsDir });
  // Readings in (Kafka, REST, MQTT share one ingest); monitoring's tracker becomes the listener.
  const readings = openReadings(runtime, config, { listener: noReadingsListener });
  runReadings(runtime, readings, config);
  const deps = { ...runtime, readings: readings.ingest };
  await startService(runtime, { app: await buildApp(deps), consumers: consumers(deps) });
});
