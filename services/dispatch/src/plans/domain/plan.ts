import type { DraftPlan } from '../../planning/domain/types.js';

/**
 * A plan of a wave: a draft operators edit, then confirmed (its routes become the wave's), cancelled, or
 * superseded when another draft of the wave is confirmed. Only a draft changes.
 */
export type PlanStatus = 'draft' | 'confirmed' | 'cancelled' | 'superseded';
export const planStatuses = ['draft', 'confirmed', 'cancelled', 'superseded'] as const satisfies readonly PlanStatus[];

/** Who made it: an operator's request, or the auto-planner at the wave's cut-off. */
export type PlanOrigin = 'operator' | 'auto';

/** The locks as the plan's flags say them, by the names operators use (route keys, stations). */
export interface LockList {
  routes: string[];
  stops: { routeKey: string; stationId: string }[];
}

export type EditRefusal =
  | { code: 'PLAN_NOT_EDITABLE'; reason: string }
  | { code: 'PLAN_REVISION_STALE'; reason: string };

/**
 * Whether an edit written against `revision` may change the plan: only a draft, and only at the revision the
 * editor last saw (optimistic concurrency: two operators editing one draft do not overwrite each other).
 */
export function checkEditable(plan: { status: PlanStatus; revision: number }, revision: number): EditRefusal | undefined {
  if (plan.status !== 'draft') return { code: 'PLAN_NOT_EDITABLE', reason: `the plan is ${plan.status}; only a draft can change` };
  if (plan.revision !== revision) {
    return { code: 'PLAN_REVISION_STALE', reason: `the plan is at revision ${plan.revision}, not ${revision}: read it again and retry` };
  }
  return undefined;
}

export function lockList(plan: DraftPlan): LockList {
  const routes = plan.routes.filter((route) => route.locked).map((route) => route.routeKey);
  const stops = plan.routes.flatMap((route) =>
    route.locked ? [] : route.stops.filter((stop) => stop.locked).map((stop) => ({ routeKey: route.routeKey, stationId: stop.stationId })),
  );
  return { routes, stops };
}

/** Every parcel the plan puts on a route. */
export function plannedParcelIds(plan: DraftPlan): string[] {
  return plan.routes.flatMap((route) => route.parcels.map((parcel) => parcel.parcelId));
}
