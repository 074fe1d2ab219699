import { randomUUID } from 'node:crypto';
import type { ParcelFact } from '@county/contracts';
import { describe, expect, it } from 'vitest';
import { atTransfer, dispatchFacts, dispatchFactId, withoutTownLeg, withTownLeg, type DispatchEventData } from '../src/parcels/domain/dispatch-facts.js';
import { decideOnParcel } from '../src/parcels/domain/fact-outcome.js';
import type { ParcelRecord } from '../src/parcels/domain/parcel.js';

const meta = { id: randomUUID(), source: 'dispatch', occurredAt: '2026-05-04T23:00:00.000Z', receivedAt: '2026-05-04T23:00:01.000Z' };
const route = { routeId: 'r-1', planId: 'p-1', date: '2026-05-05', waveId: 'w07', vehicleId: 'veh-1', tier: 'direct' as const, depotStationId: 'center' };
const [down1, down2, up1] = [randomUUID(), randomUUID(), randomUUID()];

function confirmed(tier: 'direct' | 'trunk' | 'village'): DispatchEventData['dispatch.route_confirmed'] {
  const stop = (sequence: number, stationId: string, deliveries: string[], pickups: string[]) => ({
    sequence,
    stationId,
    plannedArrival: '2026-05-05T00:30:00.000Z',
    plannedDeparture: '2026-05-05T00:40:00.000Z',
    deliveries,
    pickups,
    loadKgAfter: 1,
    loadM3After: 0.01,
  });
  return {
    ...route,
    tier,
    plannedDeparture: '2026-05-05T00:00:00.000Z',
    plannedReturn: '2026-05-05T04:00:00.000Z',
    distanceKm: 40,
    durationMinutes: 240,
    cost: { total: 100, fixed: 60, distance: 20, time: 20 },
    stops: [stop(1, 'st-town', [down1], []), stop(2, 'st-village-b', [down2], [up1])],
    parcels: [
      { parcelId: down1, courierId: 'zto', direction: 'downstream', compartment: 'ambient', stopSequence: 1 },
      { parcelId: up1, courierId: 'zto', direction: 'upstream', compartment: 'ambient', stopSequence: 2 },
      { parcelId: down2, courierId: 'zto', direction: 'downstream', compartment: 'ambient', stopSequence: 2 },
    ],
  };
}

function parcel(overrides: Partial<ParcelRecord> = {}): ParcelRecord {
  const occurredAt = '2026-05-04T10:00:00.000Z';
  return {
    id: randomUUID(),
    countyId: 'cn-511623',
    courierId: 'zto',
    waybill: 'ZT1',
    direction: 'downstream',
    state: 'received',
    progress: 'received',
    exception: null,
    destinationStationId: 'st-village-a',
    originStationId: null,
    townStationId: null,
    contract: {},
    contentHash: 'h',
    receivedAt: occurredAt,
    createdAt: occurredAt,
    updatedAt: occurredAt,
    facts: [
      { id: 'm', kind: 'manifested', occurredAt, receivedAt: occurredAt, actor: { keyId: 'zto', role: 'courier' } },
      { id: 'r', kind: 'receive', stationId: 'center', occurredAt, receivedAt: occurredAt, actor: { keyId: 'k1', role: 'station' } },
    ],
    ...overrides,
  };
}

/** The parcel with `fact` applied, failing the test when it is refused. */
function apply(p: ParcelRecord, fact: ParcelFact) {
  const outcome = decideOnParcel(p, fact);
  if (!outcome.accepted) throw new Error(outcome.reason);
  return outcome;
}

