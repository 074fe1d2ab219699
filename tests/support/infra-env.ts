export interface InfraEnv {
  KAFKA_BROKERS: string;
  DATABASE_URL: string;
  REDIS_URL: string;
}

export function infraFromEnv(env: NodeJS.ProcessEnv = process.env): InfraEnv | undefined {
  const { KAFKA_BROKERS, DATABASE_URL, REDIS_URL } = env;
  return KAFKA_BROKERS && DATABASE_URL && REDIS_URL ? { KAFKA_BROKERS, DATABASE_URL, REDIS_URL } : undefined;
}
