/**
 * The county-day simulator's interface (issue #13): seeds the demo county through the services' real
 * interfaces and drives one simulated day through them, as the real actors would. `npm start` and
 * `npm run demo:once` (demo/run.ts) call these two; tests/county-day.e2e.test.ts runs a smaller day.
 *
 * Seeding: demo/simulator/seed.ts; the day: day-plan.ts (the demand as events, pure) and day.ts (the actors);
 * the demand figures: demand.ts (docs/domain-figures.md defaults until the generated demand file).
 */
import type { DemoCounty, DemoDemand } from '../demo-types.js';
import { demandOf } from './demand.js';
import { runDay } from './day.js';
import { seed } from './seed.js';

/** Where the four services and the brokers are. */
export interface DemoEndpoints {
  urls: { intake: string; dispatch: string; coldchain: string; sla: string };
  kafkaBrokers: string[];
  /** The services' TOPIC_PREFIX ('' in `npm start`). */
  topicPrefix: string;
  mqttUrl: string;
}

/** The services' shared domain clock (CLOCK_START, CLOCK_RATE, CLOCK_ORIGIN). */
export interface DemoClock {
  start: Date;
  rate: number;
  origin: Date;
}

export interface SeedOptions {
  county: DemoCounty;
  endpoints: DemoEndpoints;
  /** An admin key of intake (keys replicate to the other services). */
  adminKey: string;
  /** dispatch's planning budget per wave (`budgetSeconds`, real seconds); dispatch's default (20) when absent. */
  planBudgetSeconds?: number;
  /** The generated demand (demo/county/demand.json): couriers' volumes, produce in season; defaults when absent. */
  demand?: DemoDemand;
  /** The day to be simulated: its produce in season sets the refrigerated compartments' profile. */
  day?: string;
}

/** Imports the county at intake and sets up what the other services need (dispatch settings, cold-chain containers); idempotent. */
export async function seedDemoCounty(options: SeedOptions & { signal?: AbortSignal }): Promise<void> {
  await seed({
    county: options.county,
    urls: options.endpoints.urls,
    adminKey: options.adminKey,
    ...(options.planBudgetSeconds === undefined ? {} : { planBudgetSeconds: options.planBudgetSeconds }),
    reeferProfileId: demandOf(options.county, options.demand, options.day).produce.coldChainProfileId,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

export interface HourProgress {
  /** 0–23, the simulated hour just finished, in the county's time zone. */
  hour: number;
  simulatedTime: string;
  parcelsAnnounced: number;
  parcelsDelivered: number;
  routesConfirmed: number;
  readingsSent: number;
}

export interface SimulateOptions extends SeedOptions {
  clock: DemoClock;
  /** The county's local date simulated, YYYY-MM-DD. */
  day: string;
  seed: number;
  /** Share of a full day's volume (1 = the county's figures; tests use less). */
  scale?: number;
  onHour?: (progress: HourProgress) => void;
  signal?: AbortSignal;
}

export interface DayResult {
  /** Every parcel the couriers announced, by waybill. */
  waybills: string[];
  /** The injected cold-chain faults, for checks. */
  injected: {
    excursion: { containerId: string; from: string; to: string; parcelIds: string[] };
    silentSensor: { containerId: string; sensorId: string };
  };
  /** What went otherwise than planned (a refused scan, a wave with nothing to plan): for the log, not an error. */
  notes: string[];
  /** Which routes and parcels carry the day's other faults. */
  faults: {
    /** The route whose reefer warmed (the excursion), the one with a damaged and a refused parcel, the one whose handheld uploaded its stops at the return. */
    excursion: string | undefined;
    faulty: string | undefined;
    offline: string | undefined;
    unknownAddress: { courierId: string; waybill: string; correctedStationId: string };
    conflict: { courierId: string; waybill: string };
  };
}

/** Drives `day` through the real interfaces; resolves when the day's work is done and uploaded. */
export async function simulateDay(options: SimulateOptions): Promise<DayResult> {
  return runDay(options);
}

export { demoGateways, startGateways, type DemoGateway, type KeepAlive, type KeepAliveOptions } from './gateways.js';
