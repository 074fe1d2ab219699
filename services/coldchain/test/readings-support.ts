import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { buildEvent, topics, type Envelope } from '@county/contracts';
import {
  consume,
  createKafka,
  createProducer,
  issueKey,
  openRuntime,
  publish,
  withTransaction,
  type BaseConfig,
  type NewKey,
  type Producer,
  type Queryable,
} from '@county/platform';
import mqtt, { type MqttClient } from 'mqtt';
import { inject } from 'vitest';
import { testLogger, waitFor } from '../../../tests/support/harness.js';
import { masterDataEvent, stationRecord, vehicleRecord } from '../../dispatch/test/readmodel-events.js';
import { buildApp } from '../src/app.js';
import { knownContainers } from '../src/catalogue/index.js';
import { consumers } from '../src/consumers.js';
import { openReadings, runReadings, type ReadingsConfig, type ReadingsListener, type StoredReading } from '../src/readings/index.js';
import type { ReadingsPorts } from '../src/readings/ports.js';

export const coldchainMigrationsDir = fileURLToPath(new URL('../db/migrations', import.meta.url));

/** The MQTT broker of the test infrastructure. */
export function mqttUrl(): string {
  return (inject('infra') as { MQTT_URL?: string }).MQTT_URL ?? process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
}

/** What the listener heard, call by call: the monitoring engineer's tracker stands here. */
export interface Heard {
  countyId: string;
  containerId: string;
  readings: StoredReading[];
}

export function recordingListener(): ReadingsListener & { heard: Heard[] } {
  const heard: Heard[] = [];
  return {
    heard,
    async onReadings(countyId, containerId, readings) {
      heard.push({ countyId, containerId, readings });
    },
  };
}

/** A fresh county id for a test. */
export function county(): string {
  return `cn-${randomBytes(3).toString('hex')}`;
}

/**
 * coldchain's readings as main.ts runs them, in-process: runtime, HTTP app and coldchain's consumers — the readings
 * consumer and the catalogue's, so a test's containers come from master data as in production (`seedContainers`).
 */
export async function runningReadings(config: BaseConfig, options: { listener?: ReadingsListener; ports?: ReadingsPorts; mqtt?: Partial<ReadingsConfig> } = {}) {
  const runtime = openRuntime({ service: 'coldchain', config, migrationsDir: coldchainMigrationsDir, logger: testLogger('coldchain') });
  await runtime.migrated;
  const readings = openReadings(runtime, config, options);
  // Partitions kept and, when asked, MQTT subscribed, as main.ts does.
  runReadings(runtime, readings, readingsConfig(config, { MQTT_ENABLED: false, ...options.mqtt }));
  const app = await buildApp({ ...runtime, readings: readings.ingest });
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  for (const spec of consumers({ ...runtime, readings: readings.ingest })) await consume(runtime, spec);
  const issue = async (input: NewKey) => (await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, input, new Date()))).key;
  return { runtime, app, readings, issue };
}

/** A gateway's Kafka producer. */
export async function gatewayProducer(config: BaseConfig): Promise<Producer> {
  const producer = createProducer(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'gateway', logger: testLogger('gateway') }));
  await producer.connect();
  return producer;
}

export function readingsBatch(countyId: string, containerId: string, readings: unknown[]): Envelope {
  return buildEvent({ type: 'coldchain.readings_submitted', countyId, subject: containerId, source: 'gateway', data: { readings } });
}

export function oneReading(countyId: string, reading: { containerId: string; sensorId: string; temperatureC: number; measuredAt: string }): Envelope {
  return buildEvent({ type: 'coldchain.reading_recorded', countyId, subject: reading.containerId, source: 'gateway', data: reading });
}

export async function publishReadings(producer: Producer, config: BaseConfig, events: Envelope[]): Promise<void> {
  await publish(producer, `${config.TOPIC_PREFIX}coldchain.readings`, events.map((event) => ({ key: event.subject, value: JSON.stringify(event) })));
}

/** A reading measured `minutesAgo` before now (real time: the service's clock). */
export function reading(containerId: string, sensorId: string, minutesAgo: number, temperatureC = 4): { containerId: string; sensorId: string; temperatureC: number; measuredAt: string } {
  const now = Math.floor(Date.now() / 1000) * 1000;
  return { containerId, sensorId, temperatureC, measuredAt: new Date(now - minutesAgo * 60_000).toISOString() };
}

/** coldchain's readings config for a process or an in-process runtime of a test. */
export function readingsConfig(base: BaseConfig, overrides: Partial<ReadingsConfig> = {}): ReadingsConfig {
  return {
    DB_SCHEMA: base.DB_SCHEMA,
    GROUP_PREFIX: base.GROUP_PREFIX,
    TOPIC_PREFIX: base.TOPIC_PREFIX,
    READINGS_CLOCK_SKEW_SECONDS: 300,
    READINGS_RETENTION_DAYS: 366,
    MQTT_URL: mqttUrl(),
    MQTT_ENABLED: true,
    ...overrides,
  };
}

/** A gateway's MQTT client: QoS 1 publishes, each resolved once the broker has it. */
export async function mqttGateway(): Promise<MqttClient> {
  return mqtt.connectAsync(mqttUrl(), { protocolVersion: 5, clientId: `gateway-${randomBytes(4).toString('hex')}`, reconnectPeriod: 500 });
}

/**
 * Makes the containers named exist in the county's catalogue through its real path: a refrigerated vehicle
 * (`<vehicleId>/refrigerated`) or a station with cold storage (`<stationId>/cold-room`) published on
 * `masterdata.events` as intake's relay does, then waits until the catalogue consumer has applied EVERY event and
 * each container is known. `db` is coldchain's schema (an in-process runtime's pool, or a pool on a process's).
 */
export async function seedContainers(producer: Producer, config: BaseConfig, db: Queryable, countyId: string, containerIds: readonly string[]): Promise<void> {
  const messages = containerIds.map((containerId) => {
    const [id, kind] = containerId.split('/') as [string, string];
    if (kind === 'refrigerated') return masterDataEvent('vehicle', vehicleRecord(countyId, id, { refrigerated: true, refrigeratedCapacityKg: 300, refrigeratedCapacityM3: 2 }));
    if (kind === 'cold-room') return masterDataEvent('station', stationRecord(countyId, id, 'town', { coldStorageM3: 20 }));
    throw new Error(`not a container id of the documented forms: ${containerId}`);
  });
  await publish(producer, `${config.TOPIC_PREFIX}${topics.masterdata.name}`, messages.map((m) => ({ key: m.key, value: JSON.stringify(m.event) })));
  const ids = messages.map((m) => m.event.id);
  await waitFor(async () => {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'coldchain.catalogue-masterdata' AND event_id = ANY($1::uuid[])`, [ids]);
    return rows[0]!.n === ids.length ? true : undefined;
  });
  const known = await knownContainers(db, countyId, containerIds);
  const missing = containerIds.filter((id) => !known.has(id));
  if (missing.length > 0) throw new Error(`master data applied but not containers: ${missing.join(', ')}`);
}
