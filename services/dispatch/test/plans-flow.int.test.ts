// Issue #10 "Waves and plans", end to end inside dispatch: the read model fed with master-data and parcel events as
// intake publishes them (real Kafka), a wave planned by the real planner on its worker thread, edited, re-planned
// around a lock, and confirmed into routes whose events are read back from Kafka.
import { randomBytes } from 'node:crypto';
import { routeConfirmedSchema, waveCostedSchema } from '@county/contracts';
import type { Producer } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { dispatchEvents, issueDispatchKey, runningDispatch, type RunningDispatch } from './plans-support.js';
import { countyRecord, courierRecord, masterDataEvent, parcelEvents, stationRecord, testParcel, vehicleRecord, type TestParcel } from './readmodel-events.js';
import { applied, intakeProducer, parcelInState, publishMasterData, publishParcelEvents } from './readmodel-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = `cn-p${randomBytes(3).toString('hex')}`;
/** 21:00 in the county on the 29th, an hour before the morning wave's 22:00 cut-off: operators may plan early. */
const clockAt = { now: new Date('2026-11-29T13:00:00Z') };
const DATE = '2026-11-30';
const villages = ['vs-1', 'vs-2', 'vs-3', 'vs-4'];
let dispatch: RunningDispatch;
let producer: Producer;
let operator: string;
let parcels: TestParcel[];
let giant: TestParcel;

/**
 * A county in the read model as intake's events put it there: a center, four villages, two couriers delivering to
 * every village (5 parcels of 50 kg each a village, alternating couriers), two 600 kg vans (the wave's 1,000 kg need
 * both), and one 900 kg parcel no van can carry.
 */
async function seedCounty(id: string): Promise<{ parcels: TestParcel[]; giant: TestParcel }> {
  const at = new Date('2026-11-29T08:00:00Z');
  const records = [
    masterDataEvent('county', countyRecord(id), at),
    masterDataEvent('station', stationRecord(id, 'center', 'center'), at),
    ...villages.map((station) => masterDataEvent('station', stationRecord(id, station, 'village'), at)),
    masterDataEvent('courier', courierRecord(id, 'zto'), at),
    masterDataEvent('courier', courierRecord(id, 'yto'), at),
    ...['van-a', 'van-b'].map((van) => masterDataEvent('vehicle', vehicleRecord(id, van, { capacityKg: 600, capacityM3: 6 }), at)),
  ];
  await publishMasterData(producer, config, records);
  // Master data and parcels are folded by two consumers: a plan made before both vans arrived had one route (CI).
  for (const r of records) await applied(dispatch.runtime.pool, 'dispatch.masterdata', r.event.id);
  const waiting = villages.flatMap((stationId) =>
    Array.from({ length: 5 }, (_, i) => testParcel(id, stationId, { courierId: i % 2 === 0 ? 'zto' : 'yto', weightKg: 50, volumeM3: 0.3 })),
  );
  const heavy = testParcel(id, 'vs-1', { weightKg: 900, volumeM3: 2 });
  const received = new Date('2026-11-29T10:00:00Z');
  await publishParcelEvents(producer, config, [...waiting, heavy].flatMap((p) => [parcelEvents.manifested(p, at), parcelEvents.received(p, received)]));
  for (const p of [...waiting, heavy]) await parcelInState(dispatch.runtime.pool, p.id, 'received');
  return { parcels: waiting, giant: heavy };
}

beforeAll(async () => {
  dispatch = await runningDispatch(config, { clock: () => clockAt.now });
  producer = await intakeProducer(config);
  operator = await issueDispatchKey(dispatch.runtime.pool, countyId, 'operator');
  ({ parcels, giant } = await seedCounty(countyId));
});

afterAll(async () => {
  await producer?.disconnect();
  await dispatch?.runtime.lifecycle.shutdown();
});

interface PlanBody {
  planId: string;
  revision: number;
  status: string;
  seed: number;
  budgetSeconds: number;
  locks: { routes: string[] };
  routes: { routeKey: string; routeId: string | null; vehicleId: string; locked: boolean; stops: { stationId: string; deliveries: string[] }[]; parcels: { parcelId: string }[] }[];
  unplanned: { parcelId: string; reason: string; detail: string }[];
  consolidated: { costPerParcel: number; parcels: number };
  counterfactual: { costPerParcel: number };
  reductionVsCounterfactualPct: number;
}

function call(method: 'GET' | 'POST' | 'DELETE', url: string, body?: object, headers: Record<string, string> = {}) {
  return dispatch.app.inject({ method, url, headers: { 'x-api-key': operator, ...headers }, ...(body ? { payload: body } : {}) });
}

