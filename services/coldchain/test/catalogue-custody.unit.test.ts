import { describe, expect, it } from 'vitest';
import { collectedAt, custodyOf, type CustodyFact } from '../src/catalogue/domain/custody.js';
import { dispatchFacts, parcelEventFacts, routeLoads, type RouteLoad } from '../src/catalogue/domain/events.js';
import { budgetOf } from '../src/compliance/domain/budget.js';

const t = (minute: number) => new Date(Date.UTC(2026, 6, 21, 6, 0) + minute * 60_000).toISOString();
const TRUNK = 'van-1/refrigerated';
const LOOP = 'van-2/refrigerated';
const coldRooms = new Set(['st-town/cold-room', 'st-center/cold-room']);

describe('a cold-chain parcel’s bindings from what the events said', () => {
  const trip: CustodyFact[] = [
    { kind: 'at_station', at: t(0), stationId: 'st-center' },
    { kind: 'loaded', at: t(30), containerId: TRUNK },
    { kind: 'at_station', at: t(90), stationId: 'st-town' },
    { kind: 'loaded', at: t(200), containerId: LOOP },
    { kind: 'at_station', at: t(260), stationId: 'st-village' },
    { kind: 'ended', at: t(400), how: 'delivered' },
  ];

  it('follows it through a cold room, a trunk vehicle, a town’s cold room and a village loop; a station without a cold room takes it out', () => {
    expect(custodyOf(trip, coldRooms)).toEqual({
      bindings: [
        { containerId: 'st-center/cold-room', from: t(0), to: t(30) },
        { containerId: TRUNK, from: t(30), to: t(90) },
        { containerId: 'st-town/cold-room', from: t(90), to: t(200) },
        { containerId: LOOP, from: t(200), to: t(260) },
      ],
      ended: { at: t(400), how: 'delivered' },
    });
  });

  it('does not depend on the order the facts arrived in, nor on duplicates', () => {
    const expected = custodyOf(trip, coldRooms);
    for (let shift = 1; shift < trip.length; shift++) {
      const rotated = [...trip.slice(shift), ...trip.slice(0, shift), trip[shift]!];
      expect(custodyOf(rotated.reverse(), coldRooms)).toEqual(expected);
    }
  });

  it('keeps a binding open while the parcel is still in it, and a cold room open until delivery', () => {
    expect(custodyOf(trip.slice(1, 3), coldRooms)).toEqual({
      bindings: [
        { containerId: TRUNK, from: t(30), to: t(90) },
        { containerId: 'st-town/cold-room', from: t(90), to: null },
      ],
      ended: null,
    });
  });

  it('ends at the first end, whatever is reported after it; a hand-over and a reload at the same instant leave it loaded', () => {
    const facts: CustodyFact[] = [
      { kind: 'loaded', at: t(0), containerId: TRUNK },
      { kind: 'loaded', at: t(60), containerId: LOOP },
      { kind: 'at_station', at: t(60), stationId: 'st-town' },
      { kind: 'ended', at: t(100), how: 'handed_over' },
      { kind: 'loaded', at: t(120), containerId: TRUNK },
      { kind: 'ended', at: t(130), how: 'lost' },
    ];
    expect(custodyOf(facts, coldRooms)).toEqual({
      bindings: [
        { containerId: TRUNK, from: t(0), to: t(60) },
        { containerId: LOOP, from: t(60), to: t(100) },
      ],
      ended: { at: t(100), how: 'handed_over' },
    });
  });

  it('takes the earliest collection for pre-cooling', () => {
    expect(collectedAt([{ at: t(50), collected: true }, { at: t(10), collected: false }, { at: t(20), collected: true }])).toBe(t(20));
    expect(collectedAt([{ at: t(10), collected: false }])).toBeNull();
  });
});

