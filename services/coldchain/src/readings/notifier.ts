import type { Logger } from '@county/platform';
import type { ReadingsListener, StoredReading } from './listener.js';

export interface Notifier {
  /** Tells the listener about committed readings, per container in the order they were committed. */
  tell(groups: readonly { countyId: string; containerId: string; readings: StoredReading[] }[]): void;
  /** Resolves once at most `limit` calls are waiting: the ingest's back-pressure. */
  below(limit: number): Promise<void>;
  /** Resolves when every call told so far has returned. */
  idle(): Promise<void>;
}

/**
 * Calls the listener after commit, off the transaction's path, one call at a time per container (calls for
 * different containers overlap): a listener keeping a container's state never sees two of its batches at once, and
 * sees them in commit order. A listener that throws is logged; the readings stay stored.
 */
export function createNotifier(listener: ReadingsListener, logger: Logger): Notifier {
  const tails = new Map<string, Promise<void>>();
  let pending = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    const ready = waiters;
    waiters = [];
    for (const wake of ready) wake();
  };

  return {
    tell(groups) {
      for (const { countyId, containerId, readings } of groups) {
        if (readings.length === 0) continue;
        const key = `${countyId}\u0000${containerId}`;
        pending++;
        const next = (tails.get(key) ?? Promise.resolve())
          .then(() => listener.onReadings(countyId, containerId, readings))
          .catch((err: unknown) => logger.error({ err, countyId, containerId, readings: readings.length }, 'readings listener failed; the readings stay stored'))
          .finally(() => {
            pending--;
            if (tails.get(key) === next) tails.delete(key);
            settle();
          });
        tails.set(key, next);
      }
    },
    async below(limit) {
      while (pending > limit) await new Promise<void>((wake) => waiters.push(wake));
    },
    async idle() {
      while (pending > 0) await new Promise<void>((wake) => waiters.push(wake));
    },
  };
}
