import { createServiceApp, type Runtime } from '@county/platform';
import { openReadings, registerReadingsRoutes, type ReadingsIngest } from './readings/index.js';

/** What the routes will use: the clients, the outbox their writes go through, and the runtime's clock. */
export type AppDeps = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis' | 'outbox' | 'clock'> & {
  /** The readings ingest main.ts shares with Kafka and MQTT; one with no listener is made when not given. */
  readings?: ReadingsIngest;
};

/** The coldchain service's HTTP app; it never listens (main.ts does, tests inject). */
export async function buildApp(deps: AppDeps) {
  const app = await createServiceApp(deps, {
    description: 'Cold-chain tracking: temperature readings, product profiles, container bindings, excursions and compliance.',
  });
  registerReadingsRoutes(app, { pool: deps.pool, ingest: deps.readings ?? openReadings(deps, deps.config).ingest });
  return app;
}
