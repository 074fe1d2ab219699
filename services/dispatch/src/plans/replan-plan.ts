import { withTransaction } from '@county/platform';
import { locksOf } from '../planning/domain/index.js';
import { checkEditable, lockList } from './domain/plan.js';
import { refusalError, type Actor, type PlanDeps, type Revision } from './deps.js';
import { editRefused, planNotFound } from './edit-plan.js';
import { findPlan, saveDraft, type PlanRecord } from './store/index.js';

export interface ReplanRequest {
  revision: Revision;
  seed?: number | undefined;
  budgetSeconds?: number | undefined;
}

/**
 * Plans the wave again around what operators locked: the locked routes keep their vehicle, stops and order, a
 * locked stop stays on its vehicle, everything else is planned afresh from the wave as it is now (parcels that
 * arrived before the cut-off since, vehicles freed or taken). The solve runs without holding the plan: the plan
 * is kept only if nobody changed it meanwhile (else the stale revision is refused, as for any edit).
 */
export async function replanPlan(deps: PlanDeps, actor: Actor, planId: string, request: ReplanRequest): Promise<PlanRecord> {
  const before = await findPlan(deps.pool, actor.countyId, planId);
  if (!before) throw planNotFound(planId);
  const early = checkEditable(before, request.revision.value);
  if (early) throw editRefused(early, request.revision);

  const loaded = await deps.ports.loadWaveInput(deps.pool, actor.countyId, before.date, before.waveId);
  // The plan names the wave: a wave the county dropped since is the plan's field.
  if (!loaded.ok) throw refusalError(loaded.refusal, 'plan');
  const input = loaded.value;
  const seed = request.seed ?? before.seed;
  const budgetSeconds = request.budgetSeconds ?? before.budgetSeconds;
  const planned = await deps.planner.plan(input, { seed, budgetSeconds, locks: locksOf(before.plan) });
  // The locks are the plan's (its `locks`, in the same order); a seed or budget is the request's.
  if (!planned.ok) throw refusalError(planned.refusal, planned.refusal.field.startsWith('locks') ? 'plan' : 'body');

  return withTransaction(deps.pool, async (tx) => {
    const record = await findPlan(tx, actor.countyId, planId, { forUpdate: true });
    if (!record) throw planNotFound(planId);
    const refusal = checkEditable(record, request.revision.value);
    if (refusal) throw editRefused(refusal, request.revision);
    const at = deps.now();
    const plan = planned.value;
    const locks = lockList(plan);
    const next = await saveDraft(tx, planId, { plan, locks, input, seed, budgetSeconds, by: actor.keyId, at });
    return { ...record, plan, locks, seed, budgetSeconds, held: input.held ?? [], revision: next, updatedBy: actor.keyId, updatedAt: at.toISOString() };
  });
}
