/**
 * The county-day simulator's interface (issue #13): seeds the demo county through the services' real
 * interfaces and drives one simulated day through them, as the real actors would. `npm start` and
 * `npm run demo:once` (demo/run.ts) call these two; tests/county-day.e2e.test.ts runs a smaller day.
 *
 * The bodies are being built (branch `sim`); this file fixes the shape both sides code against.
 */
import type { DemoCounty } from '../demo-types.js';

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
}

/** Imports the county at intake and sets up what the other services need (dispatch settings, cold-chain containers); idempotent. */
export async function seedDemoCounty(options: SeedOptions): Promise<void> {
  void options;
  throw new Error('seedDemoCounty: not built yet (issue #13, branch sim)');
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
}

/** Drives `day` through the real interfaces; resolves when the day's work is done and uploaded. */
export async function simulateDay(options: SimulateOptions): Promise<DayResult> {
  void options;
  throw new Error('simulateDay: not built yet (issue #13, branch sim)');
}
