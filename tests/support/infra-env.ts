export interface InfraEnv {
  KAFKA_BROKERS: string;
  DATABASE_URL: string;
  REDIS_URL: string;
  /** coldchain's MQTT broker (Mosquitto); the local one when the environment names none. */
  MQTT_URL: string;
}

export const DEFAULT_MQTT_URL = 'mqtt://127.0.0.1:1883';

export function infraFromEnv(env: NodeJS.ProcessEnv = process.env): InfraEnv | undefined {
  const { KAFKA_BROKERS, DATABASE_URL, REDIS_URL, MQTT_URL } = env;
  return KAFKA_BROKERS && DATABASE_URL && REDIS_URL ? { KAFKA_BROKERS, DATABASE_URL, REDIS_URL, MQTT_URL: MQTT_URL || DEFAULT_MQTT_URL } : undefined;
}
