import { createServiceApp, type Outbox, type Runtime } from '@county/platform';
import { registerKeyRoutes } from './http/keys.js';

export type AppDeps = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis'> & {
  outbox: Outbox;
  /** The clock; tests pass their own. */
  now?: () => Date;
};

/** The intake service's HTTP app; it never listens (main.ts does, tests inject). */
export async function buildApp(deps: AppDeps) {
  const app = await createServiceApp(deps, {
    description: 'Parcel intake: master data, access keys, parcels and their state machine, courier manifests, scans and upstream bookings.',
  });
  registerKeyRoutes(app, { pool: deps.pool, outbox: deps.outbox, now: deps.now ?? (() => new Date()) });
  return app;
}
