import { fileURLToPath } from 'node:url';
import { loadConfig, openRuntime, runMain, startService } from '@county/platform';
import { buildApp } from './app.js';
import { configSchema, SERVICE } from './config.js';
import { consumers } from './consumers.js';
import { openMonitoring, runMonitoring } from './monitoring/index.js';
import { openReadings, runReadings } from './readings/index.js';

runMain(async () => {
  const config = loadConfig(configSchema);
  const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
  const runtime = openRuntime({ service: SERVICE, config, migrationsDir });
  // Excursions and alarms: the tracker hears the ingest's readings; the silence scanner runs in one instance. It
  // stops after the readings (registered before them), so the ingest's last calls still reach it.
  const monitoring = openMonitoring(runtime);
  runMonitoring(runtime, monitoring);
  // Readings in (Kafka, REST, MQTT share one ingest); monitoring's tracker is the listener.
  const readings = openReadings(runtime, config, { listener: monitoring.tracker });
  runReadings(runtime, readings, config);
  const deps = { ...runtime, readings: readings.ingest, monitoring };
  await startService(runtime, { app: await buildApp(deps), consumers: consumers(deps) });
});
