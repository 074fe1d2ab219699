import type { Envelope } from '@county/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { atMinute, confirmRoute, eventId, outboxTypes, routeEvents, runningDispatch, type RunningDispatch } from './field-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
let run: RunningDispatch;
let operator: string;

beforeAll(async () => {
  run = await runningDispatch(config);
  operator = await run.issue(countyId, 'operator');
});

afterAll(() => run?.runtime.lifecycle.shutdown());

const base = (routeId: string) => `/dispatch/routes/${routeId}`;
const ofType = (events: Envelope[], type: string) => events.filter((e) => e.type === type);

describe('a day on the road, as the handheld reports it', () => {
  it('each field event is published once on dispatch.events with its data, and the sheet follows the route', async () => {
    const route = await confirmRoute(run.runtime, {
      countyId,
      stops: [
        { stationId: 'st-xiaowan', deliveries: 2, pickups: 1 },
        { stationId: 'st-shangba', deliveries: 3, refrigerated: 1 },
      ],
    });
    const driver = await run.issue(countyId, 'driver', { vehicleIds: [route.vehicleId] });
    const [s1, s2] = route.stops as [(typeof route.stops)[0], (typeof route.stops)[0]];
    const url = base(route.routeId);
    const post = async (path: string, body: Record<string, unknown>) => {
      const res = await run.call('POST', `${url}${path}`, driver, { eventId: eventId(), ...body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };

    const sheet = (await run.call('GET', `${url}/sheet`, driver)).json();
    expect(sheet.status).toBe('confirmed');
    expect(sheet.stops.map((s: { stationId: string }) => s.stationId)).toEqual(['st-xiaowan', 'st-shangba']);
    expect(sheet.stops[0].unload.map((p: { parcelId: string }) => p.parcelId)).toEqual(s1.deliveries);
    expect(sheet.stops[0].unload[0]).toMatchObject({ waybill: expect.stringMatching(/^ZT78/), recipient: { name: '王**', phone: '138****1111' } });
    expect(sheet.stops[0].collect.map((p: { parcelId: string }) => p.parcelId)).toEqual(s1.pickups);
    // Last stop loaded first: its refrigerated parcel, then its ambient ones, then the first stop's.
    expect(sheet.loadingOrder.map((s: { stopSequence: number; compartment: string; parcels: unknown[] }) => [s.stopSequence, s.compartment, s.parcels.length])).toEqual([
      [2, 'refrigerated', 1],
      [2, 'ambient', 2],
      [1, 'ambient', 2],
    ]);
    expect(sheet.compartments).toEqual([
      { compartment: 'refrigerated', containerId: `${route.vehicleId}/refrigerated`, deliveries: 1, pickups: 0, coldChainProfileIds: ['chilled-2-8'] },
      { compartment: 'ambient', containerId: `${route.vehicleId}/ambient`, deliveries: 4, pickups: 1, coldChainProfileIds: [] },
    ]);

    const departed = await post('/departure', { occurredAt: atMinute(route, 2) });
    expect(departed).toMatchObject({ routeStatus: 'departed', event: { type: 'dispatch.route_departed' } });
    await post('/stops/1/arrival', { occurredAt: atMinute(route, 41) });
    const handed = await post('/stops/1/handover', { occurredAt: atMinute(route, 44) });
    expect(handed.event.data.parcelIds).toEqual(s1.deliveries);
    await post('/stops/1/pickups', { occurredAt: atMinute(route, 46) });
    await post('/stops/2/arrival', { occurredAt: atMinute(route, 83) });
    const refused = s2.deliveries[2]!;
    await post('/stops/2/exceptions', { occurredAt: atMinute(route, 85), kind: 'refused', parcelIds: [refused], reason: '收件人拒收' });
    const rest = await post('/stops/2/handover', { occurredAt: atMinute(route, 86) });
    expect(rest.event.data.parcelIds).toEqual(s2.deliveries.slice(0, 2));
    const returned = await post('/return', { occurredAt: atMinute(route, 130) });
    expect(returned.routeStatus).toBe('returned');

    const fieldTypes = [
      'dispatch.route_departed',
      'dispatch.stop_arrived',
      'dispatch.stop_handed_over',
      'dispatch.pickups_collected',
      'dispatch.stop_arrived',
      'dispatch.stop_exception',
      'dispatch.stop_handed_over',
      'dispatch.route_returned',
    ];
    const events = await routeEvents(run, config, route.routeId, (all) => all.some((e) => e.type === 'dispatch.route_returned'));
    expect(events.map((e) => e.type)).toEqual(['dispatch.route_confirmed', ...fieldTypes]);
    const fields = { routeId: route.routeId, planId: route.data.planId, date: route.data.date, waveId: 'am', vehicleId: route.vehicleId, tier: 'direct', depotStationId: 'st-center' };
    for (const event of events) expect(event).toMatchObject({ countyId, subject: route.routeId, source: 'dispatch', data: fields });
    expect(ofType(events, 'dispatch.route_departed')[0]).toMatchObject({
      occurredAt: atMinute(route, 2),
      data: { departedAt: atMinute(route, 2), parcelIds: [...s1.deliveries, ...s2.deliveries] },
    });
    expect(ofType(events, 'dispatch.stop_arrived').map((e) => e.data)).toMatchObject([
      { stationId: 'st-xiaowan', sequence: 1, arrivedAt: atMinute(route, 41) },
      { stationId: 'st-shangba', sequence: 2, arrivedAt: atMinute(route, 83) },
    ]);
    expect(ofType(events, 'dispatch.stop_handed_over').map((e) => e.data)).toMatchObject([
      { stationId: 'st-xiaowan', sequence: 1, handedOverAt: atMinute(route, 44), parcelIds: s1.deliveries },
      { stationId: 'st-shangba', sequence: 2, handedOverAt: atMinute(route, 86), parcelIds: s2.deliveries.slice(0, 2) },
    ]);
    expect(ofType(events, 'dispatch.pickups_collected')[0]!.data).toMatchObject({ stationId: 'st-xiaowan', sequence: 1, collectedAt: atMinute(route, 46), parcelIds: s1.pickups });
    expect(ofType(events, 'dispatch.stop_exception')[0]!.data).toMatchObject({ sequence: 2, kind: 'refused', reportedAt: atMinute(route, 85), parcelIds: [refused], reason: '收件人拒收' });
    expect(ofType(events, 'dispatch.route_returned')[0]!.data).toMatchObject({ returnedAt: atMinute(route, 130), collectedParcelIds: s1.pickups, undeliveredParcelIds: [refused] });
    // The response names the event that was published.
    expect(ofType(events, 'dispatch.route_returned')[0]!.id).toBe(returned.event.id);

    const after = (await run.call('GET', `${url}/sheet`, driver)).json();
    expect(after).toMatchObject({ status: 'returned', departedAt: atMinute(route, 2), returnedAt: atMinute(route, 130) });
    expect(after.stops.map((s: { arrivedAt: string }) => s.arrivedAt)).toEqual([atMinute(route, 41), atMinute(route, 83)]);
    expect(after.stops[0].unload.map((p: { status: string }) => p.status)).toEqual(['handed_over', 'handed_over']);
    expect(after.stops[0].collect.map((p: { status: string }) => p.status)).toEqual(['returned']);
    expect(after.stops[1].unload.map((p: { status: string }) => p.status)).toEqual(['handed_over', 'handed_over', 'undelivered']);
    expect(after.stops[1].exceptions).toEqual([{ kind: 'refused', occurredAt: atMinute(route, 85), parcelIds: [refused] }]);
  });

  it('a hand-over of part of a stop leaves the rest for a later hand-over; a closed station keeps them on board', async () => {
    const route = await confirmRoute(run.runtime, { countyId, stops: [{ deliveries: 4 }, { deliveries: 2, pickups: 2 }] });
    const [s1, s2] = route.stops as [(typeof route.stops)[0], (typeof route.stops)[0]];
    const url = base(route.routeId);
    const post = (path: string, body: Record<string, unknown>) => run.call('POST', `${url}${path}`, operator, { eventId: eventId(), ...body });
    expect((await post('/departure', { occurredAt: atMinute(route, 0) })).statusCode).toBe(201);
    const first = await post('/stops/1/handover', { occurredAt: atMinute(route, 40), parcelIds: s1.deliveries.slice(0, 1) });
    expect(first.json().event.data.parcelIds).toEqual(s1.deliveries.slice(0, 1));
    const second = await post('/stops/1/handover', { occurredAt: atMinute(route, 41) });
    expect(second.json().event.data.parcelIds).toEqual(s1.deliveries.slice(1));
    const closed = await post('/stops/2/exceptions', { occurredAt: atMinute(route, 80), kind: 'station_closed' });
    expect(closed.statusCode, closed.body).toBe(201);
    expect(closed.json().event.data).toMatchObject({ kind: 'station_closed', parcelIds: [...s2.deliveries, ...s2.pickups] });
    const back = await post('/return', { occurredAt: atMinute(route, 120) });
    expect(back.json().event.data).toMatchObject({ collectedParcelIds: [], undeliveredParcelIds: s2.deliveries });
    expect(await outboxTypes(run, route.routeId)).toEqual([
      'dispatch.route_confirmed',
      'dispatch.route_departed',
      'dispatch.stop_handed_over',
      'dispatch.stop_handed_over',
      'dispatch.stop_exception',
      'dispatch.route_returned',
    ]);
  });

  it('a route cancelled before departure lists its downstream parcels, once, and takes no more events', async () => {
    const route = await confirmRoute(run.runtime, { countyId, stops: [{ deliveries: 2, pickups: 1 }] });
    const url = base(route.routeId);
    const body = { eventId: eventId(), reason: '车辆故障' };
    const cancelled = await run.call('POST', `${url}/cancel`, operator, body);
    expect(cancelled.statusCode, cancelled.body).toBe(201);
    expect(cancelled.json().event.data).toMatchObject({ parcelIds: route.stops[0]!.deliveries, reason: '车辆故障' });
    const again = await run.call('POST', `${url}/cancel`, operator, body);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(cancelled.json());

    const depart = await run.call('POST', `${url}/departure`, operator, { eventId: eventId(), occurredAt: atMinute(route, 0) });
    expect(depart.statusCode).toBe(409);
    expect(depart.json().error).toMatchObject({ code: 'ROUTE_CANCELLED', details: [{ path: 'params.routeId' }] });

    const events = await routeEvents(run, config, route.routeId, (all) => all.some((e) => e.type === 'dispatch.route_cancelled'));
    expect(events.map((e) => e.type)).toEqual(['dispatch.route_confirmed', 'dispatch.route_cancelled']);
    const sheet = (await run.call('GET', `${url}/sheet`, operator)).json();
    expect(sheet.status).toBe('cancelled');
    expect(sheet.stops[0].unload.map((p: { status: string }) => p.status)).toEqual(['cancelled', 'cancelled']);
    expect(sheet.stops[0].collect.map((p: { status: string }) => p.status)).toEqual(['cancelled']);
  });
});

describe('handhelds retry', () => {
  it('the same event id twice is one effect and gets the same answer, also when both arrive at once', async () => {
    const route = await confirmRoute(run.runtime, { countyId, stops: [{ deliveries: 3 }] });
    const driver = await run.issue(countyId, 'driver', { vehicleIds: [route.vehicleId] });
    const url = base(route.routeId);
    const departure = { eventId: eventId(), occurredAt: atMinute(route, 1) };
    const first = await run.call('POST', `${url}/departure`, driver, departure);
    const retry = await run.call('POST', `${url}/departure`, driver, departure);
    expect(first.statusCode, first.body).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['field-event-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);

    // The same hand-over uploaded three times at once (the handheld's retries overlapping), with the instant
    // written with an offset the second time: the same event.
    const handover = { eventId: eventId(), occurredAt: atMinute(route, 40) };
    const inBeijing = new Date(Date.parse(handover.occurredAt) + 8 * 3600_000).toISOString().replace('Z', '+08:00');
    const answers = await Promise.all([
      run.call('POST', `${url}/stops/1/handover`, driver, handover),
      run.call('POST', `${url}/stops/1/handover`, driver, { ...handover, occurredAt: inBeijing }),
      run.call('POST', `${url}/stops/1/handover`, driver, handover),
    ]);
    for (const answer of answers) expect(answer.statusCode, answer.body).toBe(201);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => a.headers['field-event-replayed'] === 'true')).toHaveLength(2);

    // The same id with other content is refused, naming the field.
    const reused = await run.call('POST', `${url}/stops/1/arrival`, driver, handover);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error).toMatchObject({ code: 'FIELD_EVENT_ID_REUSED', details: [{ path: 'body.eventId' }] });

    const marker = await run.call('POST', `${url}/return`, driver, { eventId: eventId(), occurredAt: atMinute(route, 90) });
    expect(marker.statusCode).toBe(201);
    const events = await routeEvents(run, config, route.routeId, (all) => all.some((e) => e.type === 'dispatch.route_returned'));
    expect(events.map((e) => e.type)).toEqual(['dispatch.route_confirmed', 'dispatch.route_departed', 'dispatch.stop_handed_over', 'dispatch.route_returned']);
  });

  it('an event refused because it came too early applies when sent again after the one it waited for', async () => {
    const route = await confirmRoute(run.runtime, { countyId, stops: [{ deliveries: 2 }] });
    const driver = await run.issue(countyId, 'driver', { vehicleIds: [route.vehicleId] });
    const url = base(route.routeId);
    // The hand-over is uploaded before the departure (the handheld uploads its queue out of order).
    const handover = { eventId: eventId(), occurredAt: atMinute(route, 40) };
    const early = await run.call('POST', `${url}/stops/1/handover`, driver, handover);
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'ROUTE_NOT_DEPARTED', details: [{ path: 'params.routeId' }] });
    expect((await run.call('POST', `${url}/departure`, driver, { eventId: eventId(), occurredAt: atMinute(route, 1) })).statusCode).toBe(201);
    const later = await run.call('POST', `${url}/stops/1/handover`, driver, handover);
    expect(later.statusCode, later.body).toBe(201);
    expect(await outboxTypes(run, route.routeId)).toEqual(['dispatch.route_confirmed', 'dispatch.route_departed', 'dispatch.stop_handed_over']);
  });

  it('a retry reaching another instance, or dispatch after a restart, gets the same answer and no second event', async () => {
    const route = await confirmRoute(run.runtime, { countyId, stops: [{ deliveries: 2 }] });
    const driver = await run.issue(countyId, 'driver', { vehicleIds: [route.vehicleId] });
    const url = base(route.routeId);
    const departure = { eventId: eventId(), occurredAt: atMinute(route, 1) };
    const other = await runningDispatch(config);
    const first = await other.call('POST', `${url}/departure`, driver, departure);
    expect(first.statusCode, first.body).toBe(201);
    await other.runtime.lifecycle.shutdown();

    const retry = await run.call('POST', `${url}/departure`, driver, departure);
    expect(retry.statusCode).toBe(201);
    expect(retry.body).toBe(first.body);
    const marker = await run.call('POST', `${url}/stops/1/arrival`, driver, { eventId: eventId(), occurredAt: atMinute(route, 40) });
    expect(marker.statusCode).toBe(201);
    const events = await routeEvents(run, config, route.routeId, (all) => all.some((e) => e.type === 'dispatch.stop_arrived'));
    expect(events.map((e) => e.type)).toEqual(['dispatch.route_confirmed', 'dispatch.route_departed', 'dispatch.stop_arrived']);
  });

  it('a platform Idempotency-Key is honoured beside the event id', async () => {
    const route = await confirmRoute(run.runtime, { countyId, stops: [{ deliveries: 1 }] });
    const url = base(route.routeId);
    const body = { eventId: eventId(), occurredAt: atMinute(route, 1) };
    const headers = { 'idempotency-key': `dep-${route.routeId}` };
    const first = await run.call('POST', `${url}/departure`, operator, body, headers);
    const again = await run.call('POST', `${url}/departure`, operator, body, headers);
    expect(first.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await outboxTypes(run, route.routeId)).toEqual(['dispatch.route_confirmed', 'dispatch.route_departed']);
  });
});
