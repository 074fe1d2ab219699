import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FieldCommand } from '../src/field/domain/commands.js';
import { decide, type FieldDecision, type FieldRefusal } from '../src/field/domain/decide.js';
import type { FieldParcel, FieldRoute, RouteConfirmed } from '../src/field/domain/route.js';
import { routeSheet } from '../src/field/domain/sheet.js';

const t0 = Date.parse('2026-03-02T00:00:00Z');
const at = (m: number) => new Date(t0 + m * 60_000).toISOString();
const now = new Date(t0 + 600 * 60_000);

/** A route of two stops: stop 1 delivers d1, d2 (d1 chilled) and collects u1; stop 2 delivers d3. */
function route(overrides: Partial<FieldRoute> = {}, statuses: Record<string, FieldParcel['status']> = {}): FieldRoute & { ids: { d1: string; d2: string; u1: string; d3: string } } {
  const ids = { d1: randomUUID(), d2: randomUUID(), u1: randomUUID(), d3: randomUUID() };
  const parcel = (key: keyof typeof ids, direction: FieldParcel['direction'], stopSequence: number, compartment: FieldParcel['compartment'] = 'ambient') => ({
    parcelId: ids[key],
    courierId: 'zto',
    direction,
    compartment,
    stopSequence,
    waybill: `WB-${key}`,
  });
  const parcels = [parcel('d1', 'downstream', 1, 'refrigerated'), parcel('d2', 'downstream', 1), parcel('u1', 'upstream', 1), parcel('d3', 'downstream', 2)];
  const stop = (sequence: number, deliveries: string[], pickups: string[]) => ({
    sequence,
    stationId: `st-${sequence}`,
    plannedArrival: at(40 * sequence),
    plannedDeparture: at(40 * sequence + 10),
    deliveries,
    pickups,
    loadKgAfter: 10,
    loadM3After: 0.1,
  });
  const data: RouteConfirmed = {
    routeId: 'rt-1',
    planId: 'plan-1',
    date: '2026-03-02',
    waveId: 'am',
    vehicleId: 'veh-1',
    tier: 'direct',
    depotStationId: 'st-center',
    plannedDeparture: at(0),
    plannedReturn: at(120),
    distanceKm: 30,
    durationMinutes: 120,
    cost: { total: 1, fixed: 1, distance: 0, time: 0 },
    stops: [stop(1, [ids.d1, ids.d2], [ids.u1]), stop(2, [ids.d3], [])],
    parcels,
  };
  return {
    ids,
    routeId: 'rt-1',
    countyId: 'cn-1',
    vehicleId: 'veh-1',
    status: 'departed',
    departedAt: at(0),
    returnedAt: null,
    cancelledAt: null,
    data,
    parcels: parcels.map((p) => ({ parcelId: p.parcelId, direction: p.direction, stopSequence: p.stopSequence, compartment: p.compartment, status: statuses[p.parcelId] ?? 'loaded' })),
    log: [],
    ...overrides,
  };
}

const accepted = (result: FieldDecision | FieldRefusal): FieldDecision => {
  if (!result.ok) throw new Error(`refused: ${result.code} ${JSON.stringify(result.issues)}`);
  return result;
};
const refused = (result: FieldDecision | FieldRefusal) => (result.ok ? 'accepted' : { code: result.code, paths: result.issues.map((i) => i.path) });

