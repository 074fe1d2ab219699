// The driver's page (web/src/pages/route): which stop is the current one on a route sheet.
import { describe, expect, it } from 'vitest';
import { currentStop, toCollect, toHandOver, type RouteSheet, type SheetParcel, type SheetStop } from '../web/src/pages/route/types.js';

const parcel = (status: SheetParcel['status']): SheetParcel => ({
  parcelId: `p-${Math.random()}`,
  courierId: 'zto',
  waybill: null,
  recipient: null,
  compartment: 'ambient',
  coldChainProfileId: null,
  status,
});

const stop = (sequence: number, over: Partial<SheetStop> = {}): SheetStop => ({
  sequence,
  stationId: `st-${sequence}`,
  plannedArrival: '2026-11-29T01:00:00.000Z',
  plannedDeparture: '2026-11-29T01:10:00.000Z',
  loadKgAfter: 0,
  loadM3After: 0,
  arrivedAt: null,
  unload: [],
  collect: [],
  exceptions: [],
  ...over,
});

const sheet = (status: RouteSheet['status'], stops: SheetStop[]): RouteSheet => ({
  routeId: 'rt-1',
  date: '2026-11-29',
  waveId: 'am',
  vehicleId: 'van-1',
  tier: 'direct',
  depotStationId: 'center',
  status,
  plannedDeparture: '2026-11-29T00:00:00.000Z',
  plannedReturn: '2026-11-29T04:00:00.000Z',
  departedAt: status === 'confirmed' ? null : '2026-11-29T00:00:00.000Z',
  returnedAt: null,
  cancelledAt: null,
  distanceKm: 10,
  durationMinutes: 60,
  compartments: [],
  loadingOrder: [],
  stops,
});

const at = '2026-11-29T01:00:00.000Z';

describe('the current stop of a route sheet', () => {
  it('is none before the departure and after the return', () => {
    const stops = [stop(1, { unload: [parcel('loaded')] })];
    expect(currentStop(sheet('confirmed', stops))).toBeUndefined();
    expect(currentStop(sheet('returned', stops))).toBeUndefined();
    expect(currentStop(sheet('cancelled', stops))).toBeUndefined();
  });

  it('is the first stop not reached, or with parcels still to hand over or produce to collect', () => {
    const done = stop(1, { arrivedAt: at, unload: [parcel('handed_over')], collect: [parcel('collected')] });
    expect(currentStop(sheet('departed', [done, stop(2), stop(3)]))?.sequence).toBe(2);
    const collecting = stop(1, { arrivedAt: at, unload: [parcel('handed_over')], collect: [parcel('planned')] });
    expect(currentStop(sheet('departed', [collecting, stop(2)]))?.sequence).toBe(1);
    const handing = stop(1, { arrivedAt: at, unload: [parcel('loaded'), parcel('handed_over')] });
    expect(toHandOver(handing)).toHaveLength(1);
    expect(toCollect(collecting)).toHaveLength(1);
    expect(currentStop(sheet('departed', [handing, stop(2)]))?.sequence).toBe(1);
  });

  it('passes a stop reported closed (its parcels stay on board) and one whose parcels are reported damaged', () => {
    const closed = stop(1, { arrivedAt: at, unload: [parcel('loaded')], exceptions: [{ kind: 'station_closed', occurredAt: at, parcelIds: [] }] });
    const damaged = stop(2, { arrivedAt: at, unload: [parcel('exception'), parcel('handed_over')] });
    expect(currentStop(sheet('departed', [closed, damaged, stop(3)]))?.sequence).toBe(3);
  });

  it('is none once every stop is done: the driver drives back', () => {
    const done = stop(1, { arrivedAt: at, unload: [parcel('handed_over')] });
    expect(currentStop(sheet('departed', [done]))).toBeUndefined();
  });
});
