import type { Wave } from '@county/contracts';
import type { Queryable } from '@county/platform';
import { moveParcel, moveStop, lockRoute, lockStop, planWave, PlanRefusal, unlock, type EditResult } from '../planning/domain/index.js';
import type { DraftPlan, PlanLocks, TravelMatrix, WaveInput } from '../planning/domain/types.js';
import { parcelLabels } from '../readmodel/store.js';
import { loadWaveInput, type WaveInputRefusal } from '../readmodel/wave-input.js';
import { loadMatrix } from '../settings/store.js';
import type { ParcelLabel } from './domain/confirm.js';
import { autoPlanCounties } from './store/auto-plans.js';

/**
 * What plans call in the two neighbouring features, in one place: the read model's wave input
 * (`readmodel/wave-input.ts`) and the pure planner with its edits (`planning/domain`). Each is adapted here to the
 * one result shape the use-cases branch on, so a change of a neighbour's signature is a change of this file.
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
  /** The county's uploaded travel matrix, if any (settings). */
  travelMatrix(db: Queryable, countyId: string): Promise<TravelMatrix | undefined>;
  /** The waybill and masked recipient of parcels, from the read model: confirm copies them into its events. */
  parcelLabels(db: Queryable, countyId: string, parcelIds: readonly string[]): Promise<ReadonlyMap<string, ParcelLabel>>;
}

const readRefusals: Record<WaveInputRefusal['code'], Refusal['code']> = {
  invalid_date: 'DATE_INVALID',
  unknown_county: 'COUNTY_UNKNOWN',
  unknown_wave: 'WAVE_UNKNOWN',
  no_center: 'COUNTY_UNKNOWN',
};

function edited(result: EditResult): Outcome<DraftPlan> {
  return result.ok ? { ok: true, value: result.plan } : { ok: false, refusal: { code: 'EDIT_REFUSED', field: result.field, reason: result.reason } };
}

/** The read model's and the planner's implementations. */
export const planningPorts: PlanningPorts = {
  loadWaveInput: async (db, countyId, date, waveId) => {
    const read = await loadWaveInput(db as Parameters<typeof loadWaveInput>[0], countyId, date, waveId);
    if (read.ok) return { ok: true, value: read.input };
    return { ok: false, refusal: { code: readRefusals[read.refusal.code], field: read.refusal.field, reason: read.refusal.reason } };
  },
  planWave: (input, options) => {
    try {
      return { ok: true, value: planWave(input, options) };
    } catch (err) {
      // Locks no plan can honour: a refusal naming the lock, nothing planned.
      if (err instanceof PlanRefusal) return { ok: false, refusal: { code: 'EDIT_REFUSED', field: err.field, reason: err.reason } };
      throw err;
    }
  },
  moveStop: (input, plan, move) => edited(moveStop(input, plan, move)),
  moveParcel: (input, plan, move) => edited(moveParcel(input, plan, move)),
  lockRoute: (input, plan, lock) => edited(lockRoute(input, plan, lock)),
  lockStop: (input, plan, lock) => edited(lockStop(input, plan, lock)),
  unlock: (input, plan, lock) => edited(unlock(input, plan, lock)),
  autoPlanCounties,
  travelMatrix: async (db, countyId) => (await loadMatrix(db, countyId))?.matrix,
  parcelLabels,
};
