import type { Queryable } from '@county/platform';
import type { DraftPlan, HeldParcel, WaveInput } from '../../planning/domain/types.js';
import type { LockList, PlanOrigin, PlanStatus } from '../domain/plan.js';

/** The SQL of plans (migration 0020), each function taking the client to use. */

export interface PlanHead {
  planId: string;
  countyId: string;
  date: string;
  waveId: string;
  status: PlanStatus;
  revision: number;
  origin: PlanOrigin;
  seed: number;
  budgetSeconds: number;
  locks: LockList;
  /** Route key → route id, once confirmed. */
  routeIds: Record<string, string> | null;
  cancelReason: string | null;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
}

export interface PlanRecord extends PlanHead {
  plan: DraftPlan;
  /** Waiting parcels the read model held back from the wave, with why. */
  held: HeldParcel[];
}

/** A plan with the wave input it was planned from, the county's current travel matrix put back by the caller. */
export interface PlanWithInput extends PlanRecord {
  input: WaveInput;
  /** The plan was made with the county's travel matrix (kept out of the stored input: it can be megabytes). */
  inputHadMatrix: boolean;
}

/** The input as stored: without the matrix. */
function storedInput(input: WaveInput): string {
  const { matrix: _matrix, ...rest } = input;
  return JSON.stringify(rest);
}

/** What a list of a wave's plans shows of each, without its routes. */
export interface PlanSummary extends PlanHead {
  mode: string;
  routes: number;
  parcels: number;
  unplanned: number;
  cost: number;
  costPerParcel: number;
}

interface HeadRow {
  plan_id: string;
  county_id: string;
  date: string;
  wave_id: string;
  status: PlanStatus;
  revision: number;
  origin: PlanOrigin;
  seed: string;
  budget_seconds: string;
  locks: LockList;
  route_ids: Record<string, string> | null;
  cancel_reason: string | null;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
  confirmed_by: string | null;
  confirmed_at: Date | null;
}

const HEAD = `plan_id, county_id, date::text AS date, wave_id, status, revision, origin, seed, budget_seconds, locks, route_ids,
  cancel_reason, created_by, created_at, updated_by, updated_at, confirmed_by, confirmed_at`;

function headOf(row: HeadRow): PlanHead {
  return {
    planId: row.plan_id,
    countyId: row.county_id,
    date: row.date,
    waveId: row.wave_id,
    status: row.status,
    revision: row.revision,
    origin: row.origin,
    seed: Number(row.seed),
    budgetSeconds: Number(row.budget_seconds),
    locks: row.locks,
    routeIds: row.route_ids,
    cancelReason: row.cancel_reason,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedBy: row.updated_by,
    updatedAt: row.updated_at.toISOString(),
    confirmedBy: row.confirmed_by,
    confirmedAt: row.confirmed_at?.toISOString() ?? null,
  };
}

export interface NewPlan {
  planId: string;
  countyId: string;
  date: string;
  waveId: string;
  origin: PlanOrigin;
  seed: number;
  budgetSeconds: number;
  plan: DraftPlan;
  input: WaveInput;
  locks: LockList;
  by: string;
  at: Date;
}

const heldOf = (input: WaveInput): HeldParcel[] => input.held ?? [];

export async function insertPlan(db: Queryable, plan: NewPlan): Promise<void> {
  await db.query(
    `INSERT INTO plans (plan_id, county_id, date, wave_id, status, revision, origin, seed, budget_seconds, plan, input, held, locks,
                        created_by, created_at, updated_by, updated_at, input_matrix)
     VALUES ($1, $2, $3, $4, 'draft', 1, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12, $13, $14)`,
    [
      plan.planId,
      plan.countyId,
      plan.date,
      plan.waveId,
      plan.origin,
      plan.seed,
      plan.budgetSeconds,
      JSON.stringify(plan.plan),
      storedInput(plan.input),
      JSON.stringify(heldOf(plan.input)),
      JSON.stringify(plan.locks),
      plan.by,
      plan.at,
      plan.input.matrix !== undefined,
    ],
  );
}

