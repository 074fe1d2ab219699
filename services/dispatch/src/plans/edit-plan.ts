import { withTransaction } from '@county/platform';
import type { DraftPlan, WaveInput } from '../planning/domain/types.js';
import { fail } from '../errors.js';
import { checkEditable, lockList } from './domain/plan.js';
import { refusalError, type Actor, type PlanDeps, type Revision } from './deps.js';
import type { Outcome, ParcelMove, RouteLock, StopLock, StopMove } from './ports.js';
import { findPlanWithInput, saveDraft, type PlanRecord } from './store/index.js';

/** An operator's edit of a draft, against the revision the operator saw. */
export type PlanEdit =
  | { kind: 'move_stop'; move: StopMove }
  | { kind: 'move_parcel'; move: ParcelMove }
  | { kind: 'lock_route'; lock: RouteLock }
  | { kind: 'lock_stop'; lock: StopLock }
  | { kind: 'unlock'; lock: RouteLock | StopLock };

function apply(deps: PlanDeps, edit: PlanEdit, input: WaveInput, plan: DraftPlan): Outcome<DraftPlan> {
  switch (edit.kind) {
    case 'move_stop':
      return deps.ports.moveStop(input, plan, edit.move);
    case 'move_parcel':
      return deps.ports.moveParcel(input, plan, edit.move);
    case 'lock_route':
      return deps.ports.lockRoute(input, plan, edit.lock);
    case 'lock_stop':
      return deps.ports.lockStop(input, plan, edit.lock);
    case 'unlock':
      return deps.ports.unlock(input, plan, edit.lock);
    default: {
      const unknown: never = edit;
      throw new Error(`unknown edit ${JSON.stringify(unknown)}`);
    }
  }
}

export function planNotFound(planId: string) {
  return fail('PLAN_NOT_FOUND', `no plan ${planId} in this county`, [{ path: 'params.planId', reason: 'no such plan in this county' }]);
}

export function editRefused(refusal: NonNullable<ReturnType<typeof checkEditable>>, revision: Revision) {
  return fail(refusal.code, refusal.reason, [{ path: refusal.code === 'PLAN_REVISION_STALE' ? revision.field : 'params.planId', reason: refusal.reason }]);
}

/**
 * Applies one edit to a draft in one transaction, the plan's row locked: the planner recomputes the routes it
 * touches from the wave input the plan was made from (with the county's travel matrix as it is now, when the plan
 * used one), and the draft is kept at the next revision. A refusal (a
 * move that breaks capacity, a stale revision, a plan no longer a draft) changes nothing.
 */
export async function editPlan(deps: PlanDeps, actor: Actor, planId: string, revision: Revision, edit: PlanEdit): Promise<PlanRecord> {
  return withTransaction(deps.pool, async (tx) => {
    const record = await findPlanWithInput(tx, actor.countyId, planId, { forUpdate: true });
    if (!record) throw planNotFound(planId);
    const refusal = checkEditable(record, revision.value);
    if (refusal) throw editRefused(refusal, revision);
    const matrix = record.inputHadMatrix ? await deps.ports.travelMatrix(tx, actor.countyId) : undefined;
    const input = matrix ? { ...record.input, matrix } : record.input;
    const edited = apply(deps, edit, input, record.plan);
    if (!edited.ok) throw refusalError(edited.refusal, 'body');
    const at = deps.now();
    const plan = edited.value;
    const locks = lockList(plan);
    const next = await saveDraft(tx, planId, { plan, locks, by: actor.keyId, at });
    const { input: _input, inputHadMatrix: _matrix, ...kept } = record;
    return { ...kept, plan, locks, revision: next, updatedBy: actor.keyId, updatedAt: at.toISOString() };
  });
}