describe('the facts of dispatch events', () => {
  it('makes a confirmed route sort its downstream parcels and only plan its upstream pickups', () => {
    const { items, skipped } = dispatchFacts('dispatch.route_confirmed', confirmed('direct'), meta);
    expect(items.map((i) => [i.index, i.parcelId, i.fact.kind, i.fact.id])).toEqual([
      [0, down1, 'route_confirmed', dispatchFactId(meta.id, down1)],
      [2, down2, 'route_confirmed', dispatchFactId(meta.id, down2)],
    ]);
    expect(items[0]!.fact).toMatchObject({ routeId: 'r-1', occurredAt: meta.occurredAt, actor: { keyId: 'dispatch', role: 'service' } });
    expect(items.every((i) => i.trunkStopStationId === undefined)).toBe(true);
    expect(skipped.map((s) => [s.index, s.parcelId])).toEqual([[1, up1]]);
  });

  it('names, on a trunk route, the stop where each parcel leaves it', () => {
    const { items } = dispatchFacts('dispatch.route_confirmed', confirmed('trunk'), meta);
    expect(items.map((i) => [i.parcelId, i.trunkStopStationId])).toEqual([
      [down1, 'st-town'],
      [down2, 'st-village-b'],
    ]);
  });

  it('reports each stop event at the stop’s station and time, and each route event at its own', () => {
    const handed = dispatchFacts('dispatch.stop_handed_over', { ...route, stationId: 'st-village-a', sequence: 1, handedOverAt: '2026-05-05T01:00:00.000Z', parcelIds: [down1.toUpperCase()] }, meta);
    expect(handed.items[0]).toMatchObject({ index: 0, parcelId: down1, fact: { kind: 'stop_handed_over', stationId: 'st-village-a', routeId: 'r-1', occurredAt: '2026-05-05T01:00:00.000Z' } });
    const collected = dispatchFacts('dispatch.pickups_collected', { ...route, stationId: 'st-village-b', sequence: 2, collectedAt: '2026-05-05T01:30:00.000Z', parcelIds: [up1] }, meta);
    expect(collected.items[0]!.fact).toMatchObject({ kind: 'collect', stationId: 'st-village-b', occurredAt: '2026-05-05T01:30:00.000Z' });
    const departed = dispatchFacts('dispatch.route_departed', { ...route, departedAt: '2026-05-05T00:05:00.000Z', parcelIds: [down1, down2] }, meta);
    expect(departed.items.map((i) => [i.index, i.fact.kind, i.fact.occurredAt])).toEqual([
      [0, 'route_departed', '2026-05-05T00:05:00.000Z'],
      [1, 'route_departed', '2026-05-05T00:05:00.000Z'],
    ]);
    const cancelled = dispatchFacts('dispatch.route_cancelled', { ...route, tier: 'trunk', parcelIds: [down1], reason: '车辆故障' }, meta);
    expect(cancelled.items[0]).toMatchObject({ leavesTrunk: true, fact: { kind: 'route_cancelled', reason: '车辆故障', occurredAt: meta.occurredAt } });
  });

  it('records damage and refusal at the stop, and moves nothing for a closed station', () => {
    const exception = { ...route, stationId: 'st-village-a', sequence: 1, reportedAt: '2026-05-05T01:00:00.000Z', parcelIds: [down1] };
    expect(dispatchFacts('dispatch.stop_exception', { ...exception, kind: 'damaged', reason: '外箱破损' }, meta).items[0]!.fact).toMatchObject({
      kind: 'damaged',
      stationId: 'st-village-a',
      reason: '外箱破损',
    });
    expect(dispatchFacts('dispatch.stop_exception', { ...exception, kind: 'refused' }, meta).items[0]!.fact.kind).toBe('refused');
    const closed = dispatchFacts('dispatch.stop_exception', { ...exception, kind: 'station_closed' }, meta);
    expect(closed.items).toEqual([]);
    expect(closed.skipped).toMatchObject([{ index: 0, parcelId: down1 }]);
  });

  it('brings collected produce to the center when a route returns to it, not when a village loop returns to its town', () => {
    const returned = { ...route, returnedAt: '2026-05-05T04:00:00.000Z', collectedParcelIds: [up1], undeliveredParcelIds: [down2] };
    const direct = dispatchFacts('dispatch.route_returned', returned, meta);
    expect(direct.items.map((i) => [i.parcelId, i.fact])).toEqual([
      [up1, expect.objectContaining({ kind: 'center_arrival', stationId: 'center', occurredAt: '2026-05-05T04:00:00.000Z' })],
    ]);
    const village = dispatchFacts('dispatch.route_returned', { ...returned, tier: 'village', depotStationId: 'st-town' }, meta);
    expect(village.items).toEqual([]);
    expect(village.skipped.map((s) => s.parcelId)).toEqual([up1]);
  });
});

