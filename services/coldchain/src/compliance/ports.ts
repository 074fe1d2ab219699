import type { Queryable } from '@county/platform';
import { excursionsBetween } from '../monitoring/index.js';
import { readingsBetween } from '../readings/index.js';
import type { ReadingPoint } from './domain/exposure.js';
import type { ExcursionSpan } from './domain/record.js';

/**
 * What compliance reads that other features of coldchain own: the readings (src/readings/, the ingest) and the
 * excursions (src/monitoring/, the tracker). Passed in, so the use cases name what they need and nothing more.
 */
export interface CompliancePorts {
  /** A container's readings measured in [from, to), any order. */
  readingsBetween(db: Queryable, countyId: string, containerId: string, from: Date, to: Date): Promise<ReadingPoint[]>;
  /** The excursions of these containers that overlap [from, to] (still open ones included). */
  excursionsBetween(db: Queryable, countyId: string, containerIds: readonly string[], from: Date, to: Date): Promise<ExcursionSpan[]>;
}

/**
 * The ports as coldchain runs them: the ingest's `readingsBetween` (src/readings/), half-open [from, to), and the
 * tracker's `excursionsBetween` (src/monitoring/), those a recompute replaced left out.
 */
export const compliancePorts: CompliancePorts = {
  readingsBetween: (db, countyId, containerId, from, to) => readingsBetween(db, countyId, containerId, from, to),
  excursionsBetween: (db, countyId, containerIds, from, to) => excursionsBetween(db, countyId, containerIds, from, to),
};
