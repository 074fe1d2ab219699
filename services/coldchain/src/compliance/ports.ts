import type { Queryable } from '@county/platform';
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
 * The ports as coldchain runs them. Readings: the ingest's `readingsBetween` (src/readings/), half-open [from, to).
 * Excursions: the tracker's `excursions` table (src/monitoring/, migrations 0020–0029), those a recompute replaced
 * left out.
 */
export const compliancePorts: CompliancePorts = {
  readingsBetween: (db, countyId, containerId, from, to) => readingsBetween(db, countyId, containerId, from, to),
  async excursionsBetween(db, countyId, containerIds, from, to) {
    if (containerIds.length === 0) return [];
    const { rows } = await db.query<{ excursion_id: string; container_id: string; started_at: Date; ended_at: Date | null }>(
      `SELECT excursion_id, container_id, started_at, ended_at FROM excursions
        WHERE county_id = $1 AND container_id = ANY($2) AND superseded_by IS NULL
          AND started_at <= $4 AND (ended_at IS NULL OR ended_at >= $3)
        ORDER BY started_at, excursion_id`,
      [countyId, containerIds, from, to],
    );
    return rows.map((r) => ({ excursionId: r.excursion_id, containerId: r.container_id, startedAt: r.started_at.toISOString(), endedAt: r.ended_at?.toISOString() ?? null }));
  },
};
