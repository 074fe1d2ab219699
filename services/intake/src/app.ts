import { createHttpApp, type Runtime } from '@county/platform';

export type AppDeps = Pick<Runtime, 'logger' | 'metrics' | 'health'>;

/** The intake service's HTTP app; it never listens (main.ts does, tests inject). */
export function buildApp(deps: AppDeps) {
  return createHttpApp({
    service: 'intake',
    description: 'Parcel intake: master data, access keys, parcels and their state machine, courier manifests, scans and upstream bookings.',
    ...deps,
  });
}
