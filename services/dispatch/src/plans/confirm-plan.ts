import { randomBytes } from 'node:crypto';
import { withTransaction } from '@county/platform';
import { fail } from '../errors.js';
import { confirmEvents, routeConfirmedData, routeIdFor, routesToConfirm } from './domain/confirm.js';
import { checkEditable, plannedParcelIds } from './domain/plan.js';
import type { Actor, PlanDeps, Revision } from './deps.js';
import { editRefused, planNotFound } from './edit-plan.js';
import {
  confirmedPlanOf,
  findPlan,
  insertConfirmedRoutes,
  lockCountyConfirms,
  markConfirmed,
  parcelsOnLiveRoutes,
  supersedeDrafts,
  vehiclesOnLiveRoutes,
  type PlanRecord,
} from './store/index.js';

export interface ConfirmResult {
  plan: PlanRecord;
  /** False when the plan was confirmed before at this revision (a retried confirm): nothing was written. */
  confirmedNow: boolean;
  /** The wave's other drafts, superseded. */
  superseded: string[];
}

/** How many ids a refusal lists in its message; the details carry every one. */
const NAMED_IN_MESSAGE = 20;

/**
 * Confirms a draft in one transaction: the plan confirmed and the wave's other drafts superseded, one `routes`
 * row and its `route_parcels` per route, and through the outbox a `dispatch.route_confirmed` per route and the
 * wave's `dispatch.wave_costed`. Confirms of one county run one at a time, so a parcel two drafts share (two waves
 * planned before either was confirmed) lands on one route, and a vehicle on one live route: the second confirm is
 * refused naming them. A confirm
 * retried at the revision it confirmed answers as the first did and writes nothing.
 */
export async function confirmPlan(deps: PlanDeps, actor: Actor, planId: string, request: { revision: Revision; correlationId?: string }): Promise<ConfirmResult> {
  return withTransaction(deps.pool, async (tx) => {
    await lockCountyConfirms(tx, actor.countyId);
    const record = await findPlan(tx, actor.countyId, planId, { forUpdate: true });
    if (!record) throw planNotFound(planId);
    if (record.status === 'confirmed' && record.revision === request.revision.value) return { plan: record, confirmedNow: false, superseded: [] };
    const refusal = checkEditable(record, request.revision.value);
    if (refusal) throw editRefused(refusal, request.revision);

    const wave = { countyId: actor.countyId, date: record.date, waveId: record.waveId };
    const other = await confirmedPlanOf(tx, wave.countyId, wave.date, wave.waveId);
    if (other) {
      throw fail('WAVE_ALREADY_CONFIRMED', `wave ${wave.waveId} of ${wave.date} has a confirmed plan already: ${other.planId}`, [
        { path: 'params.planId', reason: `plan ${other.planId} of the same wave was confirmed first` },
      ]);
    }
    const planned = routesToConfirm(record.plan);
    if (planned.length === 0) throw fail('PLAN_EMPTY', undefined, [{ path: 'params.planId', reason: 'no route of the plan carries a parcel' }]);
    const taken = await parcelsOnLiveRoutes(tx, wave.countyId, plannedParcelIds(record.plan));
    if (taken.length > 0) {
      const named = taken.slice(0, NAMED_IN_MESSAGE).map((t) => t.parcelId).join(', ');
      throw fail(
        'PARCELS_ALREADY_ROUTED',
        `${taken.length} parcel(s) of the plan are on a live route already (${named}${taken.length > NAMED_IN_MESSAGE ? ', …' : ''}); re-plan the wave`,
        taken.map((t) => ({ path: `parcels.${t.parcelId}`, reason: `on route ${t.routeId}` })),
      );
    }
    // A vehicle free when the draft was planned may have left on another wave's route confirmed since.
    const busy = await vehiclesOnLiveRoutes(tx, wave.countyId, [...new Set(planned.map((route) => route.vehicleId))], { date: wave.date, exceptPlanId: planId });
    if (busy.length > 0) {
      throw fail(
        'VEHICLES_ALREADY_ROUTED',
        `vehicle(s) ${[...new Set(busy.map((b) => b.vehicleId))].join(', ')} of the plan are on a live route of another plan; re-plan the wave`,
        busy.map((b) => ({ path: `vehicles.${b.vehicleId}`, reason: `on route ${b.routeId}, not back yet` })),
      );
    }

    const at = deps.now();
    const suffix = randomBytes(3).toString('hex');
    const confirmed = { planId, ...wave, plan: record.plan };
    // The driver's sheet finds parcels by waybill and masked recipient: copied from the read model into the events.
    const labels = await deps.ports.parcelLabels(tx, wave.countyId, planned.flatMap((route) => route.parcels.map((p) => p.parcelId)));
    const routes = planned.map((route, index) => routeConfirmedData(confirmed, route, routeIdFor(wave.date, wave.waveId, index + 1, suffix), labels));
    const routeIds = Object.fromEntries(planned.map((route, index) => [route.routeKey, routes[index]!.routeId]));
    await insertConfirmedRoutes(tx, wave.countyId, routes, at);
    await deps.outbox.addMany(tx, confirmEvents(confirmed, routes, { source: deps.source, confirmedAt: at, ...(request.correlationId ? { correlationId: request.correlationId } : {}) }));
    await markConfirmed(tx, planId, { routeIds, by: actor.keyId, at });
    const superseded = await supersedeDrafts(tx, wave, planId, { by: actor.keyId, at });
    deps.logger.info({ planId, ...wave, routes: routes.length, superseded: superseded.length }, 'plan confirmed');
    const updated: PlanRecord = { ...record, status: 'confirmed', routeIds, confirmedBy: actor.keyId, confirmedAt: at.toISOString(), updatedBy: actor.keyId, updatedAt: at.toISOString() };
    return { plan: updated, confirmedNow: true, superseded };
  });
}
