import { createServiceApp, type Runtime } from '@county/platform';
import { registerFieldRoutes } from './field/http.js';

/** What the routes will use: the clients, the outbox their writes go through, and the runtime's clock. */
export type AppDeps = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis' | 'outbox' | 'clock'>;

/** The dispatch service's HTTP app; it never listens (main.ts does, tests inject). */
export async function buildApp(deps: AppDeps) {
  const app = await createServiceApp(deps, {
    description: 'Route dispatch: waves, route plans, stops, vehicle loads, departures and hand-overs.',
  });
  registerFieldRoutes(app, { pool: deps.pool, redis: deps.redis, namespace: deps.config.DB_SCHEMA, outbox: deps.outbox, source: deps.service, now: deps.clock });
  return app;
}
