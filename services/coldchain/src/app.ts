import { createServiceApp, type Runtime } from '@county/platform';

/** What the routes will use: the clients, the outbox their writes go through, and the runtime's clock. */
export type AppDeps = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis' | 'outbox' | 'clock'>;

/** The coldchain service's HTTP app; it never listens (main.ts does, tests inject). */
export function buildApp(deps: AppDeps) {
  return createServiceApp(deps, {
    description: 'Cold-chain tracking: temperature readings, product profiles, container bindings, excursions and compliance.',
  });
}
