import { fileURLToPath } from 'node:url';
import { consumeAccessKeys, loadConfig, openRuntime, runMain, serve } from '@county/platform';
import { buildApp } from './app.js';
import { configSchema } from './config.js';

runMain(async () => {
  const config = loadConfig(configSchema);
  const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
  const runtime = openRuntime({ service: 'coldchain', config, migrationsDir });
  await serve(await buildApp(runtime), runtime);
  await consumeAccessKeys(runtime);
});
