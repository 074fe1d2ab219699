import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { topics, type Envelope, type Role } from '@county/contracts';
import { consume, issueKey, openRuntime, readTopic, withTransaction, type BaseConfig, type Clock, type Pool } from '@county/platform';
import { testLogger, waitFor } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';
import type { Sample } from '../src/monitoring/domain/fold.js';
import { openMonitoring, runMonitoring, type MonitoringPorts } from '../src/monitoring/index.js';
import type { MonitoredProfile } from '../src/monitoring/ports.js';
import { monitoringPorts } from '../src/monitoring/wiring.js';
import { consumers } from '../src/consumers.js';
import { noReadingsListener, openReadings, runReadings, type ReadingsIngest } from '../src/readings/index.js';
import { readingsConfig } from './readings-support.js';

export const coldchainMigrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

export const freshId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** The stone-fruit transport profile of DOMAIN-FIGURES.md: 0–4 °C, 30 min tolerated, readings hold 10 min. */
export const stoneFruit: MonitoredProfile = { id: 'yellow-peach', minC: 0, maxC: 4, toleratedMinutes: 30, silenceGapMinutes: 10 };

/** A clock the test moves. */
export function testClock(start: string) {
  let now = Date.parse(start);
  const clock: Clock = () => new Date(now);
  return { clock, set: (iso: string) => (now = Date.parse(iso)), advance: (ms: number) => (now += ms) };
}

/**
 * The catalogue's answers for these suites: each container's profile and the parcels bound to it, given by the
 * test (containers of this county: `<id>/refrigerated`, `<id>/cold-room`); readings are the ingest's table.
 */
export function testPorts(profiles: Map<string, MonitoredProfile>, parcels: Map<string, string[]>): MonitoringPorts {
  return {
    profileOfContainer: async (_db, _countyId, containerId) => profiles.get(containerId),
    parcelsInContainer: async (_db, _countyId, containerId) => parcels.get(containerId) ?? [],
    containersOf: async () => [...profiles.keys()],
    readingsBetween: monitoringPorts.readingsBetween,
  };
}

/** With the catalogue's answers given by the test, the ingest takes every container (no master data published). */
const anyContainer = { knownContainers: async (_db: unknown, _countyId: string, ids: readonly string[]) => new Set(ids) };

/**
 * coldchain as main.ts runs it over a suite's own schema and topics — runtime (relay included), monitoring (tracker,
 * silence scanner), the readings ingest with the tracker as its listener, its Kafka consumers (readings, the
 * catalogue's) and the HTTP app — with the test's clock and monitoring's ports (the catalogue's answers given by the
 * test, or the real ones: `monitoringPorts`). MQTT stays off (the ingest's suites cover it). The scanner passes only
 * when asked (`scanner().nextPass()`), so the tests decide when time has passed.
 */
export async function runningColdchain(config: BaseConfig, { clock, ports = monitoringPorts, checkpointEveryMs }: { clock: Clock; ports?: MonitoringPorts; checkpointEveryMs?: number }) {
  // The real catalogue decides which containers the ingest takes too.
  const ingestPorts = ports === monitoringPorts ? {} : { ports: anyContainer };
  const runtime = openRuntime({ service: 'coldchain', config, migrationsDir: coldchainMigrationsDir, logger: testLogger('coldchain'), clock });
  await runtime.migrated;
  const monitoring = openMonitoring(runtime, { ports, ...(checkpointEveryMs ? { checkpointEveryMs } : {}) });
  const worker = runMonitoring(runtime, monitoring, { intervalMs: 3_600_000, standbyRetryMs: 200 });
  const readings = openReadings(runtime, config, { listener: monitoring.tracker, ...ingestPorts });
  runReadings(runtime, readings, readingsConfig(config, { MQTT_ENABLED: false }));
  const deps = { ...runtime, readings: readings.ingest, monitoring };
  const app = await buildApp(deps);
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  for (const spec of consumers(deps)) await consume(runtime, spec);
  // The same store without a listener: what an ingest that died before telling the tracker left behind.
  const silentIngest = openReadings(runtime, config, { listener: noReadingsListener, ...ingestPorts }).ingest;
  const scanner = () => waitFor(() => worker.scanner());
  const issue = async (countyId: string, role: Role, scope: Record<string, unknown> = {}) =>
    (await withTransaction(runtime.pool, (tx) => issueKey(tx, noOutbox, { countyId, role, name: `${role} of a monitoring test`, scope } as Parameters<typeof issueKey>[2], new Date(), 'coldchain'))).key;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, key: string | undefined, payload?: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, headers: { ...(key ? { 'x-api-key': key } : {}), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  /** A batch through the ingest (as any transport hands it in): stored once, then the tracker told; resolves once it heard. */
  const feed = async (countyId: string, containerId: string, samples: Sample[]) => {
    const stored = await storeReadings(runtime.pool, readings.ingest, countyId, containerId, samples);
    await readings.ingest.idle();
    return stored;
  };
  /** A batch the ingest stored and then died before telling the tracker. */
  const storeOnly = (countyId: string, containerId: string, samples: Sample[]) => storeReadings(runtime.pool, silentIngest, countyId, containerId, samples);
  return { runtime, app, monitoring, scanner, issue, call, feed, storeOnly, stop: () => runtime.lifecycle.shutdown() };
}

export type RunningColdchain = Awaited<ReturnType<typeof runningColdchain>>;

const noOutbox = { add: async () => undefined };

async function storeReadings(pool: Pool, ingest: ReadingsIngest, countyId: string, containerId: string, samples: Sample[]): Promise<number> {
  const rows = samples.map((s) => ({ countyId, containerId, sensorId: s.sensorId, temperatureC: s.temperatureC, measuredAt: new Date(s.at).toISOString() }));
  return (await withTransaction(pool, (tx) => ingest.store(tx, rows))).length;
}

/** One reading every 30 s of `sensorId` from minute `from` to `to` (exclusive) after `start`, at `c(minute)` °C. */
export function series(start: string, sensorId: string, from: number, to: number, c: (minute: number) => number): Sample[] {
  const t0 = Date.parse(start);
  const out: Sample[] = [];
  for (let m = from; m < to; m += 0.5) out.push({ sensorId, at: t0 + m * 60_000, temperatureC: c(m) });
  return out;
}

/** Monitoring's events on coldchain.events keyed by this container, once `found` holds for them. */
export async function containerEvents(run: RunningColdchain, config: BaseConfig, containerId: string, found: (events: Envelope[]) => boolean): Promise<Envelope[]> {
  const topic = `${config.TOPIC_PREFIX}${topics.coldchainEvents.name}`;
  return waitFor(
    async () => {
      const events = (await readTopic<Envelope>(run.runtime.kafka, topic).catch(() => [])).filter((m) => m.key === containerId).map((m) => m.value);
      return found(events) ? events : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}

/** Every event monitoring wrote for the container to its outbox (published or not), in order. */
export async function outboxEvents(pool: Pool, containerId: string): Promise<Envelope[]> {
  const { rows } = await pool.query<{ payload: Envelope }>(`SELECT payload FROM outbox WHERE key = $1 ORDER BY seq`, [containerId]);
  return rows.map((r) => r.payload);
}

export const typesOf = (events: Envelope[]) => events.map((e) => e.type);

export const parcelId = () => randomUUID();
