/**
 * The demo county's IoT gateways: which containers report and with which sensors (the simulated day's and the
 * keep-alive's alike), and the keep-alive that goes on after the day — `npm start` starts it once the summary is
 * printed, so the county's refrigerated compartments and cold room keep reporting in real time as real gateways
 * would (README "What `npm start` shows"; `DEMO_GATEWAYS=off` leaves it out).
 *
 * The keep-alive publishes one reading per sensor every `everyMs` (30 s) of the services' clock over MQTT, QoS 1, on
 * the documented topic `<prefix>county/<countyId>/coldchain/<containerId>/readings`, a batch per gateway; each
 * sensor's temperature is a seeded random walk around the middle of its container's expected profile (asked of
 * coldchain), never outside the profile's inner 70 %. The cold room the demo made fall silent stays silent: its
 * sensor is broken until someone repairs it, so its `sensor_silent` alarm stands for an operator to act on.
 */
import { createRandom } from '@county/routing';
import mqtt, { type MqttClient } from 'mqtt';
import type { DemoCounty } from '../demo-types.js';
import { must } from './http.js';
import { SimTime, sleep, type SimClockSettings } from './time.js';

export interface DemoSensor {
  sensorId: string;
  humidityPct: number;
}

export interface DemoGateway {
  gatewayId: string;
  containerId: string;
  kind: 'vehicle_compartment' | 'cold_room';
  sensors: DemoSensor[];
}

/**
 * The gateways of the demo county: each active refrigerated vehicle's compartment (two probes, front and rear), the
 * center's cold room, and the cold room `silentStationId` (the one the day makes fall silent). No cold-chain parcel is
 * bound to another cold room (chilled parcels go to stations without one), and a container never heard from is not
 * watched for silence, so the other cold rooms have no gateway.
 */
export function demoGateways(county: DemoCounty, silentStationId?: string): DemoGateway[] {
  const reefers = county.vehicles.filter((v) => v.active && v.refrigerated);
  const center = county.stations.find((s) => s.kind === 'center' && s.active !== false);
  const coldRooms = county.stations.filter((s) => s.active !== false && s.coldStorageM3 > 0 && (s.id === center?.id || s.id === silentStationId));
  return [
    ...reefers.map((v) => ({
      gatewayId: `gw-${v.id}`,
      containerId: `${v.id}/refrigerated`,
      kind: 'vehicle_compartment' as const,
      sensors: [
        { sensorId: `${v.id}-front`, humidityPct: 92 },
        { sensorId: `${v.id}-rear`, humidityPct: 91 },
      ],
    })),
    ...coldRooms.map((s) => ({ gatewayId: `gw-${s.id}`, containerId: `${s.id}/cold-room`, kind: 'cold_room' as const, sensors: [{ sensorId: `${s.id}-t1`, humidityPct: 90 }] })),
  ];
}

/** The MQTT topic a container's readings go to (coldchain's README "MQTT"). */
export function readingsTopic(topicPrefix: string, countyId: string, containerId: string): string {
  return `${topicPrefix}county/${countyId}/coldchain/${containerId}/readings`;
}

/** A profile's range, °C. */
export interface Band {
  minC: number;
  maxC: number;
}

/**
 * A sensor's temperatures, deterministic for a seed: a random walk pulled back toward the middle of the band (the
 * unit's set point), steps of a few hundredths of the band, kept within its inner 70 %; rounded to 0.1 °C as the
 * gateways report. Humidity wanders ±2 % around the sensor's own.
 */
export function sensorWalk(band: Band, seed: number, humidityPct: number): () => { temperatureC: number; humidityPct: number } {
  const random = createRandom(seed);
  const width = band.maxC - band.minC;
  const setPoint = band.minC + width * 0.45;
  const low = band.minC + width * 0.15;
  const high = band.maxC - width * 0.15;
  let t = setPoint + (random() - 0.5) * width * 0.2;
  return () => {
    t = Math.min(high, Math.max(low, t + (setPoint - t) * 0.15 + (random() - 0.5) * width * 0.12));
    const h = Math.min(100, Math.max(0, humidityPct + (random() - 0.5) * 4));
    return { temperatureC: Math.round(t * 10) / 10, humidityPct: Math.round(h) };
  };
}

export interface KeepAliveOptions {
  county: DemoCounty;
  coldchainUrl: string;
  /** A key that may read coldchain's containers and profiles (the demo's admin key). */
  adminKey: string;
  mqttUrl: string;
  /** The services' TOPIC_PREFIX ('' in `npm start`): MQTT topics carry it too. */
  topicPrefix: string;
  /** The container whose sensor the day made fall silent (`.demo/day.json` `injected.silentSensor`): it stays silent. */
  silentContainerId?: string;
  /** Between two readings of a sensor, on the services' clock (30 s). */
  everyMs?: number;
  seed?: number;
  /** The services' clock when it is not real time (CLOCK_START, CLOCK_RATE, CLOCK_ORIGIN). */
  clock?: SimClockSettings;
  /** A publish that failed (the broker away: mqtt.js reconnects, the next tick tries again). */
  onError?: (err: Error) => void;
}