const read = async (planId: string) => (await call('GET', `/dispatch/plans/${planId}`)).json() as PlanBody;
const onRoute = (plan: PlanBody, routeKey: string) => plan.routes.find((r) => r.routeKey === routeKey)!.parcels.map((p) => p.parcelId).sort();

describe('a wave planned, edited, re-planned and confirmed', () => {
  let planId: string;

  it('plans the wave’s parcels on two routes, reports the one no vehicle can carry, and costs less than each courier alone', async () => {
    const created = await call('POST', `/dispatch/waves/${DATE}/am/plans`, { seed: 3, budgetSeconds: 2 });
    expect(created.statusCode, created.body).toBe(201);
    const plan = created.json() as PlanBody;
    planId = plan.planId;
    expect(created.headers.location).toBe(`/dispatch/plans/${planId}`);
    expect(plan).toMatchObject({ status: 'draft', revision: 1, seed: 3, budgetSeconds: 2 });
    expect(plan.routes).toHaveLength(2);
    const planned = plan.routes.flatMap((r) => r.parcels.map((p) => p.parcelId)).sort();
    expect(planned).toEqual(parcels.map((p) => p.id).sort());
    expect(plan.unplanned).toEqual([expect.objectContaining({ parcelId: giant.id, reason: 'capacity' })]);
    expect(plan.consolidated.costPerParcel).toBeLessThan(plan.counterfactual.costPerParcel);
    expect(plan.reductionVsCounterfactualPct).toBeGreaterThan(0);
  });

  it('refuses a move that breaks a van’s capacity, changing nothing', async () => {
    const before = await read(planId);
    const [from, to] = before.routes;
    const refused = await call('POST', `/dispatch/plans/${planId}/moves`, { kind: 'stop', stationId: from!.stops[0]!.stationId, fromRouteKey: from!.routeKey, toRouteKey: to!.routeKey }, { 'if-match': '"1"' });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error).toMatchObject({ code: 'PLAN_EDIT_REFUSED', details: [{ path: expect.stringMatching(/^body\./), reason: expect.stringMatching(/capacity|kg/) }] });
    expect(await read(planId)).toEqual(before);
  });

  it('moves a parcel to the other route, and refuses the same revision a second time as stale', async () => {
    const before = await read(planId);
    const [from, to] = before.routes;
    const parcelId = from!.parcels[0]!.parcelId;
    const moves = await Promise.all(
      [0, 1].map(() => call('POST', `/dispatch/plans/${planId}/moves`, { kind: 'parcel', parcelId, toRouteKey: to!.routeKey, revision: 1 })),
    );
    expect(moves.map((m) => m.statusCode).sort()).toEqual([200, 409]);
    const stale = moves.find((m) => m.statusCode === 409)!;
    expect(stale.json().error).toMatchObject({ code: 'PLAN_REVISION_STALE', details: [{ path: 'body.revision' }] });
    const after = await read(planId);
    expect(after.revision).toBe(2);
    expect(onRoute(after, to!.routeKey)).toContain(parcelId);
    expect(onRoute(after, from!.routeKey)).not.toContain(parcelId);
  });

  it('a re-plan keeps the locked route as it was: vehicle, stops in order, parcels', async () => {
    const before = await read(planId);
    const kept = before.routes[1]!;
    const locked = await call('POST', `/dispatch/plans/${planId}/locks`, { routeKey: kept.routeKey, revision: 2 });
    expect(locked.statusCode, locked.body).toBe(200);
    expect(locked.json()).toMatchObject({ revision: 3, locks: { routes: [kept.routeKey] } });

    const replanned = await call('POST', `/dispatch/plans/${planId}/replan`, { seed: 11 }, { 'if-match': '"3"' });
    expect(replanned.statusCode, replanned.body).toBe(200);
    const plan = replanned.json() as PlanBody;
    expect(plan).toMatchObject({ revision: 4, seed: 11 });
    const same = plan.routes.find((r) => r.vehicleId === kept.vehicleId)!;
    expect(same.locked).toBe(true);
    expect(same.stops.map((s) => s.stationId)).toEqual(kept.stops.map((s) => s.stationId));
    expect(same.parcels.map((p) => p.parcelId).sort()).toEqual(kept.parcels.map((p) => p.parcelId).sort());
    expect(plan.routes.flatMap((r) => r.parcels.map((p) => p.parcelId)).sort()).toEqual(parcels.map((p) => p.id).sort());
  });

  it('confirms: route_confirmed for every route with every parcel, the wave’s wave_costed, and the parcels leave the next wave’s pool', async () => {
    const plan = await read(planId);
    const confirmed = await call('POST', `/dispatch/plans/${planId}/confirm`, { revision: plan.revision });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const routeIds = (confirmed.json() as PlanBody).routes.map((r) => r.routeId!);
    expect(routeIds.every((id) => id.startsWith(`rt-${DATE}-am-`))).toBe(true);

    const events = await dispatchEvents(dispatch.runtime.kafka, iso.topicPrefix, (all) => all.some((e) => e.type === 'dispatch.wave_costed'));
    const routes = events.filter((e) => e.event.type === 'dispatch.route_confirmed').map((e) => routeConfirmedSchema.parse(e.event.data));
    expect(routes.map((r) => r.routeId).sort()).toEqual([...routeIds].sort());
    expect(routes.flatMap((r) => r.parcels.map((p) => p.parcelId)).sort()).toEqual(parcels.map((p) => p.id).sort());
    // Each parcel carries its waybill and its recipient as intake's parcel.manifested masked it: the driver's sheet.
    const byId = new Map(parcels.map((p) => [p.id, p]));
    for (const parcel of routes.flatMap((r) => r.parcels)) {
      expect(parcel).toMatchObject({ waybill: byId.get(parcel.parcelId)!.waybill, recipient: { name: '张**', phone: '139****0001' } });
    }
    const sheet = await call('GET', `/dispatch/routes/${routeIds[0]}/sheet`);
    expect(sheet.statusCode, sheet.body).toBe(200);
    const unload = (sheet.json() as { stops: { unload: { parcelId: string; waybill: string | null; recipient: unknown }[] }[] }).stops.flatMap((s) => s.unload);
    expect(unload.length).toBeGreaterThan(0);
    expect(unload.filter((u) => u.waybill !== byId.get(u.parcelId)!.waybill || u.recipient === null)).toEqual([]);
    const costed = waveCostedSchema.parse(events.find((e) => e.event.type === 'dispatch.wave_costed')!.event.data);
    expect(costed).toMatchObject({ planId, date: DATE, waveId: 'am', parcels: parcels.length, routes: 2 });
    expect(costed.costPerParcel).toBeLessThan(costed.counterfactual.costPerParcel);
    const costs = await call('GET', `/dispatch/waves/${DATE}/am/costs`);
    expect(costs.json()).toEqual(costed);

    // The afternoon wave plans what is left: the giant parcel only, which still fits no van.
    const next = await call('POST', `/dispatch/waves/${DATE}/pm/plans`, { budgetSeconds: 1 });
    expect(next.statusCode, next.body).toBe(201);
    const afternoon = next.json() as PlanBody;
    expect(afternoon.routes).toEqual([]);
    expect(afternoon.unplanned.map((u) => u.parcelId)).toEqual([giant.id]);
  });
});

