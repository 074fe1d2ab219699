import { createServiceApp, type Runtime } from '@county/platform';
import { registerSettingsRoutes } from './settings/http.js';

/** What the routes will use: the clients, the outbox their writes go through, and the runtime's clock. */
export type AppDeps = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis' | 'outbox' | 'clock'>;

/** The dispatch service's HTTP app; it never listens (main.ts does, tests inject). */
export async function buildApp(deps: AppDeps) {
  const app = await createServiceApp(deps, {
    description: 'Route dispatch: waves, route plans, stops, vehicle loads, departures and hand-overs.',
  });
  registerSettingsRoutes(app, { pool: deps.pool, now: deps.clock });
  return app;
}
