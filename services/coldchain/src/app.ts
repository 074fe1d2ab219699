import { createHttpApp, type Runtime } from '@county/platform';

export type AppDeps = Pick<Runtime, 'logger' | 'metrics' | 'health'>;

/** The coldchain service's HTTP app; it never listens (main.ts does, tests inject). */
export function buildApp(deps: AppDeps) {
  return createHttpApp({
    service: 'coldchain',
    description: 'Cold-chain tracking: temperature readings, product profiles, container bindings, excursions and compliance.',
    ...deps,
  });
}
