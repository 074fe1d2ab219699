import type { Queryable } from '@county/platform';
import { fail } from '../errors.js';
import { waveCostedData, type WaveCosted } from './domain/confirm.js';
import type { Actor } from './deps.js';
import { planNotFound } from './edit-plan.js';
import { confirmedPlanOf, findPlan, listWavePlans, type PlanRecord, type PlanSummary } from './store/index.js';

export async function getPlan(db: Queryable, actor: Actor, planId: string): Promise<PlanRecord> {
  const record = await findPlan(db, actor.countyId, planId);
  if (!record) throw planNotFound(planId);
  return record;
}

export function listPlans(db: Queryable, actor: Actor, date: string, waveId: string): Promise<PlanSummary[]> {
  return listWavePlans(db, actor.countyId, date, waveId);
}

/** The confirmed wave's cost against both baselines: what its `dispatch.wave_costed` said. */
export async function waveCosts(db: Queryable, actor: Actor, date: string, waveId: string): Promise<WaveCosted> {
  const record = await confirmedPlanOf(db, actor.countyId, date, waveId);
  if (!record) throw fail('WAVE_NOT_CONFIRMED', `wave ${waveId} of ${date} has no confirmed plan yet`, [{ path: 'params.waveId', reason: 'no confirmed plan' }]);
  return waveCostedData({ planId: record.planId, countyId: record.countyId, date, waveId, plan: record.plan }, record.confirmedAt!);
}
