import type { Clock, Logger, Pool, Runtime } from '@county/platform';
import { createReadingsIngest, type ReadingsIngest } from './ingest.js';
import { noReadingsListener, type ReadingsListener } from './listener.js';
import { defaultClientId, startMqttReadings, type MqttSettings } from './mqtt.js';
import { createPartitionKeeper, type PartitionKeeper } from './partitions.js';
import { readingsPorts, rememberingKnownContainers, type ReadingsPorts } from './ports.js';

export type { ReadingsIngest } from './ingest.js';
export type { ReadingsListener, StoredReading } from './listener.js';
export { noReadingsListener } from './listener.js';
export { readingsBetween } from './store.js';
export { readingsConsumer } from './kafka.js';
export { registerReadingsRoutes } from './http.js';
export { readingsTopic } from './domain/mqtt-topic.js';

/** The readings settings of coldchain's config (src/config.ts). */
export interface ReadingsConfig {
  DB_SCHEMA: string;
  GROUP_PREFIX: string;
  TOPIC_PREFIX: string;
  READINGS_CLOCK_SKEW_SECONDS: number;
  READINGS_RETENTION_DAYS: number;
  MQTT_URL: string;
  MQTT_ENABLED: boolean;
  MQTT_CLIENT_ID?: string | undefined;
  MQTT_SESSIONS?: number | undefined;
  MQTT_USERNAME?: string | undefined;
  MQTT_PASSWORD?: string | undefined;
}

const DAY_MS = 86_400_000;
const DEFAULTS = { READINGS_CLOCK_SKEW_SECONDS: 300, READINGS_RETENTION_DAYS: 366 };

export interface Readings {
  ingest: ReadingsIngest;
  partitions: PartitionKeeper;
}

/** The ingest every transport shares; the listener is monitoring's tracker (none: `noReadingsListener`). */
export function openReadings(
  deps: { pool: Pool; clock: Clock; logger: Logger },
  config: Pick<ReadingsConfig, 'DB_SCHEMA'> & Partial<ReadingsConfig>,
  options: { listener?: ReadingsListener; ports?: ReadingsPorts } = {},
): Readings {
  const retentionMs = (config.READINGS_RETENTION_DAYS ?? DEFAULTS.READINGS_RETENTION_DAYS) * DAY_MS;
  const logger = deps.logger.child({ component: 'readings' });
  const partitions = createPartitionKeeper({ pool: deps.pool, schema: config.DB_SCHEMA, logger, retentionMs });
  const ingest = createReadingsIngest({
    pool: deps.pool,
    clock: deps.clock,
    logger,
    listener: options.listener ?? noReadingsListener,
    ports: rememberingKnownContainers(options.ports ?? readingsPorts),
    partitions,
    rules: { clockSkewMs: (config.READINGS_CLOCK_SKEW_SECONDS ?? DEFAULTS.READINGS_CLOCK_SKEW_SECONDS) * 1000, retentionMs },
  });
  return { ingest, partitions };
}

const UPKEEP_INTERVAL_MS = 6 * 3600_000;

/**
 * Once migrated, and every 6 hours: next months' partitions created ahead, those past the retention dropped; MQTT
 * subscribed (unless `MQTT_ENABLED=false`). Both stop with the runtime.
 */
export function runReadings(runtime: Runtime, readings: Readings, config: ReadingsConfig): void {
  const log = runtime.logger.child({ component: 'readings' });
  let timer: NodeJS.Timeout | undefined;
  const upkeep = () =>
    readings.partitions.maintain(runtime.clock()).catch((err: unknown) => log.warn({ err }, 'readings partitions upkeep failed; retrying at the next'));
  let mqtt: ReturnType<typeof startMqttReadings> | undefined;
  let stopped = false;
  void runtime.migrated.then(async () => {
    if (stopped) return;
    await upkeep();
    timer = setInterval(() => void upkeep(), UPKEEP_INTERVAL_MS);
    if (config.MQTT_ENABLED && !stopped) {
      mqtt = startMqttReadings({
        pool: runtime.pool,
        outbox: runtime.outbox,
        clock: runtime.clock,
        ingest: readings.ingest,
        topicPrefix: config.TOPIC_PREFIX,
        logger: runtime.logger,
        settings: mqttSettings(config),
      });
      runtime.health.push(mqtt.health);
    }
  });
  runtime.lifecycle.add('readings', async () => {
    stopped = true;
    clearInterval(timer);
    await mqtt?.stop();
    await readings.ingest.idle();
  });
}

export function mqttSettings(config: ReadingsConfig): MqttSettings {
  return {
    url: config.MQTT_URL,
    clientId: config.MQTT_CLIENT_ID ?? defaultClientId(config.GROUP_PREFIX),
    sessions: config.MQTT_SESSIONS ?? 4,
    shareGroup: `${config.GROUP_PREFIX}coldchain`,
    ...(config.MQTT_USERNAME ? { username: config.MQTT_USERNAME } : {}),
    ...(config.MQTT_PASSWORD ? { password: config.MQTT_PASSWORD } : {}),
  };
}
