import type { County } from '@county/contracts';
import type { Queryable } from '@county/platform';
import type { AutoPlanCounty } from '../ports.js';

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

/**
 * The counties whose dispatch settings say `autoPlan`, with their time zone and waves: from the settings feature's
 * `dispatch_settings` and the read model's copy of the county (migrations 0010, 0011). A county without settings
 * has the defaults, which plan nothing by themselves.
 */
export async function autoPlanCounties(db: Queryable): Promise<AutoPlanCounty[]> {
  const { rows } = await db.query<{ county_id: string; record: County }>(
    `SELECT m.county_id, m.record FROM masterdata m JOIN dispatch_settings s ON s.county_id = m.county_id
     WHERE m.entity = 'county' AND m.active AND (s.settings->>'autoPlan')::boolean
     ORDER BY m.county_id`,
  );
  return rows.map((row) => ({ countyId: row.county_id, timeZone: row.record.timeZone, waves: row.record.waves }));
}
