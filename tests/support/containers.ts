import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { InfraEnv } from './infra-env.js';

/** True when a Docker engine answers (the client alone is not enough). */
export async function dockerEngineAnswers(): Promise<boolean> {
  try {
    await promisify(execFile)('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts Kafka (KRaft), Postgres, Redis and Mosquitto with Testcontainers; returns their connection strings and
 * a function that stops them. Only loaded where a Docker engine answers (docs/architecture.md §4).
 */
export async function startContainers(): Promise<{ env: InfraEnv; stop: () => Promise<void> }> {
  const [{ KafkaContainer }, { PostgreSqlContainer }, { RedisContainer }, { GenericContainer, Wait }] = await Promise.all([
    import('@testcontainers/kafka'),
    import('@testcontainers/postgresql'),
    import('@testcontainers/redis'),
    import('testcontainers'),
  ]);
  const [kafka, postgres, redis, mosquitto] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().withEnvironment({
      KAFKA_MESSAGE_MAX_BYTES: String(17 * 1024 * 1024),
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    }).start(),
    new PostgreSqlContainer('postgres:16-alpine').start(),
    new RedisContainer('redis:7-alpine').start(),
    // The image's own anonymous config (listener 1883 on all interfaces); coldchain's gateways' broker.
    new GenericContainer('eclipse-mosquitto:2.0')
      .withCommand(['mosquitto', '-c', '/mosquitto-no-auth.conf'])
      .withExposedPorts(1883)
      .withWaitStrategy(Wait.forListeningPorts())
      .start(),
  ]);
  return {
    env: {
      KAFKA_BROKERS: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
      DATABASE_URL: postgres.getConnectionUri(),
      REDIS_URL: redis.getConnectionUrl(),
      MQTT_URL: `mqtt://${mosquitto.getHost()}:${mosquitto.getMappedPort(1883)}`,
    },
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop(), redis.stop(), mosquitto.stop()]);
    },
  };
}
