import { createServiceApp, type Outbox, type Runtime } from '@county/platform';
import { registerBookingRoutes } from './http/bookings.js';
import { registerImportRoutes } from './http/import.js';
import { registerKeyRoutes } from './http/keys.js';
import { registerMasterDataRoutes } from './http/masterdata.js';
import { registerParcelIntakeRoutes } from './http/parcels-intake.js';
import { registerParcelReadRoutes } from './http/parcels-read.js';
import { registerScanRoutes } from './http/scans.js';

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
  const masterDataDeps = { pool: deps.pool, redis: deps.redis, namespace: deps.config.DB_SCHEMA, outbox: deps.outbox, source: deps.service, now: deps.now ?? (() => new Date()) };
  registerMasterDataRoutes(app, masterDataDeps);
  registerImportRoutes(app, masterDataDeps);
  const parcelDeps = { pool: deps.pool, redis: deps.redis, namespace: deps.config.DB_SCHEMA, outbox: deps.outbox, source: deps.service, now: deps.now ?? (() => new Date()) };
  registerScanRoutes(app, parcelDeps);
  registerBookingRoutes(app, parcelDeps);
  registerParcelReadRoutes(app, parcelDeps);
  registerParcelIntakeRoutes(app, { pool: deps.pool, redis: deps.redis, namespace: deps.config.DB_SCHEMA, outbox: deps.outbox, now: deps.now ?? (() => new Date()) });
  return app;
}
