import type { Issue } from '@county/contracts';
import { afterCommit, type Clock, type Logger, type Pool, type PoolClient, type Queryable } from '@county/platform';
import { distinctSorted, groupByContainer, type CountyReading } from './domain/batch.js';
import { monthsOf } from './domain/partitions.js';
import { checkReadings, refuseUnknownContainers, type ReadingRules, type Refused } from './domain/validate.js';
import type { ReadingsListener, StoredReading } from './listener.js';
import { createNotifier, type Notifier } from './notifier.js';
import type { PartitionKeeper } from './partitions.js';
import type { ReadingsPorts } from './ports.js';
import { insertReadings } from './store.js';

/** What one transport hands in: a county's items, as sent. */
export interface Submission {
  countyId: string;
  items: readonly unknown[];
  /**
   * Per accepted item, anything the transport itself refuses (a driver's key sending another vehicle's readings,
   * an MQTT payload naming another container than its topic): the field and the reason, or undefined.
   */
  check?: (reading: CountyReading) => Issue | undefined;
}

export interface Judged {
  accepted: (CountyReading & { index: number })[];
  refused: Refused[];
}

export interface ReadingsIngest {
  rules: ReadingRules;
  /** Validates each item on its own (`checkReadings`), then refuses those of containers the county does not have. */
  judge(db: Queryable, submission: Submission): Promise<Judged>;
  /**
   * Stores readings in `tx` (opened by `withTransaction`), each once; once it commits the listener is told about the
   * new ones, per container. Returns what this call stored (duplicates of stored readings left out).
   */
  store(tx: PoolClient, readings: readonly CountyReading[]): Promise<StoredReading[]>;
  /** Resolves when the listener has heard every reading committed so far. */
  idle(): Promise<void>;
}

export interface IngestDeps {
  pool: Pool;
  clock: Clock;
  logger: Logger;
  listener: ReadingsListener;
  ports: ReadingsPorts;
  partitions: PartitionKeeper;
  rules: ReadingRules;
}

/** Listener calls that may wait before the ingest stops taking more: a slow listener slows ingest, never drops. */
const MAX_PENDING_CALLS = 2_000;

/** One ingest for the three transports (Kafka, REST, MQTT): one validation, one way to store, one listener. */
export function createReadingsIngest(deps: IngestDeps): ReadingsIngest {
  const notifier: Notifier = createNotifier(deps.listener, deps.logger);
  return {
    rules: deps.rules,
    async judge(db, { countyId, items, check }) {
      const checked = checkReadings(items, deps.clock(), deps.rules);
      const refused = [...checked.refused];
      const transportOk = checked.accepted.filter((item) => {
        const issue = check?.({ ...item.reading, countyId });
        if (issue) refused.push({ index: item.index, issues: [issue] });
        return !issue;
      });
      const ids = [...new Set(transportOk.map((item) => item.reading.containerId))];
      const known = ids.length > 0 ? await deps.ports.knownContainers(db, countyId, ids) : new Set<string>();
      const containers = refuseUnknownContainers(transportOk, known, countyId);
      refused.push(...containers.refused);
      refused.sort((a, b) => a.index - b.index);
      return { accepted: containers.accepted.map((item) => ({ ...item.reading, countyId, index: item.index })), refused };
    },
    async store(tx, readings) {
      if (readings.length === 0) return [];
      await notifier.below(MAX_PENDING_CALLS);
      const rows = distinctSorted(readings);
      await deps.partitions.ensure(monthsOf(rows.map((r) => r.measuredAt)));
      const stored = await insertReadings(tx, rows, deps.clock());
      if (stored.length > 0) afterCommit(tx, () => notifier.tell(groupByContainer(stored)));
      return stored;
    },
    idle: () => notifier.idle(),
  };
}
