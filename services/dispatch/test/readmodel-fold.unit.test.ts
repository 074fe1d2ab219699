import { describe, expect, it } from 'vitest';
import { foldParcelEvents, parcelEventProblem } from '../src/readmodel/domain/parcel-fold.js';
import { splitPool, type WaitingParcel } from '../src/readmodel/domain/pool.js';
import { parcelEvents, testParcel } from './readmodel-events.js';

const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 8, minute));

describe('folding parcel events', () => {
  it('keeps the latest state, the size of the manifest and the first receive scan as the clock’s start', () => {
    const p = testParcel('cn-1', 'st-v1', { coldChainProfileId: 'peach' });
    const [change] = foldParcelEvents([parcelEvents.manifested(p, at(0)), parcelEvents.received(p, at(10)), parcelEvents.sorted(p, at(20), 'rt-1')]);
    expect(change).toEqual({
      parcelId: p.id,
      countyId: 'cn-1',
      courierId: 'zto',
      direction: 'downstream',
      state: 'sorted',
      exception: null,
      stationId: 'st-v1',
      waybill: p.waybill,
      content: { weightKg: 1.5, volumeM3: 0.009, coldChainProfileId: 'peach', recipient: { name: '张**', phone: '139****0001' } },
      clockStartedAt: at(10).toISOString(),
      progressedAt: at(10).toISOString(),
    });
  });

  it('writes one change per parcel of a batch, in the order the events came', () => {
    const a = testParcel('cn-1', 'st-v1');
    const b = testParcel('cn-1', 'st-v2', { direction: 'upstream' });
    const changes = foldParcelEvents([parcelEvents.manifested(a, at(0)), parcelEvents.booked(b, at(1)), parcelEvents.received(a, at(2)), parcelEvents.addressCorrected(a, at(3), 'st-v9')]);
    expect(changes.map((c) => [c.parcelId, c.state, c.stationId, c.clockStartedAt])).toEqual([
      [a.id, 'received', 'st-v9', at(2).toISOString()],
      [b.id, 'booked', 'st-v2', at(1).toISOString()],
    ]);
  });

  it('keeps the waybill of every event and the masked recipient of the one that carries it; an upstream booking has none', () => {
    const p = testParcel('cn-1', 'st-v1');
    const up = testParcel('cn-1', 'st-v2', { direction: 'upstream' });
    const [down, booked] = foldParcelEvents([parcelEvents.manifested(p, at(0)), parcelEvents.received(p, at(1)), parcelEvents.booked(up, at(2))]);
    expect(down).toMatchObject({ waybill: p.waybill, content: { recipient: { name: '张**', phone: '139****0001' } } });
    expect(booked).toMatchObject({ waybill: up.waybill, content: { recipient: null } });
    // A later event without content leaves the recipient to what is stored (the store keeps it).
    const [later] = foldParcelEvents([parcelEvents.sorted(p, at(3), 'rt-1')]);
    expect(later).toMatchObject({ waybill: p.waybill, content: null });
  });

  it('refuses an event whose subject is another parcel', () => {
    const event = parcelEvents.received(testParcel('cn-1', 'st-v1'), at(0));
    expect(parcelEventProblem(event)).toBeUndefined();
    expect(parcelEventProblem({ ...event, subject: 'someone-else' })).toMatch(/not the parcel/);
  });
});

describe('the pool of a wave', () => {
  const waiting = (overrides: Partial<WaitingParcel>): WaitingParcel => ({
    parcelId: 'p',
    courierId: 'zto',
    direction: 'downstream',
    stationId: 'st-v1',
    weightKg: 2,
    volumeM3: 0.01,
    coldChainProfileId: null,
    exception: null,
    since: at(0).toISOString(),
    atStationId: null,
    ...overrides,
  });

  it('plans what it can and holds the rest with the reason', () => {
    const { parcels, held } = splitPool(
      [
        waiting({ parcelId: 'ok', coldChainProfileId: 'peach' }),
        waiting({ parcelId: 'gone', stationId: 'st-closed' }),
        waiting({ parcelId: 'nowhere', stationId: null }),
        waiting({ parcelId: 'sizeless', weightKg: null, volumeM3: null }),
        waiting({ parcelId: 'broken', exception: 'damaged' }),
      ],
      new Set(['st-v1']),
    );
    expect(parcels).toEqual([
      { parcelId: 'ok', courierId: 'zto', direction: 'downstream', stationId: 'st-v1', weightKg: 2, volumeM3: 0.01, coldChainProfileId: 'peach', since: at(0).toISOString() },
    ]);
    expect(held.map((h) => [h.parcelId, h.reason])).toEqual([
      ['gone', 'station_unavailable'],
      ['nowhere', 'station_unavailable'],
      ['sizeless', 'size_unknown'],
      ['broken', 'exception'],
    ]);
  });

  it('says where a parcel waits at a town station, and holds one whose town station is out of service', () => {
    const { parcels, held } = splitPool(
      [
        waiting({ parcelId: 'back', atStationId: 'st-town' }),
        waiting({ parcelId: 'produce', direction: 'upstream', stationId: 'st-v1', atStationId: 'st-town' }),
        waiting({ parcelId: 'stranded', atStationId: 'st-town-closed' }),
      ],
      new Set(['st-v1', 'st-town']),
    );
    expect(parcels.map((p) => [p.parcelId, p.direction, p.stationId, p.atStationId])).toEqual([
      ['back', 'downstream', 'st-v1', 'st-town'],
      ['produce', 'upstream', 'st-v1', 'st-town'],
    ]);
    expect(held).toEqual([
      { parcelId: 'stranded', courierId: 'zto', direction: 'downstream', stationId: 'st-v1', reason: 'station_unavailable', detail: 'it waits at station st-town-closed, unknown or out of service' },
    ]);
  });
});
