import type { Admin, Kafka } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';

export interface LaggingConsumer {
  /** The consumer's name (its inbox name), the `consumer` label. */
  consumer: string;
  groupId: string;
  topicPrefix: string;
  /** Logical topic names, the `topic` label. */
  topics: string[];
}

interface Tracker {
  kafka: Kafka;
  consumers: Map<string, LaggingConsumer>;
  admin?: Admin;
  /** The read in flight: scrapes during a slow broker share it rather than pile up. */
  reading?: Promise<LagSample[]>;
}

interface LagSample {
  consumer: string;
  topic: string;
  partition: number;
  lag: number;
}

/** A scrape must answer even when the broker does not; the lag is then left out, not guessed. */
const READ_TIMEOUT_MS = 2000;

const trackers = new WeakMap<Registry, Tracker>();

/**
 * `kafka_consumer_lag{consumer,topic,partition}`: messages on the broker that the consumer group has
 * not committed yet (high watermark − committed offset), read from the broker when `/metrics` is
 * scraped. Asking the broker, rather than counting in the consumer, shows the lag of a consumer
 * that is stuck, paused or crashed — the one an operator needs to see. Returns the way to stop
 * tracking (the last one out disconnects the admin client).
 */
export function trackConsumerLag(registry: Registry, kafka: Kafka, consumer: LaggingConsumer): () => Promise<void> {
  let tracker = trackers.get(registry);
  if (!tracker) {
    tracker = { kafka, consumers: new Map() };
    trackers.set(registry, tracker);
  }
  if (!registry.getSingleMetric('kafka_consumer_lag')) lagGauge(registry);
  tracker.consumers.set(consumer.consumer, consumer);
  const tracked = tracker;
  return async () => {
    tracked.consumers.delete(consumer.consumer);
    if (tracked.consumers.size > 0) return;
    const admin = tracked.admin;
    delete tracked.admin;
    await admin?.disconnect();
  };
}

function lagGauge(registry: Registry): Gauge<'consumer' | 'topic' | 'partition'> {
  return new Gauge({
    name: 'kafka_consumer_lag',
    help: 'Messages not yet committed by the consumer group: high watermark minus committed offset',
    labelNames: ['consumer', 'topic', 'partition'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const tracker = trackers.get(registry);
      if (!tracker || tracker.consumers.size === 0) return;
      tracker.reading ??= readLag(tracker).finally(() => delete tracker.reading);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<LagSample[]>((resolve) => {
        timer = setTimeout(() => resolve([]), READ_TIMEOUT_MS);
      });
      const samples = await Promise.race([tracker.reading.catch(() => []), timeout]).finally(() => clearTimeout(timer));
      for (const s of samples) this.set({ consumer: s.consumer, topic: s.topic, partition: String(s.partition) }, s.lag);
    },
  });
}

async function readLag(tracker: Tracker): Promise<LagSample[]> {
  if (!tracker.admin) {
    // No retries of its own: the next scrape is the retry.
    const admin = tracker.kafka.admin({ retry: { retries: 0 } });
    await admin.connect();
    tracker.admin = admin;
  }
  const admin = tracker.admin;
  const ends = new Map<string, Promise<{ partition: number; high: string; low: string }[]>>();
  const samples: LagSample[] = [];
  for (const c of tracker.consumers.values()) {
    const topics = c.topics.map((t) => `${c.topicPrefix}${t}`);
    const committed = await admin.fetchOffsets({ groupId: c.groupId, topics });
    for (const { topic, partitions } of committed) {
      if (!ends.has(topic)) ends.set(topic, admin.fetchTopicOffsets(topic));
      // A topic not created yet has no lag to report; the others still do.
      const offsets = await ends.get(topic)!.catch(() => []);
      for (const end of offsets) {
        const done = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        // Nothing committed yet: the group starts at the earliest offset still on the broker.
        const from = Number(done) >= 0 ? Number(done) : Number(end.low);
        samples.push({ consumer: c.consumer, topic: topic.slice(c.topicPrefix.length), partition: end.partition, lag: Math.max(0, Number(end.high) - from) });
      }
    }
  }
  return samples;
}
