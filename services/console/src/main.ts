import { fileURLToPath } from 'node:url';
import { loadConfig, openRuntime, runMain, startService } from '@county/platform';
import { buildApp } from './app.js';
import { configSchema, SERVICE } from './config.js';
import { consumers } from './consumers.js';

runMain(async () => {
  const config = loadConfig(configSchema);
  const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
  const runtime = openRuntime({ service: SERVICE, config, migrationsDir });
  await startService(runtime, { app: await buildApp({ ...runtime, config }), consumers: consumers(runtime) });
});
