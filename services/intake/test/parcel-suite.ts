import type { BaseConfig } from '@county/platform';
import { seedNetwork, seedParcel, type SeedParcel } from './seed.js';
import { intakeApp, type IntakeAppOptions } from './support.js';

type Method = 'GET' | 'POST';

/**
 * What the scan, booking and parcel-read suites share: intake over the suite's schema, a seeded
 * network, a key of every role (rate limits raised: the suites post many scans a minute) and a way
 * to call the API with a key.
 */
export async function parcelSuite(config: BaseConfig, options: IntakeAppOptions = {}) {
  const intake = await intakeApp(config, options);
  const net = await seedNetwork(intake.pool);
  const { countyId } = net;
  const key = (role: Parameters<typeof intake.issue>[0]['role'], scope: Parameters<typeof intake.issue>[0]['scope'] = {}) =>
    intake.issue({ countyId, role, scope, name: `${role} ${JSON.stringify(scope)}`, rateLimitPerMinute: 100_000 });
  const keys = {
    admin: await key('admin'),
    operator: await key('operator'),
    center: await key('station', { stationId: net.center }),
    stationA: await key('station', { stationId: net.villageA }),
    stationB: await key('station', { stationId: net.villageB }),
    driver: await key('driver', { vehicleIds: ['veh-1'] }),
    courierA: await key('courier', { courierId: net.courierA }),
    courierB: await key('courier', { courierId: net.courierB }),
    bureau: await key('bureau'),
  };
  const call = (method: Method, url: string, apiKey: string, payload?: object, headers: Record<string, string> = {}) =>
    intake.app.inject({ method, url, headers: { 'x-api-key': apiKey, ...headers }, ...(payload ? { payload } : {}) });
  return {
    intake,
    net,
    keys,
    call,
    /** A downstream parcel of courier A to village station A, unless told otherwise. */
    seed: (input: Partial<SeedParcel> = {}) =>
      seedParcel(intake.pool, intake.outbox, { countyId, courierId: net.courierA, destinationStationId: net.villageA, ...input }),
    close: () => intake.close(),
  };
}

export type ParcelSuite = Awaited<ReturnType<typeof parcelSuite>>;

/** The key id inside an API key (`ck_<keyId>_<secret>`). */
export const keyIdOf = (key: string): string => key.split('_')[1] as string;

/** A scan as a handheld sends it. */
export function scan(kind: string, parcelId: string, stationId: string, at: Date, extra: Record<string, unknown> = {}) {
  return { kind, parcel: { parcelId }, stationId, occurredAt: at.toISOString(), ...extra };
}

/** A time `minutes` after `base`. */
export const at = (base: Date, minutes: number): Date => new Date(base.getTime() + minutes * 60_000);

/** Two days ago, on the minute: every scan of the suites happens in the past. */
export function pastBase(): Date {
  const base = new Date(Date.now() - 2 * 24 * 3600_000);
  base.setUTCSeconds(0, 0);
  return base;
}