/** One plan of a county, with its draft plan; `forUpdate` locks the row for an edit. */
export async function findPlan(db: Queryable, countyId: string, planId: string, { forUpdate = false } = {}): Promise<PlanRecord | undefined> {
  const { rows } = await db.query<HeadRow & { plan: DraftPlan; held: HeldParcel[] }>(
    `SELECT ${HEAD}, plan, held FROM plans WHERE county_id = $1 AND plan_id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [countyId, planId],
  );
  const row = rows[0];
  return row ? { ...headOf(row), plan: row.plan, held: row.held } : undefined;
}

/** The same with the wave input it was planned from, for an edit. */
export async function findPlanWithInput(db: Queryable, countyId: string, planId: string, { forUpdate = false } = {}): Promise<PlanWithInput | undefined> {
  const { rows } = await db.query<HeadRow & { plan: DraftPlan; held: HeldParcel[]; input: WaveInput; input_matrix: boolean }>(
    `SELECT ${HEAD}, plan, held, input, input_matrix FROM plans WHERE county_id = $1 AND plan_id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`,
    [countyId, planId],
  );
  const row = rows[0];
  return row ? { ...headOf(row), plan: row.plan, held: row.held, input: row.input, inputHadMatrix: row.input_matrix } : undefined;
}

/** A wave's plans, oldest first, summarised in SQL so a list does not carry every route. */
export async function listWavePlans(db: Queryable, countyId: string, date: string, waveId: string): Promise<PlanSummary[]> {
  const { rows } = await db.query<HeadRow & { mode: string; routes: number; parcels: string; unplanned: number; cost: string; cost_per_parcel: string }>(
    `SELECT ${HEAD}, plan->>'mode' AS mode, jsonb_array_length(plan->'routes') AS routes,
            plan->'consolidated'->>'parcels' AS parcels, jsonb_array_length(plan->'unplanned') AS unplanned,
            plan->'consolidated'->'cost'->>'total' AS cost, plan->'consolidated'->>'costPerParcel' AS cost_per_parcel
     FROM plans WHERE county_id = $1 AND date = $2 AND wave_id = $3 ORDER BY created_at, plan_id`,
    [countyId, date, waveId],
  );
  return rows.map((row) => ({
    ...headOf(row),
    mode: row.mode,
    routes: row.routes,
    parcels: Number(row.parcels),
    unplanned: row.unplanned,
    cost: Number(row.cost),
    costPerParcel: Number(row.cost_per_parcel),
  }));
}

/** Writes an edited draft at the next revision. */
export async function saveDraft(
  db: Queryable,
  planId: string,
  change: { plan: DraftPlan; locks: LockList; input?: WaveInput; seed?: number; budgetSeconds?: number; by: string; at: Date },
): Promise<number> {
  const { rows } = await db.query<{ revision: number }>(
    `UPDATE plans SET plan = $2, locks = $3, input = COALESCE($4, input), held = COALESCE($9, held), input_matrix = COALESCE($10, input_matrix), seed = COALESCE($5, seed), budget_seconds = COALESCE($6, budget_seconds),
                      revision = revision + 1, updated_by = $7, updated_at = $8
     WHERE plan_id = $1 RETURNING revision`,
    [planId, JSON.stringify(change.plan), JSON.stringify(change.locks), change.input ? storedInput(change.input) : null, change.seed ?? null, change.budgetSeconds ?? null, change.by, change.at,
     change.input ? JSON.stringify(heldOf(change.input)) : null, change.input ? change.input.matrix !== undefined : null],
  );
  return rows[0]!.revision;
}

export async function cancelDraft(db: Queryable, planId: string, change: { reason: string | null; by: string; at: Date }): Promise<void> {
  await db.query(
    `UPDATE plans SET status = 'cancelled', cancel_reason = $2, revision = revision + 1, updated_by = $3, updated_at = $4 WHERE plan_id = $1`,
    [planId, change.reason, change.by, change.at],
  );
}

export async function markConfirmed(db: Queryable, planId: string, change: { routeIds: Record<string, string>; by: string; at: Date }): Promise<void> {
  await db.query(
    `UPDATE plans SET status = 'confirmed', route_ids = $2, confirmed_by = $3, confirmed_at = $4, updated_by = $3, updated_at = $4 WHERE plan_id = $1`,
    [planId, JSON.stringify(change.routeIds), change.by, change.at],
  );
}

/** The other drafts of a confirmed wave: superseded, no longer editable. Returns their ids. */
export async function supersedeDrafts(db: Queryable, wave: { countyId: string; date: string; waveId: string }, except: string, change: { by: string; at: Date }): Promise<string[]> {
  const { rows } = await db.query<{ plan_id: string }>(
    `UPDATE plans SET status = 'superseded', revision = revision + 1, updated_by = $5, updated_at = $6
     WHERE county_id = $1 AND date = $2 AND wave_id = $3 AND status = 'draft' AND plan_id <> $4 RETURNING plan_id`,
    [wave.countyId, wave.date, wave.waveId, except, change.by, change.at],
  );
  return rows.map((row) => row.plan_id);
}

/** The wave's confirmed plan, if any. */
export async function confirmedPlanOf(db: Queryable, countyId: string, date: string, waveId: string): Promise<PlanRecord | undefined> {
  const { rows } = await db.query<HeadRow & { plan: DraftPlan; held: HeldParcel[] }>(
    `SELECT ${HEAD}, plan, held FROM plans WHERE county_id = $1 AND date = $2 AND wave_id = $3 AND status = 'confirmed'`,
    [countyId, date, waveId],
  );
  const row = rows[0];
  return row ? { ...headOf(row), plan: row.plan, held: row.held } : undefined;
}

/**
 * Serialises the confirms of one county until the transaction ends: each checks that its parcels are on no live
 * route and then puts them on its own, and two confirms (two waves with the same parcel) must not both pass.
 */
export async function lockCountyConfirms(db: Queryable, countyId: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dispatch.confirm:${countyId}`]);
}
