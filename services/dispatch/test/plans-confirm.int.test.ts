import { randomBytes } from 'node:crypto';
import { routeConfirmedSchema, waveCostedSchema } from '@county/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { handMadePlan } from './plans-fixtures.js';
import { dispatchEvents, issueDispatchKey, runningDispatch, seedDraft, type RunningDispatch } from './plans-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
let dispatch: RunningDispatch;
let operator: string;

beforeAll(async () => {
  dispatch = await runningDispatch(config);
  operator = await issueDispatchKey(dispatch.runtime.pool, countyId, 'operator');
});

afterAll(async () => {
  await dispatch?.runtime.lifecycle.shutdown();
});

const fresh = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
/** A wave of its own per test: plans of one wave never meet another test's. */
const freshWave = () => ({ countyId, date: '2026-11-30', waveId: fresh('w') });

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return dispatch.app.inject({ method: 'POST', url, headers: { 'x-api-key': operator, ...headers }, payload: body as object });
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await dispatch.runtime.pool.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}

const outboxRows = (planId: string) => count(`SELECT count(*) AS n FROM outbox WHERE payload->'data'->>'planId' = $1`, [planId]);

describe('confirming a draft', () => {
  it('makes its routes the wave’s: route rows, their parcels, route_confirmed per route and the wave’s wave_costed on Kafka', async () => {
    const wave = freshWave();
    const plan = handMadePlan('-a');
    const [planId, otherId] = [fresh('pl'), fresh('pl')];
    await seedDraft(dispatch.runtime.pool, wave, planId, plan);
    await seedDraft(dispatch.runtime.pool, wave, otherId, handMadePlan());

    const confirmed = await post(`/dispatch/plans/${planId}/confirm`, { revision: 1 });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const body = confirmed.json();
    expect(body).toMatchObject({ planId, status: 'confirmed', revision: 1, confirmedBy: expect.any(String) });
    const routeIds = body.routes.map((r: { routeId: string }) => r.routeId);
    expect(routeIds).toHaveLength(2);
    for (const [i, id] of routeIds.entries()) expect(id).toMatch(new RegExp(`^rt-2026-11-30-${wave.waveId}-${i + 1}-[0-9a-f]{6}$`));

    const routes = await dispatch.runtime.pool.query('SELECT route_id, vehicle_id, status, tier FROM routes WHERE plan_id = $1 ORDER BY route_id', [planId]);
    expect(routes.rows).toEqual([
      { route_id: routeIds[0], vehicle_id: 'van-1-a', status: 'confirmed', tier: 'direct' },
      { route_id: routeIds[1], vehicle_id: 'van-2-a', status: 'confirmed', tier: 'direct' },
    ]);
    const parcels = await dispatch.runtime.pool.query<{ parcel_id: string; route_id: string; stop_sequence: number; status: string }>(
      'SELECT parcel_id, route_id, stop_sequence, status FROM route_parcels WHERE route_id = ANY($1) ORDER BY route_id, stop_sequence',
      [routeIds],
    );
    expect(parcels.rows.map((r) => r.parcel_id)).toEqual(plan.routes.flatMap((r) => r.parcels.map((p) => p.parcelId)));
    expect(new Set(parcels.rows.map((r) => r.status))).toEqual(new Set(['loaded']));

    const events = await dispatchEvents(dispatch.runtime.kafka, iso.topicPrefix, (all) => all.some((e) => e.type === 'dispatch.wave_costed' && (e.data as { planId: string }).planId === planId));
    // Keys spread over partitions: a topic is read partition by partition, so order by key.
    const mine = events.filter((e) => (e.event.data as { planId?: string }).planId === planId).sort((x, y) => x.key!.localeCompare(y.key!));
    expect(mine.map((e) => [e.key, e.event.type])).toEqual([
      [routeIds[0], 'dispatch.route_confirmed'],
      [routeIds[1], 'dispatch.route_confirmed'],
      [`wave:2026-11-30/${wave.waveId}`, 'dispatch.wave_costed'],
    ]);
    for (const { event } of mine.slice(0, 2)) {
      expect(routeConfirmedSchema.parse(event.data)).toMatchObject({ planId, date: '2026-11-30', waveId: wave.waveId });
      expect(event).toMatchObject({ countyId, source: 'dispatch', subject: (event.data as { routeId: string }).routeId });
    }
    expect(waveCostedSchema.parse(mine[2]!.event.data)).toMatchObject({ planId, parcels: 3, routes: 2, costPerParcel: 333.33 });

    const other = await dispatch.app.inject({ method: 'GET', url: `/dispatch/plans/${otherId}`, headers: { 'x-api-key': operator } });
    expect(other.json()).toMatchObject({ status: 'superseded' });

    const costs = await dispatch.app.inject({ method: 'GET', url: `/dispatch/waves/2026-11-30/${wave.waveId}/costs`, headers: { 'x-api-key': operator } });
    expect(costs.statusCode, costs.body).toBe(200);
    expect(costs.json()).toEqual(mine[2]!.event.data);
  });

  it('retried at the same revision answers the same and writes nothing more', async () => {
    const wave = freshWave();
    const planId = fresh('pl');
    await seedDraft(dispatch.runtime.pool, wave, planId, handMadePlan());
    const first = await post(`/dispatch/plans/${planId}/confirm`, {}, { 'if-match': '"1"' });
    expect(first.statusCode, first.body).toBe(200);
    const written = await outboxRows(planId);
    expect(written).toBe(3);
    const again = await post(`/dispatch/plans/${planId}/confirm`, {}, { 'if-match': '"1"' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().routes).toEqual(first.json().routes);
    expect(await outboxRows(planId)).toBe(written);
    expect(await count('SELECT count(*) AS n FROM routes WHERE plan_id = $1', [planId])).toBe(2);
  });

  it('refuses a stale or missing revision, a plan no longer a draft, and an empty plan, changing nothing', async () => {
    const wave = freshWave();
    const planId = fresh('pl');
    await seedDraft(dispatch.runtime.pool, wave, planId, handMadePlan());

    const stale = await post(`/dispatch/plans/${planId}/confirm`, { revision: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'PLAN_REVISION_STALE', details: [{ path: 'body.revision' }] });
    const missing = await post(`/dispatch/plans/${planId}/confirm`, {});
    expect(missing.statusCode).toBe(428);
    expect(missing.json().error).toMatchObject({ code: 'PLAN_REVISION_REQUIRED', details: [{ path: 'headers.if-match' }] });
    const disagreeing = await post(`/dispatch/plans/${planId}/confirm`, { revision: 1 }, { 'if-match': '"2"' });
    expect(disagreeing.statusCode).toBe(400);
    expect(disagreeing.json().error.details).toEqual([{ path: 'body.revision', reason: expect.stringContaining('If-Match') }]);
    const unknown = await post(`/dispatch/plans/${fresh('pl')}/confirm`, { revision: 1 });
    expect(unknown.statusCode).toBe(404);
    expect(await outboxRows(planId)).toBe(0);

    const cancelled = await post(`/dispatch/plans/${planId}/cancel`, { revision: 1, reason: 'the wave moved to the afternoon' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', revision: 2, cancelReason: 'the wave moved to the afternoon' });
    expect(cancelled.headers.etag).toBe('"2"');
    const afterCancel = await post(`/dispatch/plans/${planId}/confirm`, { revision: 2 });
    expect(afterCancel.statusCode).toBe(409);
    expect(afterCancel.json().error.code).toBe('PLAN_NOT_EDITABLE');
    expect(await count('SELECT count(*) AS n FROM routes WHERE plan_id = $1', [planId])).toBe(0);

    const emptyId = fresh('pl');
    const empty = handMadePlan();
    empty.routes = [];
    await seedDraft(dispatch.runtime.pool, freshWave(), emptyId, empty);
    const refused = await post(`/dispatch/plans/${emptyId}/confirm`, { revision: 1 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('PLAN_EMPTY');
  });

  it('of two drafts sharing a parcel confirmed at once, one wins and the other is refused naming the parcel', async () => {
    const [first, second] = [handMadePlan(), handMadePlan()];
    const shared = first.routes[1]!.parcels[0]!.parcelId;
    second.routes[0]!.parcels[0]!.parcelId = shared;
    second.routes[0]!.stops[0]!.deliveries = [shared];
    const [a, b] = [fresh('pl'), fresh('pl')];
    await seedDraft(dispatch.runtime.pool, freshWave(), a, first);
    await seedDraft(dispatch.runtime.pool, freshWave(), b, second);

    const answers = await Promise.all([post(`/dispatch/plans/${a}/confirm`, { revision: 1 }), post(`/dispatch/plans/${b}/confirm`, { revision: 1 })]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const loser = answers.find((r) => r.statusCode === 409)!;
    expect(loser.json().error).toMatchObject({ code: 'PARCELS_ALREADY_ROUTED', details: [{ path: `parcels.${shared}` }] });
    expect(loser.json().error.message).toContain(shared);
    const loserId = answers[0]!.statusCode === 409 ? a : b;
    expect(await count('SELECT count(*) AS n FROM routes WHERE plan_id = $1', [loserId])).toBe(0);
    expect(await outboxRows(loserId)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM route_parcels WHERE parcel_id = $1', [shared])).toBe(1);
  });

  it('a vehicle out on a route of another wave’s plan confirmed since the draft was planned is refused by name', async () => {
    const suffix = `-${randomBytes(3).toString('hex')}`;
    const [morning, afternoon, dayBefore] = [fresh('pl'), fresh('pl'), fresh('pl')];
    await seedDraft(dispatch.runtime.pool, freshWave(), morning, handMadePlan(suffix));
    await seedDraft(dispatch.runtime.pool, freshWave(), afternoon, handMadePlan(suffix));
    await seedDraft(dispatch.runtime.pool, { ...freshWave(), date: '2026-11-29' }, dayBefore, handMadePlan(suffix));
    expect((await post(`/dispatch/plans/${morning}/confirm`, { revision: 1 })).statusCode).toBe(200);
    const refused = await post(`/dispatch/plans/${afternoon}/confirm`, { revision: 1 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'VEHICLES_ALREADY_ROUTED', details: [{ path: `vehicles.van-1${suffix}` }, { path: `vehicles.van-2${suffix}` }] });
    expect(await count('SELECT count(*) AS n FROM routes WHERE plan_id = $1', [afternoon])).toBe(0);
    // A route of the 30th does not hold its vans on the 29th.
    const earlier = await post(`/dispatch/plans/${dayBefore}/confirm`, { revision: 1 });
    expect(earlier.statusCode, earlier.body).toBe(200);
  });

  it('of two drafts of one wave confirmed at once, one becomes the wave’s and the other is superseded', async () => {
    const wave = freshWave();
    const [a, b] = [fresh('pl'), fresh('pl')];
    await seedDraft(dispatch.runtime.pool, wave, a, handMadePlan());
    await seedDraft(dispatch.runtime.pool, wave, b, handMadePlan());
    const answers = await Promise.all([post(`/dispatch/plans/${a}/confirm`, { revision: 1 }), post(`/dispatch/plans/${b}/confirm`, { revision: 1 })]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(answers.find((r) => r.statusCode === 409)!.json().error.code).toBe('PLAN_NOT_EDITABLE');
    const statuses = await dispatch.runtime.pool.query<{ status: string }>('SELECT status FROM plans WHERE plan_id = ANY($1) ORDER BY status', [[a, b]]);
    expect(statuses.rows.map((r) => r.status)).toEqual(['confirmed', 'superseded']);

    const another = await post(`/dispatch/waves/2026-11-30/${wave.waveId}/plans`, {});
    expect(another.statusCode).toBe(409);
    expect(another.json().error).toMatchObject({ code: 'WAVE_ALREADY_CONFIRMED', details: [{ path: 'params.waveId' }] });
  });
});

describe('reading plans', () => {
  it('a wave’s plans are listed oldest first without their routes; a plan carries its revision as ETag', async () => {
    const wave = freshWave();
    const [a, b] = [fresh('pl'), fresh('pl')];
    await seedDraft(dispatch.runtime.pool, wave, a, handMadePlan());
    await seedDraft(dispatch.runtime.pool, wave, b, handMadePlan());
    const list = await dispatch.app.inject({ method: 'GET', url: `/dispatch/waves/2026-11-30/${wave.waveId}/plans`, headers: { 'x-api-key': operator } });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().plans.map((p: { planId: string }) => p.planId)).toEqual([a, b]);
    expect(list.json().plans[0]).toMatchObject({ status: 'draft', revision: 1, routes: 2, parcels: 3, unplanned: 1, cost: 1000, mode: 'direct' });
    const one = await dispatch.app.inject({ method: 'GET', url: `/dispatch/plans/${a}`, headers: { 'x-api-key': operator } });
    expect(one.headers.etag).toBe('"1"');
    expect(one.json()).toMatchObject({ planId: a, seed: 7, budgetSeconds: 2, unplanned: [{ reason: 'capacity' }], counterfactual: { costPerParcel: 500 } });
    expect(one.json().routes[0]).toMatchObject({ routeKey: 'r1', routeId: null, stops: [{ sequence: 1 }, { sequence: 2 }] });
  });

  it('a wave without a confirmed plan has no costs yet; dates that do not exist are refused naming the field', async () => {
    const costs = await dispatch.app.inject({ method: 'GET', url: `/dispatch/waves/2026-11-30/${fresh('w')}/costs`, headers: { 'x-api-key': operator } });
    expect(costs.statusCode).toBe(404);
    expect(costs.json().error.code).toBe('WAVE_NOT_CONFIRMED');
    for (const date of ['2026-02-30', '29-11-2026', '2026-13-01']) {
      const refused = await post(`/dispatch/waves/${date}/am/plans`, {});
      expect(refused.statusCode, date).toBe(400);
      expect(refused.json().error.details, date).toEqual([{ path: 'params.date', reason: expect.stringContaining('YYYY-MM-DD') }]);
    }
  });

  it('only operators and admins plan: drivers, stations, couriers and the bureau are refused', async () => {
    const planId = fresh('pl');
    await seedDraft(dispatch.runtime.pool, freshWave(), planId, handMadePlan());
    const admin = await issueDispatchKey(dispatch.runtime.pool, countyId, 'admin');
    expect((await dispatch.app.inject({ method: 'GET', url: `/dispatch/plans/${planId}`, headers: { 'x-api-key': admin } })).statusCode).toBe(200);
    for (const [role, scope] of [
      ['driver', { vehicleIds: ['van-1'] }],
      ['station', { stationId: 'vs-1' }],
      ['courier', { courierId: 'zto' }],
      ['bureau', {}],
    ] as const) {
      const key = await issueDispatchKey(dispatch.runtime.pool, countyId, role, scope);
      const read = await dispatch.app.inject({ method: 'GET', url: `/dispatch/plans/${planId}`, headers: { 'x-api-key': key } });
      expect(read.statusCode, role).toBe(403);
    }
    const elsewhere = await issueDispatchKey(dispatch.runtime.pool, 'cn-430225', 'operator');
    const foreign = await dispatch.app.inject({ method: 'GET', url: `/dispatch/plans/${planId}`, headers: { 'x-api-key': elsewhere } });
    expect(foreign.statusCode).toBe(404);
  });
});

