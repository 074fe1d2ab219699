import { fileURLToPath } from 'node:url';
import { loadConfig, openRuntime, runMain, startService } from '@county/platform';
import { buildApp } from './app.js';
import { configSchema, SERVICE } from './config.js';
import { consumers } from './consumers.js';
import { runAutoPlanner } from './plans/auto-plan.js';

runMain(async () => {
  const config = loadConfig(configSchema);
  const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
  const runtime = openRuntime({ service: SERVICE, config, migrationsDir });
  runAutoPlanner(runtime);
  await startService(runtime, { app: await buildApp(runtime), consumers: consumers(runtime) });
});
