import { idempotent, requirePrincipal, type App, type IdempotencyDeps } from '@county/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fail } from '../../errors.js';
import { cancelPlan } from '../cancel-plan.js';
import { confirmPlan } from '../confirm-plan.js';
import { createPlan } from '../create-plan.js';
import type { Actor, PlanDeps, Revision } from '../deps.js';
import { editPlan, type PlanEdit } from '../edit-plan.js';
import { getPlan, listPlans, waveCosts } from '../read-plans.js';
import { replanPlan } from '../replan-plan.js';
import type { PlanRecord } from '../store/index.js';
import {
  cancelBody,
  confirmBody,
  costsView,
  createBody,
  lockBody,
  moveBody,
  planListView,
  planParams,
  planView,
  replanBody,
  summaryOf,
  viewOf,
  waveParams,
} from './schemas.js';

/** Dispatchers at the county center: operators and admins. Drivers, stations, couriers and the bureau do not plan. */
const PLANNERS = { access: ['admin', 'operator'] } as const;
const TAGS = ['plans'];

function actorOf(request: FastifyRequest): Actor {
  const { keyId, countyId } = requirePrincipal(request);
  return { keyId, countyId };
}

const ETAG = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/;

/**
 * The revision an edit was written against: `If-Match` (the ETag a read returned) or the body's `revision`; both
 * may be sent when they agree. An edit without one is refused, so nobody overwrites a draft they have not seen.
 */
function revisionOf(request: FastifyRequest): Revision {
  const header = request.headers['if-match'];
  const inBody = (request.body as { revision?: number } | undefined)?.revision;
  let fromHeader: number | undefined;
  if (header !== undefined) {
    const match = typeof header === 'string' ? ETAG.exec(header) : null;
    if (!match) throw fail('VALIDATION_FAILED', undefined, [{ path: 'headers.if-match', reason: 'the plan’s ETag as a read returned it, e.g. "3"' }]);
    fromHeader = Number(match[1]);
  }
  if (fromHeader !== undefined && inBody !== undefined && fromHeader !== inBody) {
    throw fail('VALIDATION_FAILED', undefined, [{ path: 'body.revision', reason: `${inBody} differs from If-Match ${fromHeader}; send one` }]);
  }
  if (fromHeader !== undefined) return { value: fromHeader, field: 'headers.if-match' };
  if (inBody !== undefined) return { value: inBody, field: 'body.revision' };
  throw fail('PLAN_REVISION_REQUIRED', undefined, [{ path: 'headers.if-match', reason: 'send the plan’s revision as If-Match or body revision' }]);
}

function sendPlan(reply: FastifyReply, record: PlanRecord, status = 200) {
  return reply.code(status).header('etag', `"${record.revision}"`).send(viewOf(record));
}

const refusals = (codes: string) => `Refusals: ${codes}; each names the field and the reason, and changes nothing.`;

/**
 * Waves and plans over REST (issue #10 "Waves and plans"): plan a wave, read and list its plans, edit a draft
 * (moves, locks, re-plan, cancel) at the revision read, confirm it, and read a confirmed wave's cost.
 */
export function registerPlanRoutes(app: App, deps: PlanDeps & IdempotencyDeps): void {
  app.post(
    '/dispatch/waves/:date/:waveId/plans',
    {
      config: PLANNERS,
      schema: {
        tags: TAGS,
        summary: 'Plan a wave: a draft with routes, ETAs, loads, costs, unplanned parcels with reasons, and the counterfactual',
        description: `${refusals('an impossible date or unknown wave (400/404), a wave confirmed already (409)')} With an \`Idempotency-Key\`, a retry gets the first plan back (without its Location and ETag headers) instead of a second draft.`,
        params: waveParams,
        body: createBody,
        response: { 201: planView },
      },
    },
    async (request, reply) => {
      const { date, waveId } = request.params;
      const plan = { date, waveId, seed: request.body?.seed, budgetSeconds: request.body?.budgetSeconds, origin: 'operator' as const };
      if (request.headers['idempotency-key'] === undefined) {
        const record = await createPlan(deps, actorOf(request), plan);
        reply.header('location', `/dispatch/plans/${record.planId}`);
        return sendPlan(reply, record, 201);
      }
      // The solve runs inside the key's transaction: a concurrent retry waits for it, then gets its answer.
      return idempotent(deps, request, reply, async (tx) => {
        const record = await createPlan(deps, actorOf(request), plan, undefined, tx);
        reply.header('location', `/dispatch/plans/${record.planId}`).header('etag', `"${record.revision}"`);
        return { status: 201, body: viewOf(record) };
      });
    },
  );

  app.get(
    '/dispatch/waves/:date/:waveId/plans',
    { config: PLANNERS, schema: { tags: TAGS, summary: 'The wave’s plans, oldest first, without their routes', params: waveParams, response: { 200: planListView } } },
    async (request) => {
      const plans = await listPlans(deps.pool, actorOf(request), request.params.date, request.params.waveId);
      return { plans: plans.map(summaryOf) };
    },
  );

  app.get(
    '/dispatch/plans/:planId',
    { config: PLANNERS, schema: { tags: TAGS, summary: 'A plan, its revision as the ETag', params: planParams, response: { 200: planView } } },
    async (request, reply) => sendPlan(reply, await getPlan(deps.pool, actorOf(request), request.params.planId)),
  );

  app.get(
    '/dispatch/waves/:date/:waveId/costs',
    {
      config: PLANNERS,
      schema: {
        tags: TAGS,
        summary: 'The confirmed wave’s cost: total, per parcel, by courier, against the counterfactual and the surveyed baseline',
        params: waveParams,
        response: { 200: costsView },
      },
    },
    async (request) => waveCosts(deps.pool, actorOf(request), request.params.date, request.params.waveId),
  );

  registerEditRoutes(app, deps);
}

