import type { Wave } from '@county/contracts';
import type { Queryable } from '@county/platform';
import type { DraftPlan, PlanLocks, WaveInput } from '../planning/domain/types.js';

/**
 * What plans call in the two neighbouring features, in one place: the read model's wave input
 * (`readmodel/`) and the pure planner with its edits (`planning/domain/`). Each is adapted here to the one
 * result shape the use-cases branch on, so a change of a neighbour's signature is a change of this file.
 */

/** A refusal naming the field at fault and why (the route answers 4xx with it). */
export interface Refusal {
  /** `WAVE_UNKNOWN`, `COUNTY_UNKNOWN`, `DATE_INVALID` from the read model; `EDIT_REFUSED` from the planner. */
  code: 'COUNTY_UNKNOWN' | 'WAVE_UNKNOWN' | 'DATE_INVALID' | 'EDIT_REFUSED';
  field: string;
  reason: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export interface PlanOptions {
  seed: number;
  budgetSeconds: number;
  locks?: PlanLocks;
}

export type StopMove = { stationId: string; fromRouteKey: string; toRouteKey: string; position?: number };
export type ParcelMove = { parcelId: string; toRouteKey: string };
export type RouteLock = { routeKey: string };
export type StopLock = { routeKey: string; stationId: string };

/** A county whose settings say `autoPlan`, with what the scheduler needs to find its cut-offs. */
export interface AutoPlanCounty {
  countyId: string;
  timeZone: string;
  waves: Wave[];
}

export interface PlanningPorts {
  loadWaveInput(db: Queryable, countyId: string, date: string, waveId: string): Promise<Outcome<WaveInput>>;
  /** Pure and CPU-bound: the service runs it on a worker thread (planner-pool.ts). */
  planWave(input: WaveInput, options: PlanOptions): Outcome<DraftPlan>;
  moveStop(input: WaveInput, plan: DraftPlan, move: StopMove): Outcome<DraftPlan>;
  moveParcel(input: WaveInput, plan: DraftPlan, move: ParcelMove): Outcome<DraftPlan>;
  lockRoute(input: WaveInput, plan: DraftPlan, lock: RouteLock): Outcome<DraftPlan>;
  lockStop(input: WaveInput, plan: DraftPlan, lock: StopLock): Outcome<DraftPlan>;
  unlock(input: WaveInput, plan: DraftPlan, lock: RouteLock | StopLock): Outcome<DraftPlan>;
  autoPlanCounties(db: Queryable): Promise<AutoPlanCounty[]>;
}

const notYet = (what: string) => (): never => {
  throw new Error(`${what} is not merged into dispatch yet`);
};

/** The real implementations, once the read model and the planner are merged. */
export const planningPorts: PlanningPorts = {
  loadWaveInput: notYet('readmodel loadWaveInput'),
  planWave: notYet('planning planWave'),
  moveStop: notYet('planning moveStop'),
  moveParcel: notYet('planning moveParcel'),
  lockRoute: notYet('planning lockRoute'),
  lockStop: notYet('planning lockStop'),
  unlock: notYet('planning unlock'),
  autoPlanCounties: notYet('readmodel county settings'),
};
