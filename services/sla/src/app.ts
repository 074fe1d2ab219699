import { createServiceApp, type Runtime } from '@county/platform';

/** What the routes will use: the clients, the outbox their writes go through, and the runtime's clock. */
export type AppDeps = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis' | 'outbox' | 'clock'>;

/** The sla service's HTTP app; it never listens (main.ts does, tests inject). */
export function buildApp(deps: AppDeps) {
  return createServiceApp(deps, {
    description: "SLA monitoring: parcel timelines, leg deadlines, breach and at-risk alerts, and the bureau's metrics.",
  });
}