describe('field events on a route (domain)', () => {
  it('a departure lists the downstream parcels on board and moves only the route', () => {
    const r = route({ status: 'confirmed', departedAt: null });
    const d = accepted(decide(r, { kind: 'departure', occurredAt: at(1) }, now));
    expect(d.route).toEqual({ status: 'departed', at: at(1) });
    expect(d.event).toMatchObject({ type: 'dispatch.route_departed', data: { departedAt: at(1), parcelIds: [r.ids.d1, r.ids.d2, r.ids.d3] } });
  });

  it('a hand-over without parcels takes what is left at the stop; a named one only those, once', () => {
    const r = route({}, {});
    const all = accepted(decide(r, { kind: 'handover', sequence: 1, occurredAt: at(40) }, now));
    expect(all.parcels).toEqual([
      { parcelId: r.ids.d1, status: 'handed_over' },
      { parcelId: r.ids.d2, status: 'handed_over' },
    ]);
    const half = route({}, {});
    const one = accepted(decide(half, { kind: 'handover', sequence: 1, occurredAt: at(40), parcelIds: [half.ids.d2.toUpperCase()] }, now));
    expect(one.event.data).toMatchObject({ parcelIds: [half.ids.d2], stationId: 'st-1', sequence: 1 });
    const twice = route({}, {});
    expect(refused(decide(twice, { kind: 'handover', sequence: 1, occurredAt: at(40), parcelIds: [twice.ids.d1, twice.ids.d1] }, now))).toEqual({
      code: 'VALIDATION_FAILED',
      paths: ['parcelIds.1'],
    });
  });

  it('refuses what cannot have happened in that order', () => {
    const confirmed = route({ status: 'confirmed', departedAt: null });
    const cases: [FieldRoute, FieldCommand, unknown][] = [
      [confirmed, { kind: 'arrival', sequence: 1, occurredAt: at(40) }, { code: 'ROUTE_NOT_DEPARTED', paths: ['routeId'] }],
      [confirmed, { kind: 'return', occurredAt: at(90) }, { code: 'ROUTE_NOT_DEPARTED', paths: ['routeId'] }],
      [route(), { kind: 'cancel', occurredAt: at(5), reason: 'x' }, { code: 'ROUTE_ALREADY_DEPARTED', paths: ['routeId'] }],
      [route(), { kind: 'departure', occurredAt: at(5) }, { code: 'ROUTE_ALREADY_DEPARTED', paths: ['routeId'] }],
      [route({ status: 'cancelled', departedAt: null, cancelledAt: at(0) }), { kind: 'departure', occurredAt: at(5) }, { code: 'ROUTE_CANCELLED', paths: ['routeId'] }],
      [route({ status: 'returned', returnedAt: at(100) }), { kind: 'arrival', sequence: 2, occurredAt: at(80) }, { code: 'ROUTE_RETURNED', paths: ['routeId'] }],
      [route({ departedAt: at(10) }), { kind: 'arrival', sequence: 1, occurredAt: at(9) }, { code: 'EVENT_BEFORE_DEPARTURE', paths: ['occurredAt'] }],
      [route(), { kind: 'arrival', sequence: 3, occurredAt: at(40) }, { code: 'STOP_NOT_FOUND', paths: ['sequence'] }],
      [route(), { kind: 'arrival', sequence: 1, occurredAt: at(40 + 24 * 60) }, { code: 'VALIDATION_FAILED', paths: ['occurredAt'] }],
      [route(), { kind: 'exception', sequence: 1, occurredAt: at(40), exception: 'refused' }, { code: 'VALIDATION_FAILED', paths: ['parcelIds'] }],
    ];
    for (const [r, command, expected] of cases) expect(refused(decide(r, command, now)), JSON.stringify(command)).toEqual(expected);
  });

  it('refuses parcels of another route, another stop, the other direction, or settled already', () => {
    const r = route({}, {});
    const settled = route({}, {});
    settled.parcels[0]!.status = 'handed_over';
    expect(refused(decide(r, { kind: 'handover', sequence: 1, occurredAt: at(40), parcelIds: [r.ids.d1, randomUUID()] }, now))).toEqual({ code: 'PARCEL_NOT_ON_ROUTE', paths: ['parcelIds.1'] });
    expect(refused(decide(r, { kind: 'handover', sequence: 1, occurredAt: at(40), parcelIds: [r.ids.d3] }, now))).toEqual({ code: 'PARCEL_NOT_FOR_STOP', paths: ['parcelIds.0'] });
    expect(refused(decide(r, { kind: 'pickups', sequence: 1, occurredAt: at(40), parcelIds: [r.ids.d1] }, now))).toEqual({ code: 'PARCEL_NOT_FOR_STOP', paths: ['parcelIds.0'] });
    expect(refused(decide(settled, { kind: 'handover', sequence: 1, occurredAt: at(40), parcelIds: [settled.ids.d1] }, now))).toEqual({ code: 'PARCEL_ALREADY_SETTLED', paths: ['parcelIds.0'] });
    const empty = route({}, {});
    for (const p of empty.parcels) if (p.stopSequence === 2) p.status = 'handed_over';
    expect(refused(decide(empty, { kind: 'handover', sequence: 2, occurredAt: at(80) }, now))).toEqual({ code: 'NOTHING_LEFT_AT_STOP', paths: ['parcelIds'] });
  });

  it('a return brings collected produce to the center and lists the downstream parcels still on board', () => {
    const r = route();
    const byId = (id: string) => r.parcels.find((p) => p.parcelId === id)!;
    byId(r.ids.d1).status = 'handed_over';
    byId(r.ids.d2).status = 'exception';
    byId(r.ids.u1).status = 'collected';
    const d = accepted(decide(r, { kind: 'return', occurredAt: at(120) }, now));
    expect(d.event.data).toMatchObject({ collectedParcelIds: [r.ids.u1], undeliveredParcelIds: [r.ids.d2, r.ids.d3] });
    expect(d.parcels).toEqual([
      { parcelId: r.ids.u1, status: 'returned' },
      { parcelId: r.ids.d2, status: 'undelivered' },
      { parcelId: r.ids.d3, status: 'undelivered' },
    ]);
  });

  it('a closed station keeps everything still to do there on board', () => {
    const r = route();
    const d = accepted(decide(r, { kind: 'exception', sequence: 1, occurredAt: at(40), exception: 'station_closed' }, now));
    expect(d.parcels).toEqual([]);
    expect(d.event.data).toMatchObject({ kind: 'station_closed', parcelIds: [r.ids.d1, r.ids.d2, r.ids.u1] });
  });
});

describe('the route sheet (domain)', () => {
  it('loads the last stop first, by compartment, and shows the field log per stop', () => {
    const r = route();
    r.log = [{ clientEventId: 'e1', kind: 'arrival', sequence: 1, exceptionKind: null, occurredAt: at(41), parcelIds: [] }];
    const sheet = routeSheet(r);
    expect(sheet.loadingOrder.map((s) => [s.step, s.stopSequence, s.compartment, s.parcels.map((p) => p.waybill)])).toEqual([
      [1, 2, 'ambient', ['WB-d3']],
      [2, 1, 'refrigerated', ['WB-d1']],
      [3, 1, 'ambient', ['WB-d2']],
    ]);
    expect(sheet.stops.map((s) => s.arrivedAt)).toEqual([at(41), null]);
    expect(sheet.stops[0]!.collect).toMatchObject([{ parcelId: r.ids.u1, waybill: 'WB-u1', recipient: null, status: 'planned' }]);
    expect(sheet.stops[0]!.unload.map((p) => p.status)).toEqual(['loaded', 'loaded']);
  });
});