export interface KeepAlive {
  /** The containers reporting, with their sensors. */
  gateways: DemoGateway[];
  /** Readings published (and acknowledged by the broker) so far. */
  readingsSent(): number;
  /** The `measuredAt` of the last tick published, ISO; undefined before the first. */
  lastTick(): string | undefined;
  /** Stops the ticks, waits for the one in flight, and disconnects. */
  stop(): Promise<void>;
}

/** At most this many missed ticks are sent late, at once (a gateway's buffer); beyond, the older ones are skipped. */
const CATCH_UP_TICKS = 10;

/**
 * Starts the demo county's gateways (see the file's comment); resolves once they are connected and know their
 * profiles. The first reading is at the next multiple of `everyMs` on the services' clock.
 */
export async function startGateways(options: KeepAliveOptions): Promise<KeepAlive> {
  const everyMs = options.everyMs ?? 30_000;
  const seed = options.seed ?? 1;
  const countyId = options.county.county.id;
  const silentStation = options.silentContainerId?.endsWith('/cold-room') ? options.silentContainerId.slice(0, -'/cold-room'.length) : undefined;
  const gateways = demoGateways(options.county, silentStation).filter((g) => g.containerId !== options.silentContainerId);
  const sim = options.clock ? new SimTime(options.clock) : undefined;
  const now = () => (sim ? sim.now().getTime() : Date.now());
  const until = async (instant: number, signal: AbortSignal) => {
    if (sim) return sim.until(new Date(instant), signal);
    const ahead = instant - Date.now();
    if (ahead > 0) await sleep(ahead, signal);
  };

  // Each container's expected profile, as coldchain has it.
  const { items } = await must<{ items: { containerId: string; profileId: string }[] }>('GET', `${options.coldchainUrl}/coldchain/containers`, options.adminKey);
  const profileOf = new Map(items.map((c) => [c.containerId, c.profileId]));
  const bands = new Map<string, Band>();
  const walks = new Map<string, ReturnType<typeof sensorWalk>>();
  for (const g of gateways) {
    const profileId = profileOf.get(g.containerId);
    if (!profileId) throw new Error(`coldchain does not know the container ${g.containerId}`);
    if (!bands.has(profileId)) bands.set(profileId, await must<Band>('GET', `${options.coldchainUrl}/coldchain/profiles/${encodeURIComponent(profileId)}`, options.adminKey));
    for (const s of g.sensors) walks.set(s.sensorId, sensorWalk(bands.get(profileId)!, seed ^ hashOf(s.sensorId), s.humidityPct));
  }

  const client: MqttClient = await mqtt.connectAsync(options.mqttUrl, { clientId: `county-gateways-${countyId}-${process.pid}-${Date.now()}`, clean: true, reconnectPeriod: 1000 });
  const abort = new AbortController();
  let sent = 0;
  let last: number | undefined;

  async function publishTick(at: number): Promise<void> {
    const measuredAt = new Date(at).toISOString();
    await Promise.all(
      gateways.map(async (g) => {
        const readings = g.sensors.map((s) => ({ containerId: g.containerId, sensorId: s.sensorId, ...walks.get(s.sensorId)!(), measuredAt }));
        await client.publishAsync(readingsTopic(options.topicPrefix, countyId, g.containerId), JSON.stringify({ gatewayId: g.gatewayId, readings }), { qos: 1 });
        sent += readings.length;
      }),
    );
    last = at;
  }

  async function loop(): Promise<void> {
    let next = Math.ceil(now() / everyMs) * everyMs;
    while (!abort.signal.aborted) {
      try {
        await until(next, abort.signal);
      } catch {
        return; // stopped
      }
      try {
        await publishTick(next);
      } catch (err) {
        options.onError?.(err as Error);
      }
      next += everyMs;
      const behind = Math.floor((now() - next) / everyMs);
      if (behind > CATCH_UP_TICKS) next += (behind - CATCH_UP_TICKS) * everyMs;
    }
  }

  const running = loop();
  return {
    gateways,
    readingsSent: () => sent,
    lastTick: () => (last === undefined ? undefined : new Date(last).toISOString()),
    async stop() {
      abort.abort(new Error('gateways stopped'));
      // A tick in flight while the broker is away would wait for it: it is given a few seconds, then dropped.
      const finished = await Promise.race([running.then(() => true), sleep(5000).then(() => false)]);
      await client.endAsync(!finished).catch(() => undefined);
    },
  };
}

/** FNV-1a of a string: a per-sensor seed. */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
