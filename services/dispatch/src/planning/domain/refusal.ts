import type { DraftPlan } from './types.js';

/** Why a request cannot be planned as asked: the field it names (`locks.routes[0]`, `toRouteKey`) and the reason. */
export interface Refusal {
  readonly field: string;
  readonly reason: string;
}

/** Thrown by `planWave` for locks no plan can honour (a 4xx for the caller, nothing changed). */
export class PlanRefusal extends Error implements Refusal {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'PlanRefusal';
  }
}

/** What an operator's edit returns: the recomputed plan, or why it was refused (the plan unchanged). */
export type EditResult = { ok: true; plan: DraftPlan } | ({ ok: false } & Refusal);

export function refuse(field: string, reason: string): EditResult {
  return { ok: false, field, reason };
}