describe('a trunk route in two-tier mode', () => {
  const fact = (kind: string, extra: Record<string, unknown> = {}): ParcelFact =>
    ({ id: `${kind}-${randomUUID()}`, kind, occurredAt: '2026-05-05T01:00:00.000Z', receivedAt: '2026-05-05T01:00:00.000Z', actor: { keyId: 'dispatch', role: 'service' }, ...extra }) as ParcelFact;
  const isTown = (id: string) => id === 'st-town';

  it('gives a parcel for a village its town station, so the trunk hand-over reaches at_town and the village one at_station', () => {
    const item = { index: 0, parcelId: 'x', fact: fact('route_confirmed', { routeId: 'trunk-1' }), trunkStopStationId: 'st-town' };
    const sorted = apply(withTownLeg(parcel(), item, isTown), item.fact);
    expect(sorted.parcel).toMatchObject({ state: 'sorted', townStationId: 'st-town' });
    const atTown = apply(sorted.parcel, fact('stop_handed_over', { routeId: 'trunk-1', stationId: 'st-town', occurredAt: '2026-05-05T02:00:00.000Z' }));
    expect(atTown).toMatchObject({ kind: 'move', parcel: { state: 'at_town' } });
    const atStation = apply(atTown.parcel, fact('stop_handed_over', { routeId: 'loop-1', stationId: 'st-village-a', occurredAt: '2026-05-05T05:00:00.000Z' }));
    expect(atStation).toMatchObject({ kind: 'move', parcel: { state: 'at_station' } });
  });

  it('gives no town leg for a stop that is the destination, is not a town station, or once the parcel has left', () => {
    const item = (stop: string) => ({ index: 0, parcelId: 'x', fact: fact('route_confirmed', { routeId: 'trunk-1' }), trunkStopStationId: stop });
    expect(withTownLeg(parcel({ destinationStationId: 'st-town' }), item('st-town'), isTown).townStationId).toBeNull();
    expect(withTownLeg(parcel(), item('st-village-b'), isTown).townStationId).toBeNull();
    expect(withTownLeg(parcel({ state: 'departed', progress: 'departed' }), item('st-town'), isTown).townStationId).toBeNull();
  });

  it('takes the town leg away when the trunk route is cancelled and the parcel is back in the pool', () => {
    const confirm = { index: 0, parcelId: 'x', fact: fact('route_confirmed', { routeId: 'trunk-1' }), trunkStopStationId: 'st-town' };
    const sorted = apply(withTownLeg(parcel(), confirm, isTown), confirm.fact).parcel;
    const cancel = { index: 0, parcelId: 'x', fact: fact('route_cancelled', { routeId: 'trunk-1', occurredAt: '2026-05-05T01:10:00.000Z' }), leavesTrunk: true };
    const back = apply(sorted, cancel.fact);
    expect(withoutTownLeg(back.parcel, cancel)).toMatchObject({ state: 'received', townStationId: null });
  });
});

describe('two-tier produce collected again by a trunk at its town station', () => {
  const isTown = (id: string) => id === 'st-town';
  const collectAt = (stationId: string, tier: 'trunk' | 'village' | 'direct') =>
    dispatchFacts('dispatch.pickups_collected', { ...route, tier, stationId, sequence: 1, collectedAt: '2026-05-05T06:00:00.000Z', parcelIds: [up1] }, { ...meta, id: randomUUID() }).items[0]!;
  const booked = (): ParcelRecord => {
    const occurredAt = '2026-05-04T10:00:00.000Z';
    return parcel({
      direction: 'upstream',
      state: 'booked',
      progress: 'booked',
      destinationStationId: null,
      originStationId: 'st-village-b',
      receivedAt: null,
      facts: [{ id: 'b', kind: 'booked', occurredAt, receivedAt: occurredAt, actor: { keyId: 'zto', role: 'courier' } }],
    });
  };

  it('names the station a trunk collects at, not a loop’s or a direct route’s', () => {
    expect(collectAt('st-town', 'trunk').transferStationId).toBe('st-town');
    expect(collectAt('st-village-b', 'village').transferStationId).toBeUndefined();
    expect(collectAt('st-village-b', 'direct').transferStationId).toBeUndefined();
  });

  it('keeps the trunk’s collect of produce a loop collected in the timeline without moving it; refuses it for produce never collected', () => {
    const collected = apply(booked(), collectAt('st-village-b', 'village').fact).parcel;
    expect(collected).toMatchObject({ state: 'collected' });
    const item = collectAt('st-town', 'trunk');
    const again = apply(atTransfer(collected, item, isTown), item.fact);
    expect(again).toMatchObject({ accepted: true, kind: 'confirming', parcel: { state: 'collected' } });
    expect(again.parcel.facts.map((f) => [f.kind, 'stationId' in f ? f.stationId : null])).toEqual([
      ['booked', null],
      ['collect', 'st-village-b'],
      ['collect', 'st-town'],
    ]);
    // Not for produce still booked, nor at a station that is not a town station.
    expect(atTransfer(booked(), item, isTown).originStationId).toBe('st-village-b');
    expect(decideOnParcel(atTransfer(booked(), item, isTown), item.fact)).toMatchObject({ accepted: false, code: 'WRONG_STATION' });
    const elsewhere = collectAt('st-village-a', 'trunk');
    expect(atTransfer(collected, elsewhere, isTown).originStationId).toBe('st-village-b');
  });
});
