import { fileURLToPath } from 'node:url';
import { loadConfig, openRuntime, runMain, startService } from '@county/platform';
import { buildApp } from './app.js';
import { configSchema, SERVICE } from './config.js';
import { consumers } from './consumers.js';
import { openMonitoring, runMonitoring } from './monitoring/index.js';

runMain(async () => {
  const config = loadConfig(configSchema);
  const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
  const runtime = openRuntime({ service: SERVICE, config, migrationsDir });
  // Excursions and alarms: the tracker hears the ingest's readings; the silence scanner runs in one instance.
  const monitoring = openMonitoring(runtime);
  runMonitoring(runtime, monitoring);
  await startService(runtime, { app: await buildApp({ ...runtime, monitoring }), consumers: consumers(runtime) });
});
