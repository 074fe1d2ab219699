import { describe, expect, it } from 'vitest';
import { addressUnknownOpen } from '../src/parcels/domain/address.js';
import { bookingCandidate, bookingDifferences, bookingHash, type Booking } from '../src/parcels/domain/booking.js';
import { parseParcel } from '../src/parcels/domain/content.js';
import { compareWithKept, needsCenter, parcelToCreate, placeParcel, type Candidate, type Kept } from '../src/parcels/domain/creation.js';
import { announcedCandidate, tally, type Announcement } from '../src/parcels/domain/registration.js';
import { startParcel } from '../src/parcels/domain/start.js';

/** Intake's parcel rules without Postgres: what a batch decides given what is stored and resolved. */

const countyId = 'cn-511623';
const now = new Date('2026-07-21T02:30:00.000Z');
const announcement: Announcement = {
  countyId,
  courierId: 'zto',
  items: [],
  actor: { keyId: 'key-zto', role: 'courier' },
  occurredAt: '2026-07-21T01:00:00.000Z',
  source: 'rest:key-zto',
};

function candidate(raw: Record<string, unknown>, index = 0): Candidate {
  const parsed = parseParcel({ waybill: 'ZT100', destination: { stationId: 'st-village-a' }, weightKg: 2, recipient: { name: '李小红', phone: '13900001111' }, ...raw });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return announcedCandidate(announcement, index, parsed.contract, parsed.hash, now);
}

function keptOf(c: Candidate, parcelId = 'p-1'): Kept {
  return { parcelId, direction: c.direction, hash: c.hash, contract: c.contract };
}

describe('an announced parcel compared with the one kept under its waybill', () => {
  it('is a duplicate when its content is the same, however it was spelled', () => {
    const first = candidate({});
    const again = candidate({ direction: 'downstream', serviceType: 'standard', volumeM3: 0.012 });
    expect(compareWithKept(again, keptOf(first))).toEqual({ result: 'duplicate', parcelId: 'p-1' });
  });

  it('is a conflict naming each field that differs, people’s details named but never shown', () => {
    const first = candidate({});
    const other = candidate({ weightKg: 3, recipient: { name: '王五', phone: '13900002222' } });
    const comparison = compareWithKept(other, keptOf(first));
    expect(comparison.result).toBe('conflict');
    if (comparison.result !== 'conflict') return;
    expect(comparison.differences.map((d) => d.description)).toEqual([
      'recipient.name differs',
      'recipient.phone differs',
      'volumeM3: 0.012 → 0.018',
      'weightKg: 2 → 3',
    ]);
    expect(JSON.stringify(comparison.differences)).not.toContain('13900002222');
  });
});

describe('placing a new parcel', () => {
  it('goes to the station its destination resolved to', () => {
    expect(placeParcel(countyId, candidate({}), 'st-village-a', null)).toEqual({ ok: true, destinationStationId: 'st-village-a', originStationId: null });
  });

  it('is held at the center in address_unknown when its destination does not resolve, saying why', () => {
    const unresolved = candidate({ destination: { villageCode: '951623000000' } });
    expect(needsCenter(unresolved, new Map())).toBe(true);
    expect(placeParcel(countyId, unresolved, undefined, 'center')).toEqual({
      ok: true,
      destinationStationId: null,
      originStationId: null,
      addressUnknown: { centerId: 'center', reason: 'village 951623000000 is served by no active station of county cn-511623' },
    });
  });

  it('is refused when its destination does not resolve and the county has no center to hold it', () => {
    expect(placeParcel(countyId, candidate({ destination: { stationId: 'st-gone' } }), undefined, null)).toEqual({
      ok: false,
      path: 'destination',
      reason: 'station st-gone is not an active village or town station of county cn-511623, and the county has no active center station to hold the parcel',
    });
  });

  it('upstream, is collected at its origin station, and refused naming originStationId when that is not active', () => {
    const upstream = candidate({ direction: 'upstream', originStationId: 'st-village-b', destination: undefined });
    expect(needsCenter(upstream, new Map())).toBe(false);
    expect(placeParcel(countyId, upstream, 'st-village-b', null)).toEqual({ ok: true, destinationStationId: null, originStationId: 'st-village-b' });
    expect(placeParcel(countyId, upstream, undefined, 'center')).toMatchObject({ ok: false, path: 'originStationId' });
  });
});

