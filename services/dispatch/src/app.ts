import { createServiceApp, type Runtime } from '@county/platform';
import { registerFieldRoutes } from './field/http.js';
import { registerPlanRoutes } from './plans/http/routes.js';
import { createPlannerPool, type Planner } from './plans/planner-pool.js';
import { planningPorts } from './plans/ports.js';
import { registerReadModelRoutes } from './readmodel/http.js';
import { registerSettingsRoutes } from './settings/http.js';

/** What the routes will use: the clients, the outbox their writes go through, and the runtime's clock. */
export type AppDeps = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis' | 'outbox' | 'clock'> & {
  /** Plans waves off the request thread; one is made (and closed with the app) when not given. */
  planner?: Planner;
};

/** The dispatch service's HTTP app; it never listens (main.ts does, tests inject). */
export async function buildApp(deps: AppDeps) {
  const app = await createServiceApp(deps, {
    description: 'Route dispatch: waves, route plans, stops, vehicle loads, departures and hand-overs.',
  });
  const planner = deps.planner ?? createPlannerPool({ logger: deps.logger });
  if (!deps.planner) app.addHook('onClose', () => planner.close());
  registerSettingsRoutes(app, { pool: deps.pool, now: deps.clock });
  registerPlanRoutes(app, { pool: deps.pool, redis: deps.redis, namespace: deps.config.DB_SCHEMA, outbox: deps.outbox, source: deps.service, now: deps.clock, logger: deps.logger, ports: planningPorts, planner });
  registerReadModelRoutes(app, { pool: deps.pool });
  registerFieldRoutes(app, { pool: deps.pool, redis: deps.redis, namespace: deps.config.DB_SCHEMA, outbox: deps.outbox, source: deps.service, now: deps.clock });
  return app;
}
