import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { atMinute, confirmRoute, eventId, freshId, outboxTypes, routeEvents, runningDispatch, type RunningDispatch } from './field-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
let run: RunningDispatch;
let operator: string;
let admin: string;

beforeAll(async () => {
  run = await runningDispatch(config);
  operator = await run.issue(countyId, 'operator');
  admin = await run.issue(countyId, 'admin');
});

afterAll(() => run?.runtime.lifecycle.shutdown());

const base = (routeId: string) => `/dispatch/routes/${routeId}`;

/** A refusal's code and the fields it names. */
function refusal(res: { statusCode: number; json: () => { error: { code: string; details: { path: string }[] } } }) {
  const { error } = res.json();
  return { status: res.statusCode, code: error.code, paths: error.details.map((d) => d.path) };
}

describe('who may report on a route', () => {
  it('a driver reports and reads only the routes of its vehicles; another vehicle’s driver is refused and changes nothing', async () => {
    const route = await confirmRoute(run.runtime, { countyId, stops: [{ deliveries: 2 }] });
    const own = await run.issue(countyId, 'driver', { vehicleIds: [route.vehicleId, freshId('veh')] });
    const other = await run.issue(countyId, 'driver', { vehicleIds: [freshId('veh')] });
    const url = base(route.routeId);
    const departure = { eventId: eventId(), occurredAt: atMinute(route, 1) };

    expect(refusal(await run.call('GET', `${url}/sheet`, other))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(refusal(await run.call('POST', `${url}/departure`, other, departure))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await run.call('GET', `${url}/sheet`, own)).json().status).toBe('confirmed');
    // The refused report took nothing: the same event id is still free for the vehicle's own driver.
    expect((await run.call('POST', `${url}/departure`, own, departure)).statusCode).toBe(201);
    expect(refusal(await run.call('POST', `${url}/stops/1/handover`, other, { eventId: eventId(), occurredAt: atMinute(route, 40) }))).toMatchObject({ status: 403 });
    expect(await outboxTypes(run, route.routeId)).toEqual(['dispatch.route_confirmed', 'dispatch.route_departed']);
  });

  it('the center reports for any route of its county; another county’s staff do not find it; only the center cancels', async () => {
    const route = await confirmRoute(run.runtime, { countyId, stops: [{ deliveries: 1 }] });
    const driver = await run.issue(countyId, 'driver', { vehicleIds: [route.vehicleId] });
    const elsewhere = await run.issue('cn-511602', 'operator');
    const url = base(route.routeId);
    const cancel = { eventId: eventId(), reason: '改派' };

    expect(refusal(await run.call('GET', `${url}/sheet`, elsewhere))).toEqual({ status: 404, code: 'ROUTE_NOT_FOUND', paths: ['params.routeId'] });
    expect(refusal(await run.call('POST', `${url}/cancel`, elsewhere, cancel))).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect(refusal(await run.call('POST', `${url}/cancel`, driver, cancel))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const others = [
      await run.issue(countyId, 'station', { stationId: route.stops[0]!.stationId }),
      await run.issue(countyId, 'courier', { courierId: 'zto' }),
      await run.issue(countyId, 'bureau'),
    ];
    for (const key of others) {
      expect((await run.call('GET', `${url}/sheet`, key)).statusCode).toBe(403);
      expect((await run.call('POST', `${url}/departure`, key, { eventId: eventId(), occurredAt: atMinute(route, 1) })).statusCode).toBe(403);
    }
    expect((await run.call('GET', `${url}/sheet`, undefined)).statusCode).toBe(401);
    expect((await run.call('POST', `${url}/cancel`, admin, cancel)).statusCode).toBe(201);
    expect(await outboxTypes(run, route.routeId)).toEqual(['dispatch.route_confirmed', 'dispatch.route_cancelled']);
  });

  it('a driver lists its vehicles’ routes: those still to drive, or a date’s; the center lists the county’s', async () => {
    const vehicle = freshId('veh');
    const mine = await confirmRoute(run.runtime, { countyId, vehicleId: vehicle, stops: [{ deliveries: 2, pickups: 1 }] });
    const done = await confirmRoute(run.runtime, { countyId, vehicleId: vehicle, stops: [{ deliveries: 1 }], hoursAgo: 8 });
    const theirs = await confirmRoute(run.runtime, { countyId, stops: [{ deliveries: 1 }] });
    const driver = await run.issue(countyId, 'driver', { vehicleIds: [vehicle] });
    await run.call('POST', `${base(done.routeId)}/cancel`, operator, { eventId: eventId(), reason: 'merged' });

    const live = (await run.call('GET', '/dispatch/routes', driver)).json().routes;
    expect(live.map((r: { routeId: string }) => r.routeId)).toEqual([mine.routeId]);
    expect(live[0]).toMatchObject({ vehicleId: vehicle, status: 'confirmed', stops: 1, deliveries: 2, pickups: 1, plannedDeparture: mine.data.plannedDeparture });
    const ofDate = (await run.call('GET', `/dispatch/routes?date=${mine.data.date}`, driver)).json().routes;
    expect(ofDate.map((r: { routeId: string }) => r.routeId).sort()).toEqual([mine.routeId, done.routeId].sort());
    expect(refusal(await run.call('GET', `/dispatch/routes?vehicleId=${theirs.vehicleId}`, driver))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const center = (await run.call('GET', `/dispatch/routes?vehicleId=${theirs.vehicleId}`, operator)).json().routes;
    expect(center.map((r: { routeId: string }) => r.routeId)).toEqual([theirs.routeId]);
    expect(refusal(await run.call('GET', '/dispatch/routes?date=2026-02-30', operator))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', paths: ['querystring.date'] });
  });
});

describe('field events that cannot apply are refused with the field and the reason, and change nothing', () => {
  it('before departure, on a stop that does not exist, with parcels not of that route or stop, at impossible times', async () => {
    const route = await confirmRoute(run.runtime, { countyId, stops: [{ deliveries: 2, pickups: 1 }, { deliveries: 2 }] });
    const driver = await run.issue(countyId, 'driver', { vehicleIds: [route.vehicleId] });
    const [s1, s2] = route.stops as [(typeof route.stops)[0], (typeof route.stops)[0]];
    const url = base(route.routeId);
    const post = (path: string, body: Record<string, unknown>) => run.call('POST', `${url}${path}`, driver, { eventId: eventId(), ...body });
    const at = (m: number) => atMinute(route, m);

    expect(refusal(await post('/stops/1/handover', { occurredAt: at(40) }))).toEqual({ status: 409, code: 'ROUTE_NOT_DEPARTED', paths: ['params.routeId'] });
    expect(refusal(await post('/return', { occurredAt: at(90) }))).toMatchObject({ status: 409, code: 'ROUTE_NOT_DEPARTED' });
    expect((await post('/departure', { occurredAt: at(5) })).statusCode).toBe(201);

    expect(refusal(await post('/departure', { occurredAt: at(6) }))).toMatchObject({ status: 409, code: 'ROUTE_ALREADY_DEPARTED' });
    expect(refusal(await run.call('POST', `${url}/cancel`, operator, { eventId: eventId(), reason: 'too late' }))).toMatchObject({ status: 409, code: 'ROUTE_ALREADY_DEPARTED' });
    expect(refusal(await post('/stops/3/arrival', { occurredAt: at(40) }))).toEqual({ status: 404, code: 'STOP_NOT_FOUND', paths: ['params.sequence'] });
    expect(refusal(await post('/stops/first/arrival', { occurredAt: at(40) }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', paths: ['params.sequence'] });
    expect(refusal(await post('/stops/1/arrival', { occurredAt: at(4) }))).toEqual({ status: 409, code: 'EVENT_BEFORE_DEPARTURE', paths: ['body.occurredAt'] });
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString();
    expect(refusal(await post('/stops/1/arrival', { occurredAt: tomorrow }))).toEqual({ status: 400, code: 'VALIDATION_FAILED', paths: ['body.occurredAt'] });
    expect(refusal(await post('/stops/1/arrival', { occurredAt: 'yesterday' }))).toMatchObject({ status: 400, paths: ['body.occurredAt'] });
    expect(refusal(await run.call('POST', `${url}/stops/1/arrival`, driver, { occurredAt: at(40) }))).toMatchObject({ status: 400, paths: ['body.eventId'] });

    const stranger = randomUUID();
    expect(refusal(await post('/stops/1/handover', { occurredAt: at(40), parcelIds: [stranger] }))).toEqual({
      status: 422,
      code: 'PARCEL_NOT_ON_ROUTE',
      paths: ['body.parcelIds.0'],
    });
    expect(refusal(await post('/stops/1/handover', { occurredAt: at(40), parcelIds: [s1.deliveries[0], s2.deliveries[0]] }))).toEqual({
      status: 422,
      code: 'PARCEL_NOT_FOR_STOP',
      paths: ['body.parcelIds.1'],
    });
    expect(refusal(await post('/stops/1/handover', { occurredAt: at(40), parcelIds: s1.pickups }))).toMatchObject({ status: 422, code: 'PARCEL_NOT_FOR_STOP' });
    expect(refusal(await post('/stops/1/pickups', { occurredAt: at(40), parcelIds: [s1.deliveries[1]] }))).toMatchObject({ status: 422, code: 'PARCEL_NOT_FOR_STOP' });
    expect(refusal(await post('/stops/1/exceptions', { occurredAt: at(40), kind: 'damaged' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED', paths: ['body.parcelIds'] });
    expect(refusal(await post('/stops/1/exceptions', { occurredAt: at(40), kind: 'lost', parcelIds: [s1.deliveries[0]] }))).toMatchObject({ status: 400, paths: ['body.kind'] });

    const whole = await post('/stops/1/handover', { occurredAt: at(41) });
    expect(whole.statusCode).toBe(201);
    expect(refusal(await post('/stops/1/handover', { occurredAt: at(42), parcelIds: [s1.deliveries[0]] }))).toEqual({
      status: 409,
      code: 'PARCEL_ALREADY_SETTLED',
      paths: ['body.parcelIds.0'],
    });
    expect(refusal(await post('/stops/1/handover', { occurredAt: at(42) }))).toEqual({ status: 409, code: 'NOTHING_LEFT_AT_STOP', paths: ['body.parcelIds'] });
    expect((await post('/stops/2/arrival', { occurredAt: at(80) })).statusCode).toBe(201);
    expect(refusal(await post('/stops/2/arrival', { occurredAt: at(81) }))).toEqual({ status: 409, code: 'STOP_ALREADY_ARRIVED', paths: ['params.sequence'] });
    expect((await post('/return', { occurredAt: at(120) })).statusCode).toBe(201);
    expect(refusal(await post('/stops/2/handover', { occurredAt: at(85) }))).toEqual({ status: 409, code: 'ROUTE_RETURNED', paths: ['params.routeId'] });

    expect(refusal(await run.call('POST', `${base('rt-nowhere')}/departure`, operator, { eventId: eventId(), occurredAt: at(1) }))).toMatchObject({
      status: 404,
      code: 'ROUTE_NOT_FOUND',
    });

    // Only what was accepted reached the outbox and the topic, in order.
    const accepted = ['dispatch.route_confirmed', 'dispatch.route_departed', 'dispatch.stop_handed_over', 'dispatch.stop_arrived', 'dispatch.route_returned'];
    expect(await outboxTypes(run, route.routeId)).toEqual(accepted);
    const events = await routeEvents(run, config, route.routeId, (all) => all.some((e) => e.type === 'dispatch.route_returned'));
    expect(events.map((e) => e.type)).toEqual(accepted);
    const sheet = (await run.call('GET', `${url}/sheet`, driver)).json();
    expect(sheet.stops[0].collect.map((p: { status: string }) => p.status)).toEqual(['cancelled']);
    expect(sheet.stops[1].unload.map((p: { status: string }) => p.status)).toEqual(['undelivered', 'undelivered']);
    expect(sheet.stops[0].arrivedAt).toBeNull();
  });
});

describe('the API document', () => {
  it('describes the handheld’s routes with their bodies', async () => {
    const res = await run.call('GET', '/docs/json', undefined);
    expect(res.statusCode, res.body).toBe(200);
    const paths = res.json().paths as Record<string, Record<string, { requestBody?: unknown }>>;
    for (const path of ['/dispatch/routes', '/dispatch/routes/{routeId}/sheet']) expect(paths[path]?.get, path).toBeDefined();
    for (const path of ['departure', 'stops/{sequence}/arrival', 'stops/{sequence}/handover', 'stops/{sequence}/pickups', 'stops/{sequence}/exceptions', 'return', 'cancel']) {
      expect(paths[`/dispatch/routes/{routeId}/${path}`]?.post?.requestBody, path).toBeDefined();
    }
  });
});
