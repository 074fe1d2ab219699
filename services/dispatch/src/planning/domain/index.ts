export { planWave, CONSOLIDATED_SHARE, type PlanOptions } from './plan-wave.js';
export { moveStop, moveParcel, lockRoute, lockStop, unlock, locksOf, type MoveStop, type MoveParcel } from './edits.js';
export { PlanRefusal, type EditResult, type Refusal } from './refusal.js';
export { ITERATIONS_PER_SECOND, iterationsFor } from './solve-call.js';
export { DEFAULT_PLAN_BUDGET_SECONDS } from './budget.js';
export type * from './types.js';
