import type { Queryable } from '@county/platform';

/** The auto-planner's record (migration 0020): each wave and date planned at its cut-off once. */

export type AutoPlanOutcome = 'planned' | 'skipped' | 'refused';

export interface AutoPlanMark {
  countyId: string;
  date: string;
  waveId: string;
  planId: string | null;
  outcome: AutoPlanOutcome;
  detail: string | null;
  at: Date;
}

/** Which of `waves` (of one county) have a mark already. */
export async function markedWaves(db: Queryable, countyId: string, waves: readonly { date: string; waveId: string }[]): Promise<Set<string>> {
  if (waves.length === 0) return new Set();
  const { rows } = await db.query<{ date: string; wave_id: string }>(
    `SELECT date::text AS date, wave_id FROM auto_plans
     WHERE county_id = $1 AND (date, wave_id) IN (SELECT * FROM unnest($2::date[], $3::text[]))`,
    [countyId, waves.map((w) => w.date), waves.map((w) => w.waveId)],
  );
  return new Set(rows.map((row) => `${row.date}/${row.wave_id}`));
}

/** Records the outcome; false when another instance recorded this wave first (the caller rolls back). */
export async function markWave(db: Queryable, mark: AutoPlanMark): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO auto_plans (county_id, date, wave_id, plan_id, outcome, detail, planned_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT DO NOTHING`,
    [mark.countyId, mark.date, mark.waveId, mark.planId, mark.outcome, mark.detail, mark.at],
  );
  return result.rowCount === 1;
}
