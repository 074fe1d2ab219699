import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { buildEvent, type Envelope } from '@county/contracts';
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
} from '@county/platform';
import mqtt, { type MqttClient } from 'mqtt';
import { inject } from 'vitest';
import { testLogger } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';
import { openReadings, readingsConsumer, runReadings, type ReadingsConfig, type ReadingsListener, type StoredReading } from '../src/readings/index.js';
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

/** coldchain's readings as main.ts runs them, in-process: runtime, HTTP app and the readings consumer. */
export async function runningReadings(config: BaseConfig, options: { listener?: ReadingsListener; ports?: ReadingsPorts; mqtt?: Partial<ReadingsConfig> } = {}) {
  const runtime = openRuntime({ service: 'coldchain', config, migrationsDir: coldchainMigrationsDir, logger: testLogger('coldchain') });
  await runtime.migrated;
  const readings = openReadings(runtime, config, options);
  // Partitions kept and, when asked, MQTT subscribed, as main.ts does.
  runReadings(runtime, readings, readingsConfig(config, { MQTT_ENABLED: false, ...options.mqtt }));
  const app = await buildApp({ ...runtime, readings: readings.ingest });
  await app.ready();
  runtime.lifecycle.add('http', () => app.close());
  await consume(runtime, readingsConsumer('coldchain', readings.ingest));
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
