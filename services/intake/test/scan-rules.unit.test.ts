import { type Principal, type Scan, type ScanKind, scanKinds } from '@county/contracts';
import { describe, expect, it } from 'vitest';
import { checkScan, CLOCK_SKEW_MS, mayScan } from '../src/parcels/domain/scan-rules.js';

const now = new Date('2026-07-20T06:00:00.000Z');
const context = { centerStationId: 'center', now };
const key = (role: Principal['role'], scope: Partial<Principal> = {}): Principal => ({ keyId: `k-${role}`, countyId: 'cn-511623', role, ...scope });
const scanOf = (kind: ScanKind, stationId = 'st-a', occurredAt = '2026-07-20T05:00:00+08:00'): Scan => ({
  kind,
  parcel: { parcelId: '7d7c43a1-5f1e-4a53-9f0e-0c1f6f4a8e11' },
  stationId,
  occurredAt,
});

/** Which scan kinds a key may post, judged on the key and the scan alone. */
const allowed = (principal: Principal, stationId = 'st-a') => scanKinds.filter((kind) => checkScan(principal, scanOf(kind, stationId), context) === null);

describe('who may post which scans', () => {
  it('center staff post every kind, anywhere', () => {
    expect(allowed(key('operator'))).toEqual([...scanKinds]);
    expect(allowed(key('admin'))).toEqual([...scanKinds]);
    expect(allowed(key('station', { stationId: 'center' }), 'center')).toEqual([...scanKinds]);
  });

  it('a village station and a courier post everything but the center’s receive, sort and arrival scans', () => {
    const field = scanKinds.filter((kind) => !['receive', 'sort', 'center_arrival'].includes(kind));
    expect(allowed(key('station', { stationId: 'st-a' }))).toEqual(field);
    expect(allowed(key('courier', { courierId: 'zto' }))).toEqual(field);
  });

  it('a driver posts collections, hand-overs, damage and loss', () => {
    expect(allowed(key('driver', { vehicleIds: ['v1'] }))).toEqual(['handover', 'collect', 'damaged', 'lost']);
  });

  it('a station key posts nothing at another station, naming both', () => {
    const refusal = checkScan(key('station', { stationId: 'st-a' }), scanOf('deliver', 'st-b'), context);
    expect(refusal).toMatchObject({ code: 'FORBIDDEN', path: 'stationId' });
    expect(refusal?.reason).toContain('st-b');
  });

  it('without a center station in the master data, only operators and admins are center staff', () => {
    expect(checkScan(key('station', { stationId: 'center' }), scanOf('receive', 'center'), { centerStationId: undefined, now })).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('which parcels a key may scan', () => {
  const parcel = { countyId: 'cn-511623', courierId: 'zto', destinationStationId: 'st-a', originStationId: null };
  const produce = { countyId: 'cn-511623', courierId: 'zto', destinationStationId: null, originStationId: 'st-b' };

  it('a village station the parcels to or from it only, as it reads them', () => {
    expect(mayScan(key('station', { stationId: 'st-a' }), parcel, 'center')).toBe(true);
    expect(mayScan(key('station', { stationId: 'st-b' }), parcel, 'center')).toBe(false);
    expect(mayScan(key('station', { stationId: 'st-b' }), produce, 'center')).toBe(true);
  });

  it('the center’s station key and drivers every parcel of their county; a courier its own', () => {
    expect(mayScan(key('station', { stationId: 'center' }), parcel, 'center')).toBe(true);
    expect(mayScan(key('driver', { vehicleIds: ['v1'] }), parcel, 'center')).toBe(true);
    expect(mayScan(key('driver', { vehicleIds: ['v1'] }), { ...parcel, countyId: 'cn-000001' }, 'center')).toBe(false);
    expect(mayScan(key('courier', { courierId: 'zto' }), parcel, 'center')).toBe(true);
    expect(mayScan(key('courier', { courierId: 'yunda' }), parcel, 'center')).toBe(false);
  });
});

describe('the time a scan happened', () => {
  it('may run ahead of the platform’s clock by the allowance, not more', () => {
    const ahead = (ms: number) => scanOf('receive', 'center', new Date(now.getTime() + ms).toISOString());
    expect(checkScan(key('operator'), ahead(CLOCK_SKEW_MS), context)).toBeNull();
    expect(checkScan(key('operator'), ahead(CLOCK_SKEW_MS + 1000), context)).toMatchObject({ code: 'VALIDATION_FAILED', path: 'occurredAt' });
  });

  it('is compared as an instant, whatever its offset', () => {
    expect(checkScan(key('operator'), scanOf('receive', 'center', '2026-07-20T14:04:00+08:00'), context)).toBeNull();
  });
});
