import { createHttpApp, type Runtime } from '@county/platform';

export type AppDeps = Pick<Runtime, 'logger' | 'metrics' | 'health'>;

/** The sla service's HTTP app; it never listens (main.ts does, tests inject). */
export function buildApp(deps: AppDeps) {
  return createHttpApp({
    service: 'sla',
    description: "SLA monitoring: parcel timelines, leg deadlines, breach and at-risk alerts, and the bureau's metrics.",
    ...deps,
  });
}
