import { deadLetterTopic, topics } from '@county/contracts';
import { AppError, type Kafka } from '@county/platform';
import { fail } from '../errors.js';
import { waitingIn } from './domain/waiting.js';

export interface DeadLetterCount {
  /** The logical dead-letter topic, e.g. `courier.manifests.dlq`. */
  topic: string;
  waiting: number;
}

/** The broker must answer within this, or the board says it is unavailable instead of hanging. */
const BROKER_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(fail('BROKER_UNAVAILABLE')), BROKER_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Counts the dead letters waiting on the broker, per dead-letter topic of the catalogue (`deadLetterTopic`), as
 * `npm run dlq -- list` would list them: a topic never created holds none. One admin client, connected on first use.
 */
export function deadLetterCounter(kafka: Kafka, topicPrefix: string) {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  const count = async (): Promise<DeadLetterCount[]> => {
    connected ??= admin.connect().catch((err: unknown) => {
      connected = undefined;
      throw err;
    });
    await connected;
    const existing = new Set(await admin.listTopics());
    const names = Object.values(topics).map((spec) => deadLetterTopic(spec.name));
    return Promise.all(
      names.map(async (topic) => {
        const physical = `${topicPrefix}${topic}`;
        return { topic, waiting: existing.has(physical) ? waitingIn(await admin.fetchTopicOffsets(physical)) : 0 };
      }),
    );
  };
  return {
    count: async () => {
      try {
        return await withTimeout(count());
      } catch (err) {
        throw err instanceof AppError ? err : fail('BROKER_UNAVAILABLE');
      }
    },
    close: async () => {
      if (connected) await admin.disconnect();
    },
  };
}
