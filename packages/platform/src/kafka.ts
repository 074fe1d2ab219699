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

/**
 * kafkajs warnings that are expected and handled, logged at debug: the idempotent producer's note on its bounded
 * retries (the outbox re-sends what was not acknowledged; docs/architecture.md §4), and a partition's leader not
 * known yet right after its topic was created (kafkajs refreshes its metadata and retries).
 */
const EXPECTED = [/^Limiting retries for the idempotent producer/, /not the leader for that topic-partition/];

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
        const expected = EXPECTED.some((pattern) => pattern.test(String(message)) || pattern.test(String(extra.error ?? '')));
        kafkaLogger[expected ? 'debug' : (levels[level] ?? 'info')](extra, message);
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
    // A dead-letter topic the relay makes sure of before its first dead letter has no dead-letter
    // topic of its own, and one partition like every other.
    if (spec.name.endsWith('.dlq')) {
      configs.push({ topic: name, numPartitions: 1, replicationFactor: settings.replicationFactor, configEntries: common });
      continue;
    }
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

export interface TopicWait {
  /** How long to wait for the topics to be usable before failing (default 30 s). */
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Creates the topics that are missing (existing ones are left as they are), then waits until every
 * one of them is usable (waitForTopics). kafkajs's own `waitForLeaders` retries only
 * LEADER_NOT_AVAILABLE: a freshly started broker under load that has not applied a new topic yet
 * answers "This server does not host this topic-partition" and it gave up (the CI flake of #8).
 */
export async function ensureTopics(admin: Admin, configs: ITopicConfig[], wait: TopicWait = {}): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = configs.filter((c) => !existing.has(c.topic));
  if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: false });
  // Existing ones too: another client (the runtime and its relay, say) may have created them a moment ago.
  await waitForTopics(admin, configs.map((c) => c.topic), wait);
  return missing.map((c) => c.topic);
}

/**
 * Polls, up to a deadline, until each topic has metadata with a leader for every partition and its
 * leaders answer for them (offsets), as the clients of this cluster will see them; then producers
 * and consumers can use it. Fails naming the topics that are still not ready.
 */
export async function waitForTopics(admin: Admin, topics: readonly string[], { timeoutMs = 30_000, intervalMs = 100 }: TopicWait = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...new Set(topics)];
  for (;;) {
    const problems = await Promise.all(pending.map((topic) => topicProblem(admin, topic)));
    pending = pending.filter((_, i) => problems[i] !== null);
    if (pending.length === 0) return;
    if (Date.now() >= deadline) throw new Error(`kafka topics not ready within ${timeoutMs} ms: ${problems.filter((p) => p !== null).join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Why a topic is not usable yet, or null when it is. */
async function topicProblem(admin: Admin, topic: string): Promise<string | null> {
  try {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    if (!metadata || metadata.partitions.length === 0) return `${topic} has no partitions yet`;
    const leaderless = metadata.partitions.filter((p) => p.leader < 0 || p.partitionErrorCode !== 0);
    if (leaderless.length > 0) return `${topic} partitions ${leaderless.map((p) => p.partitionId).join(', ')} have no leader yet`;
    // The leader may announce a partition before it hosts it: ask it for the offsets.
    await admin.fetchTopicOffsets(topic);
    return null;
  } catch (err) {
    return `${topic}: ${(err as Error).message}`;
  }
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

/** Sends with gzip, as manifests of 1,000 parcels need (docs/architecture.md §3 "Size"). */
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
