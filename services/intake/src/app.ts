import { createServiceApp, type Runtime } from '@county/platform';
import { registerBookingRoutes } from './http/bookings.js';
import { registerImportRoutes } from './http/county-import.js';
import { registerKeyRoutes } from './http/keys.js';
import { registerMasterDataRoutes } from './http/masterdata.js';
import { registerParcelIntakeRoutes } from './http/parcels-intake.js';
import { registerParcelReadRoutes } from './http/parcels-read.js';
import { registerScanRoutes } from './http/scans.js';
import { intakeMetrics } from './metrics.js';
import { cachedReads } from './parcels/masterdata-reads.js';

export type AppDeps = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis' | 'outbox' | 'clock'>;

/** The intake service's HTTP app; it never listens (main.ts does, tests inject). */
export async function buildApp(deps: AppDeps) {
  const app = await createServiceApp(deps, {
    description: 'Parcel intake: master data, access keys, parcels and their state machine, courier manifests, scans and upstream bookings.',
  });
  const masterData = cachedReads(deps.pool);
  const routeDeps = {
    pool: deps.pool,
    redis: deps.redis,
    namespace: deps.config.DB_SCHEMA,
    outbox: deps.outbox,
    source: deps.service,
    now: deps.clock,
    metrics: intakeMetrics(deps.metrics),
    masterData,
    changed: (countyId: string) => masterData.forget(countyId),
  };
  registerKeyRoutes(app, routeDeps);
  registerMasterDataRoutes(app, routeDeps);
  registerImportRoutes(app, routeDeps);
  registerScanRoutes(app, routeDeps);
  registerBookingRoutes(app, routeDeps);
  registerParcelReadRoutes(app, routeDeps);
  registerParcelIntakeRoutes(app, routeDeps);
  return app;
}