describe('starting a new parcel', () => {
  it('decides its first facts with the lifecycle: manifested, then held at the center, each event on parcel.events and the courier’s topic', () => {
    const c = candidate({ destination: { villageCode: '951623000000' } });
    const placement = placeParcel(countyId, c, undefined, 'center');
    if (!placement.ok) throw new Error(placement.reason);
    const started = startParcel('intake', parcelToCreate({ id: 'p-1', countyId, courierId: 'zto', now }, c, placement), now);
    expect(started.record).toMatchObject({ state: 'manifested', destinationStationId: null, exception: { kind: 'address_unknown' } });
    expect(started.facts.map((f) => f.fact.id)).toEqual(['manifested:zto:ZT100', 'address_unknown:zto:ZT100']);
    expect(started.outbox.map((e) => [e.topic, (e.event as { type: string }).type])).toEqual([
      ['parcel.events', 'parcel.manifested'],
      ['courier.status.zto', 'parcel.manifested'],
      ['parcel.events', 'parcel.address_unknown_reported'],
      ['courier.status.zto', 'parcel.address_unknown_reported'],
    ]);
  });

  it('an announced upstream parcel starts booked', () => {
    const upstream = candidate({ direction: 'upstream', originStationId: 'st-village-b', destination: undefined });
    expect(upstream.first).toMatchObject({ id: 'booked:zto:ZT100', kind: 'booked', occurredAt: announcement.occurredAt, receivedAt: now.toISOString() });
  });
});

describe('a booking', () => {
  const booking: Booking = { courierId: 'zto', bookingId: 'BK1', stationId: 'st-village-b', product: '黄桃', weightKg: 50, count: 10 };
  const context = { countyId, actor: { keyId: 'zto', role: 'courier' as const }, occurredAt: '2026-07-21T09:00:00+08:00', receivedAt: now.toISOString() };

  it('becomes an upstream parcel whose waybill is the booking id, collected at its station, starting booked', () => {
    const c = bookingCandidate(booking, context);
    expect(c).toMatchObject({ waybill: 'BK1', direction: 'upstream', place: { stationId: 'st-village-b' } });
    expect(c.contract).toMatchObject({ volumeM3: 0.3, serviceType: 'standard' });
    expect(c.first).toMatchObject({ id: 'booking:zto:BK1', kind: 'booked', occurredAt: '2026-07-21T01:00:00.000Z' });
    expect(c.hash).toBe(bookingHash(c.contract));
  });

  it('booked again with other content differs by its own fields, not the ones derived from them', () => {
    const first = bookingCandidate(booking, context);
    const other = bookingCandidate({ ...booking, weightKg: 60, coldChainProfileId: 'fruit' }, context);
    const comparison = compareWithKept(other, keptOf(first));
    expect(comparison.result).toBe('conflict');
    if (comparison.result !== 'conflict') return;
    expect(bookingDifferences({ direction: 'upstream' }, comparison.differences)).toEqual(['coldChainProfileId', 'weightKg']);
    expect(bookingDifferences({ direction: 'downstream' }, comparison.differences)).toEqual(['bookingId']);
  });
});

describe('a registration’s results', () => {
  it('come in item order, counted, parcels held in address_unknown counted among the created too', () => {
    const { counts, results } = tally([
      { index: 2, result: 'rejected', issues: [{ path: 'weightKg', reason: 'too small' }] },
      { index: 0, result: 'created', parcelId: 'p-1', waybill: 'A', exception: 'address_unknown', reason: 'unknown village' },
      { index: 1, result: 'duplicate', parcelId: 'p-2', waybill: 'B' },
      { index: 3, result: 'created', parcelId: 'p-3', waybill: 'C', exception: null },
    ]);
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(counts).toEqual({ created: 2, duplicate: 1, conflict: 0, rejected: 1, addressUnknown: 1 });
  });
});

describe('an address_unknown exception', () => {
  const actor = { keyId: 'op', role: 'operator' } as const;
  const reported = { id: 'u1', kind: 'address_unknown', stationId: 'center', occurredAt: '2026-07-21T02:00:00.000Z', receivedAt: '2026-07-21T02:00:00.000Z', actor } as const;

  it('stands open until a correction or a delivery after its last report', () => {
    expect(addressUnknownOpen({ exception: null, facts: [reported] })).toBe(true);
    const corrected = { id: 'c1', kind: 'address_corrected', occurredAt: '2026-07-21T03:00:00.000Z', receivedAt: '2026-07-21T03:00:00.000Z', actor } as const;
    expect(addressUnknownOpen({ exception: null, facts: [reported, corrected] })).toBe(false);
    expect(addressUnknownOpen({ exception: null, facts: [] })).toBe(false);
  });
});