describe('dispatch’s and intake’s events as custody facts', () => {
  const route = {
    routeId: 'rt-1',
    vehicleId: 'van-1',
    depotStationId: 'st-center',
    parcels: [
      { parcelId: 'p-cold-down', courierId: 'zto', direction: 'downstream' as const, compartment: 'refrigerated' as const, stopSequence: 1, coldChainProfileId: 'chilled' },
      { parcelId: 'p-ambient', courierId: 'zto', direction: 'downstream' as const, compartment: 'ambient' as const, stopSequence: 1 },
      { parcelId: 'p-peach', courierId: 'sf', direction: 'upstream' as const, compartment: 'refrigerated' as const, stopSequence: 1, coldChainProfileId: 'yellow-peach' },
    ],
  };
  const { loads, parcels } = routeLoads(route);
  const byId = new Map<string, RouteLoad>(loads.map((l) => [l.parcelId, l]));

  it('remembers a confirmed route’s refrigerated parcels only', () => {
    expect(loads.map((l) => l.parcelId)).toEqual(['p-cold-down', 'p-peach']);
    expect(parcels).toEqual([
      { parcelId: 'p-cold-down', courierId: 'zto', direction: 'downstream', profileId: 'chilled' },
      { parcelId: 'p-peach', courierId: 'sf', direction: 'upstream', profileId: 'yellow-peach' },
    ]);
  });

  it('loads downstream parcels at departure and produce at its collection, puts them at the station at hand-over and at the depot at return', () => {
    const departed = dispatchFacts({ type: 'dispatch.route_departed', data: { departedAt: '2026-07-21T06:00:00Z', parcelIds: ['p-cold-down', 'p-ambient'] } }, byId);
    expect(departed).toEqual({ facts: [{ parcelId: 'p-cold-down', fact: { kind: 'loaded', at: '2026-07-21T06:00:00.000Z', containerId: 'van-1/refrigerated' }, collected: false }], triggers: [] });
    const collected = dispatchFacts({ type: 'dispatch.pickups_collected', data: { collectedAt: '2026-07-21T07:00:00Z', parcelIds: ['p-peach'] } }, byId);
    expect(collected.facts).toEqual([{ parcelId: 'p-peach', fact: { kind: 'loaded', at: '2026-07-21T07:00:00.000Z', containerId: 'van-1/refrigerated' }, collected: true }]);
    const handed = dispatchFacts({ type: 'dispatch.stop_handed_over', data: { handedOverAt: '2026-07-21T07:00:00Z', stationId: 'st-v1', parcelIds: ['p-cold-down', 'p-ambient'] } }, byId);
    expect(handed).toEqual({
      facts: [{ parcelId: 'p-cold-down', fact: { kind: 'at_station', at: '2026-07-21T07:00:00.000Z', stationId: 'st-v1' }, collected: false }],
      triggers: [{ parcelId: 'p-cold-down', at: '2026-07-21T07:00:00.000Z', cause: 'stop_handed_over' }],
    });
    const returned = dispatchFacts(
      { type: 'dispatch.route_returned', data: { returnedAt: '2026-07-21T09:00:00Z', depotStationId: 'st-center', collectedParcelIds: ['p-peach'], undeliveredParcelIds: [] } },
      byId,
    );
    expect(returned.facts).toEqual([{ parcelId: 'p-peach', fact: { kind: 'at_station', at: '2026-07-21T09:00:00.000Z', stationId: 'st-center' }, collected: false }]);
  });

  it('reads a parcel event: a profile makes a cold-chain parcel, a scan at a station a stay, a delivery an end and a record', () => {
    const data = (overrides: Record<string, unknown>) =>
      ({
        parcelId: 'p-1',
        courierId: 'zto',
        waybill: 'ZT1',
        direction: 'downstream',
        state: 'manifested',
        progress: 'manifested',
        exception: null,
        destinationStationId: 'st-v1',
        originStationId: null,
        moved: true,
        confirming: false,
        fact: { id: 'f1', kind: 'manifest', occurredAt: '2026-07-21T06:00:00+08:00', receivedAt: '2026-07-21T06:00:00Z', actor: { keyId: 'k', role: 'courier' } },
        supersedes: [],
        ...overrides,
      }) as never;
    expect(parcelEventFacts('parcel.manifested', data({ parcel: { weightKg: 1, volumeM3: 0.01, serviceType: 'cold_chain', coldChainProfileId: 'frozen' } }))).toEqual({
      parcel: { parcelId: 'p-1', courierId: 'zto', direction: 'downstream', profileId: 'frozen' },
    });
    expect(parcelEventFacts('parcel.manifested', data({ parcel: { weightKg: 1, volumeM3: 0.01, serviceType: 'standard' } }))).toEqual({});
    expect(parcelEventFacts('parcel.arrived_at_station', data({ fact: { id: 'f2', kind: 'handover', occurredAt: '2026-07-21T08:00:00Z', receivedAt: '2026-07-21T08:00:00Z', actor: { keyId: 'k', role: 'station' }, stationId: 'st-v1' } })).fact).toEqual(
      { parcelId: 'p-1', fact: { kind: 'at_station', at: '2026-07-21T08:00:00.000Z', stationId: 'st-v1' }, collected: false },
    );
    const delivered = parcelEventFacts('parcel.delivered', data({ fact: { id: 'f3', kind: 'deliver', occurredAt: '2026-07-21T09:30:00Z', receivedAt: '2026-07-21T09:30:00Z', actor: { keyId: 'k', role: 'station' }, stationId: 'st-v1' } }));
    expect(delivered).toEqual({
      fact: { parcelId: 'p-1', fact: { kind: 'ended', at: '2026-07-21T09:30:00.000Z', how: 'delivered' }, collected: false },
      trigger: { parcelId: 'p-1', at: '2026-07-21T09:30:00.000Z', cause: 'delivered' },
    });
    expect(parcelEventFacts('parcel.returned', data({})).trigger).toBeUndefined();
    expect(parcelEventFacts('parcel.sorted', data({}))).toEqual({});
  });
});

describe('the stability budget', () => {
  it('is the tolerance less the minutes its containers were on an excursion while it was in them, open ones up to now', () => {
    const spans = [
      { containerId: TRUNK, from: t(0), to: t(60) },
      { containerId: 'st-town/cold-room', from: t(60), to: null },
    ];
    const excursions = [
      { excursionId: 'a', containerId: TRUNK, startedAt: t(50), endedAt: t(70) },
      { excursionId: 'b', containerId: 'st-town/cold-room', startedAt: t(100), endedAt: null },
      { excursionId: 'c', containerId: LOOP, startedAt: t(0), endedAt: null },
    ];
    expect(budgetOf({ toleratedMinutes: 30, spans, excursions, now: t(115) })).toEqual({ minutesOutOfRange: 25, budgetLeftMinutes: 5 });
    expect(budgetOf({ toleratedMinutes: 30, spans, excursions, now: t(150) })).toEqual({ minutesOutOfRange: 60, budgetLeftMinutes: -30 });
    expect(budgetOf({ toleratedMinutes: 30, spans, excursions: [], now: t(150) })).toEqual({ minutesOutOfRange: 0, budgetLeftMinutes: 30 });
  });
});