describe('a lock no plan can honour', () => {
  it('is refused at the re-plan naming the lock, the draft unchanged', async () => {
    const other = `cn-l${randomBytes(3).toString('hex')}`;
    await seedCounty(other);
    const key = await issueDispatchKey(dispatch.runtime.pool, other, 'operator');
    const as = (method: 'GET' | 'POST', url: string, body?: object) =>
      dispatch.app.inject({ method, url, headers: { 'x-api-key': key }, ...(body ? { payload: body } : {}) });
    const created = await as('POST', `/dispatch/waves/${DATE}/am/plans`, { seed: 3, budgetSeconds: 1 });
    expect(created.statusCode, created.body).toBe(201);
    const { planId, routes } = created.json() as PlanBody;
    const locked = routes[0]!;
    const lockedPlan = await as('POST', `/dispatch/plans/${planId}/locks`, { routeKey: locked.routeKey, revision: 1 });
    expect(lockedPlan.statusCode, lockedPlan.body).toBe(200);

    // The locked route's van is taken out of service.
    const van = vehicleRecord(other, locked.vehicleId, { capacityKg: 600, capacityM3: 6, active: false });
    const deactivated = masterDataEvent('vehicle', van, new Date('2026-11-29T11:00:00Z'));
    await publishMasterData(producer, config, [deactivated]);
    await applied(dispatch.runtime.pool, 'dispatch.masterdata', deactivated.event.id);

    const refused = await as('POST', `/dispatch/plans/${planId}/replan`, { revision: 2 });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'PLAN_EDIT_REFUSED',
      details: [{ path: 'plan.locks.routes[0].vehicleId', reason: expect.stringContaining(locked.vehicleId) }],
    });
    expect((await as('GET', `/dispatch/plans/${planId}`)).json()).toEqual(lockedPlan.json());
  });
});

