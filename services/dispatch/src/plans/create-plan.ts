import { randomBytes } from 'node:crypto';
import { withTransaction, type PoolClient } from '@county/platform';
import { fail } from '../errors.js';
import { lockList, type PlanOrigin } from './domain/plan.js';
import { refusalError, type Actor, type PlanDeps } from './deps.js';
import { confirmedPlanOf, insertPlan, type NewPlan, type PlanRecord } from './store/index.js';

export interface PlanRequest {
  date: string;
  waveId: string;
  /** Defaults: the county's settings. */
  seed?: number | undefined;
  budgetSeconds?: number | undefined;
  origin: PlanOrigin;
}

export const newPlanId = () => `pl-${randomBytes(6).toString('hex')}`;

/**
 * Plans a wave: reads it (the parcels before its cut-off, the free vehicles, the county's settings), solves it on
 * the planner's thread with the given or the county's seed and budget, and keeps the draft. Nothing is written
 * when the wave is refused. `alsoInTx` joins the insert's transaction (the auto-planner's mark); `inTx`, when
 * given, is that transaction (a request's `Idempotency-Key` record's).
 */
export async function createPlan(
  deps: PlanDeps,
  actor: Actor,
  request: PlanRequest,
  alsoInTx?: (tx: PoolClient, plan: PlanRecord) => Promise<void>,
  inTx?: PoolClient,
): Promise<PlanRecord> {
  const { countyId } = actor;
  if (await confirmedPlanOf(deps.pool, countyId, request.date, request.waveId)) {
    throw fail('WAVE_ALREADY_CONFIRMED', `wave ${request.waveId} of ${request.date} has a confirmed plan already`, [
      { path: 'params.waveId', reason: 'confirmed already: its parcels left on no route wait for the next wave' },
    ]);
  }
  const loaded = await deps.ports.loadWaveInput(deps.pool, countyId, request.date, request.waveId);
  if (!loaded.ok) throw refusalError(loaded.refusal, 'params');
  const input = loaded.value;
  const seed = request.seed ?? input.settings.seed;
  const budgetSeconds = request.budgetSeconds ?? input.settings.budgetSeconds;
  const planned = await deps.planner.plan(input, { seed, budgetSeconds });
  if (!planned.ok) throw refusalError(planned.refusal, 'body');

  const at = deps.now();
  const plan = planned.value;
  const fresh: NewPlan = {
    planId: newPlanId(),
    countyId,
    date: request.date,
    waveId: request.waveId,
    origin: request.origin,
    seed,
    budgetSeconds,
    plan,
    input,
    locks: lockList(plan),
    by: actor.keyId,
    at,
  };
  const record = recordOf(fresh);
  const keep = async (tx: PoolClient) => {
    await insertPlan(tx, fresh);
    await alsoInTx?.(tx, record);
  };
  await (inTx ? keep(inTx) : withTransaction(deps.pool, keep));
  deps.logger.info({ planId: fresh.planId, countyId, date: request.date, waveId: request.waveId, origin: request.origin, routes: plan.routes.length, unplanned: plan.unplanned.length }, 'wave planned');
  return record;
}

function recordOf(fresh: NewPlan): PlanRecord {
  const at = fresh.at.toISOString();
  return {
    planId: fresh.planId,
    countyId: fresh.countyId,
    date: fresh.date,
    waveId: fresh.waveId,
    status: 'draft',
    revision: 1,
    origin: fresh.origin,
    seed: fresh.seed,
    budgetSeconds: fresh.budgetSeconds,
    locks: fresh.locks,
    routeIds: null,
    cancelReason: null,
    createdBy: fresh.by,
    createdAt: at,
    updatedBy: fresh.by,
    updatedAt: at,
    confirmedBy: null,
    confirmedAt: null,
    plan: fresh.plan,
    held: fresh.input.held ?? [],
  };
}
