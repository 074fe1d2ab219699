import { fileURLToPath } from 'node:url';
import { topics } from '@county/contracts';
import { consume, consumeAccessKeys, loadConfig, openRuntime, runMain, serve } from '@county/platform';
import { buildApp } from './app.js';
import { configSchema } from './config.js';
import { bookingHandlers } from './consumers/bookings.js';
import { manifestConsumer } from './consumers/manifests.js';

runMain(async () => {
  const config = loadConfig(configSchema);
  const migrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));
  const runtime = openRuntime({ service: 'intake', config, migrationsDir });
  await serve(await buildApp(runtime), runtime);
  // Started together: each waits to join its consumer group.
  await Promise.all([
    consumeAccessKeys(runtime),
    consume(runtime, manifestConsumer(runtime)),
    consume(runtime, { name: 'intake.bookings', topics: [topics.courierBookings.name], handlers: bookingHandlers(runtime) }),
  ]);
});
