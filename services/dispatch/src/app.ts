import { createHttpApp, type Runtime } from '@county/platform';

export type AppDeps = Pick<Runtime, 'logger' | 'metrics' | 'health'>;

/** The dispatch service's HTTP app; it never listens (main.ts does, tests inject). */
export function buildApp(deps: AppDeps) {
  return createHttpApp({
    service: 'dispatch',
    description: 'Route dispatch: waves, route plans, stops, vehicle loads, departures and hand-overs.',
    ...deps,
  });
}
