import { deadLetterTopic, topics as catalogue, type TopicSpec } from '@county/contracts';
import {
  CompressionTypes,
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type ITopicConfig,
  type LogEntry,
  type Message,
  type Producer,
} from 'kafkajs';
import { registerCompressionCodecs } from './codecs.js';
import type { Logger } from './logger.js';

export type { Admin, Consumer, Kafka, Message, Producer } from 'kafkajs';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Health checks want one quick try; runtime clients retry. */
  retries?: number;
  connectionTimeout?: number;
  /** Health probes expect failures and report them; their client logs nothing. */
  silent?: boolean;
}

// kafkajs logs every failed connection attempt at ERROR while it is still retrying; the platform
// reports outages itself (readiness, retry warnings), so kafkajs's own errors are warnings here.
const levels: Record<number, 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'warn',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka({ brokers, clientId, logger, retries = 8, connectionTimeout = 3000, silent = false }: KafkaSettings): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  registerCompressionCodecs();
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout,
    requestTimeout: 30_000,
    retry: { retries, initialRetryTime: 300, maxRetryTime: 10_000 },
    // kafkajs logs connection errors at ERROR while it retries them; the platform reports outages
    // itself, so its chatter goes to debug below WARN.
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        kafkaLogger[levels[level] ?? 'info'](extra, message);
      },
  });
}

/** Physical topic names: the deployment's (or the test's) prefix plus the logical name. */
export function topicName(prefix: string, logical: string): string {
  return `${prefix}${logical}`;
}

export interface TopicSettings {
  prefix: string;
  partitions: number;
  replicationFactor: number;
  maxMessageBytes: number;
}

/** Every topic of the catalogue and its dead-letter topic, as the broker should have them. */
export function topicConfigs(settings: TopicSettings, specs: readonly TopicSpec[] = Object.values(catalogue)): ITopicConfig[] {
  const configs: ITopicConfig[] = [];
  for (const spec of specs) {
    const name = topicName(settings.prefix, spec.name);
    const common = [{ name: 'max.message.bytes', value: String(settings.maxMessageBytes) }];
    configs.push({
      topic: name,
      numPartitions: settings.partitions,
      replicationFactor: settings.replicationFactor,
      configEntries: spec.compacted ? [...common, { name: 'cleanup.policy', value: 'compact' }] : common,
    });
    configs.push({
      topic: deadLetterTopic(name),
      numPartitions: 1,
      replicationFactor: settings.replicationFactor,
      configEntries: common,
    });
  }
  return configs;
}

/** Creates the topics that are missing; existing ones are left as they are. */
export async function ensureTopics(admin: Admin, configs: ITopicConfig[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = configs.filter((c) => !existing.has(c.topic));
  if (missing.length === 0) return [];
  await admin.createTopics({ topics: missing, waitForLeaders: true });
  return missing.map((c) => c.topic);
}

export function createProducer(kafka: Kafka): Producer {
  // Idempotent delivery needs one request in flight, or the broker rejects out-of-order sequences.
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
}

/** Sends with gzip, as manifests of 1,000 parcels need (DESIGN.md §3 "Size"). */
export async function publish(producer: Producer, topic: string, messages: Message[]): Promise<void> {
  await producer.send({ topic, messages, compression: CompressionTypes.GZIP, acks: -1 });
}

/** One quick question to the broker, for readiness: is there a cluster that answers? */
export async function pingKafka(brokers: string[], logger: Logger, timeoutMs = 2000): Promise<void> {
  const kafka = createKafka({ brokers, clientId: 'health', logger, retries: 0, connectionTimeout: timeoutMs, silent: true });
  const admin = kafka.admin({ retry: { retries: 0 } });
  const timeout = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([admin.connect().then(() => admin.describeCluster()), timeout]);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