describe('a county with a travel matrix', () => {
  it('edits price the moved routes with the matrix, which the plan does not store', async () => {
    const other = `cn-x${randomBytes(3).toString('hex')}`;
    await seedCounty(other);
    const admin = await issueDispatchKey(dispatch.runtime.pool, other, 'admin');
    const as = (method: 'GET' | 'POST' | 'PUT', url: string, body?: object) =>
      dispatch.app.inject({ method, url, headers: { 'x-api-key': admin }, ...(body ? { payload: body } : {}) });
    const stationIds = ['center', ...villages];
    const km = (i: number, j: number) => (i === j ? 0 : 7 * Math.abs(i - j) + 3);
    const matrix = {
      stationIds,
      distanceKm: stationIds.map((_, i) => stationIds.map((__, j) => km(i, j))),
      durationMinutes: stationIds.map((_, i) => stationIds.map((__, j) => 2 * km(i, j))),
    };
    expect((await as('PUT', '/dispatch/matrix', matrix)).statusCode).toBe(200);

    const created = await as('POST', `/dispatch/waves/${DATE}/am/plans`, { seed: 3, budgetSeconds: 1 });
    expect(created.statusCode, created.body).toBe(201);
    const plan = created.json() as PlanBody & { travel: string; routes: { distanceKm: number }[] };
    expect(plan.travel).toBe('matrix');
    const stored = await dispatch.runtime.pool.query<{ has: boolean; input_matrix: boolean }>(`SELECT input ? 'matrix' AS has, input_matrix FROM plans WHERE plan_id = $1`, [plan.planId]);
    expect(stored.rows[0]).toEqual({ has: false, input_matrix: true });

    const [from, to] = plan.routes;
    const moved = await as('POST', `/dispatch/plans/${plan.planId}/moves`, { kind: 'parcel', parcelId: from!.parcels[0]!.parcelId, toRouteKey: to!.routeKey, revision: 1 });
    expect(moved.statusCode, moved.body).toBe(200);
    const legs = (route: { stops: { stationId: string }[] }) => {
      const path = [0, ...route.stops.map((stop) => stationIds.indexOf(stop.stationId)), 0];
      return path.slice(1).reduce((sum, j, k) => sum + km(path[k]!, j), 0);
    };
    for (const route of (moved.json() as typeof plan).routes) expect(route.distanceKm).toBeCloseTo(legs(route), 6);
  });
});

describe('planning with an Idempotency-Key', () => {
  it('a retry gets the first plan back, and the wave has one plan more, not two', async () => {
    const before = ((await call('GET', `/dispatch/waves/${DATE}/pm/plans`)).json() as { plans: unknown[] }).plans.length;
    const key = { 'idempotency-key': `plan-pm-${randomBytes(4).toString('hex')}` };
    const first = await call('POST', `/dispatch/waves/${DATE}/pm/plans`, { seed: 5, budgetSeconds: 1 }, key);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers.location).toBe(`/dispatch/plans/${first.json().planId}`);
    const retry = await call('POST', `/dispatch/waves/${DATE}/pm/plans`, { seed: 5, budgetSeconds: 1 }, key);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    const after = ((await call('GET', `/dispatch/waves/${DATE}/pm/plans`)).json() as { plans: unknown[] }).plans.length;
    expect(after).toBe(before + 1);
    const other = await call('POST', `/dispatch/waves/${DATE}/pm/plans`, { seed: 6, budgetSeconds: 1 }, key);
    expect(other.statusCode).toBe(422);
  });
});

describe('planning refusals', () => {
  it('an unknown wave is a 404 naming the wave, nothing written', async () => {
    const refused = await call('POST', `/dispatch/waves/${DATE}/night/plans`, {});
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error).toMatchObject({ code: 'WAVE_NOT_FOUND', details: [{ path: 'params.waveId', reason: expect.stringContaining('night') }] });
    const list = await call('GET', `/dispatch/waves/${DATE}/night/plans`);
    expect(list.json()).toEqual({ plans: [] });
  });

  it('a county dispatch has no master data of is refused naming the county', async () => {
    const stranger = await issueDispatchKey(dispatch.runtime.pool, `cn-q${randomBytes(3).toString('hex')}`, 'operator');
    const refused = await dispatch.app.inject({ method: 'POST', url: `/dispatch/waves/${DATE}/am/plans`, headers: { 'x-api-key': stranger } });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('COUNTY_NOT_KNOWN');
  });
});