function registerEditRoutes(app: App, deps: PlanDeps): void {
  const edit = async (request: FastifyRequest, reply: FastifyReply, planId: string, change: PlanEdit) =>
    sendPlan(reply, await editPlan(deps, actorOf(request), planId, revisionOf(request), change));
  const editRefusals = refusals('a stale revision (409), a plan no longer a draft (409), a move or lock the plan cannot take (422)');

  app.post(
    '/dispatch/plans/:planId/moves',
    {
      config: PLANNERS,
      schema: {
        tags: TAGS,
        summary: 'Move a stop (kind stop) or a parcel (kind parcel) to another route of the draft; the routes it touches are recomputed',
        description: editRefusals,
        params: planParams,
        body: moveBody,
        response: { 200: planView },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const change: PlanEdit =
        body.kind === 'stop'
          ? { kind: 'move_stop', move: { stationId: body.stationId, fromRouteKey: body.fromRouteKey, toRouteKey: body.toRouteKey, ...(body.position === undefined ? {} : { position: body.position }) } }
          : { kind: 'move_parcel', move: { parcelId: body.parcelId, toRouteKey: body.toRouteKey } };
      return edit(request, reply, request.params.planId, change);
    },
  );

  app.post(
    '/dispatch/plans/:planId/locks',
    {
      config: PLANNERS,
      schema: { tags: TAGS, summary: 'Lock a route (or one stop of it, with stationId): a re-plan keeps it', description: editRefusals, params: planParams, body: lockBody, response: { 200: planView } },
    },
    async (request, reply) => {
      const { routeKey, stationId } = request.body;
      return edit(request, reply, request.params.planId, stationId === undefined ? { kind: 'lock_route', lock: { routeKey } } : { kind: 'lock_stop', lock: { routeKey, stationId } });
    },
  );

  app.delete(
    '/dispatch/plans/:planId/locks',
    {
      config: PLANNERS,
      schema: { tags: TAGS, summary: 'Unlock a route (or one stop of it, with stationId)', description: editRefusals, params: planParams, body: lockBody, response: { 200: planView } },
    },
    async (request, reply) => {
      const { routeKey, stationId } = request.body;
      return edit(request, reply, request.params.planId, { kind: 'unlock', lock: stationId === undefined ? { routeKey } : { routeKey, stationId } });
    },
  );

  app.post(
    '/dispatch/plans/:planId/replan',
    {
      config: PLANNERS,
      schema: {
        tags: TAGS,
        summary: 'Plan the wave again as it is now, keeping what is locked (seed and budget: the plan’s unless given)',
        description: refusals('a stale revision (409), a plan no longer a draft (409), locks no plan can honour (422)'),
        params: planParams,
        body: replanBody,
        response: { 200: planView },
      },
    },
    async (request, reply) => {
      const record = await replanPlan(deps, actorOf(request), request.params.planId, {
        revision: revisionOf(request),
        seed: request.body?.seed,
        budgetSeconds: request.body?.budgetSeconds,
      });
      return sendPlan(reply, record);
    },
  );

  app.post(
    '/dispatch/plans/:planId/cancel',
    {
      config: PLANNERS,
      schema: { tags: TAGS, summary: 'Cancel a draft', description: refusals('a stale revision (409), a plan no longer a draft (409)'), params: planParams, body: cancelBody, response: { 200: planView } },
    },
    async (request, reply) => {
      const record = await cancelPlan(deps, actorOf(request), request.params.planId, { revision: revisionOf(request), reason: request.body?.reason });
      return sendPlan(reply, record);
    },
  );

  app.post(
    '/dispatch/plans/:planId/confirm',
    {
      config: PLANNERS,
      schema: {
        tags: TAGS,
        summary: 'Confirm a draft: its routes become the wave’s (dispatch.route_confirmed each, then dispatch.wave_costed); other drafts are superseded',
        description: `${refusals(
          'a stale revision or a plan no longer a draft (409), another plan of the wave confirmed (409), parcels on a live route already (409, naming them), a plan with no route (422)',
        )} Retried at the revision it confirmed, it answers the same and writes nothing.`,
        params: planParams,
        body: confirmBody,
        response: { 200: planView },
      },
    },
    async (request, reply) => {
      const { plan } = await confirmPlan(deps, actorOf(request), request.params.planId, { revision: revisionOf(request), correlationId: request.id });
      return sendPlan(reply, plan);
    },
  );
}
