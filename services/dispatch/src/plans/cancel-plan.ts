import { withTransaction } from '@county/platform';
import { checkEditable } from './domain/plan.js';
import type { Actor, PlanDeps, Revision } from './deps.js';
import { editRefused, planNotFound } from './edit-plan.js';
import { cancelDraft, findPlan, type PlanRecord } from './store/index.js';

/** Cancels a draft: it stays on record, no longer editable or confirmable. */
export async function cancelPlan(deps: PlanDeps, actor: Actor, planId: string, request: { revision: Revision; reason?: string | undefined }): Promise<PlanRecord> {
  return withTransaction(deps.pool, async (tx) => {
    const record = await findPlan(tx, actor.countyId, planId, { forUpdate: true });
    if (!record) throw planNotFound(planId);
    const refusal = checkEditable(record, request.revision.value);
    if (refusal) throw editRefused(refusal, request.revision);
    const at = deps.now();
    const reason = request.reason ?? null;
    await cancelDraft(tx, planId, { reason, by: actor.keyId, at });
    return { ...record, status: 'cancelled', cancelReason: reason, revision: record.revision + 1, updatedBy: actor.keyId, updatedAt: at.toISOString() };
  });
}
