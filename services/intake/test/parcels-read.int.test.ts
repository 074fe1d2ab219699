import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { at, keyIdOf, parcelSuite, pastBase, scan, type ParcelSuite } from './parcel-suite.js';
import { seedCourier } from './seed.js';

const iso = isolation();
const config = testConfig(iso);
let s: ParcelSuite;

beforeAll(async () => {
  s = await parcelSuite(config);
});

afterAll(() => s?.close());

const recipient = { name: '王小红', phone: '13912345678' };

describe('look-up', () => {
  it('by id and by waybill: the parcel with its full timeline (who, where, when it happened, when it was received, inferred)', async () => {
    const parcel = await s.seed({ recipient });
    const base = pastBase();
    await s.call('POST', '/scans', s.keys.operator, scan('receive', parcel.id, s.net.center, at(base, 0)));
    await s.call('POST', '/scans', s.keys.stationA, scan('handover', parcel.id, s.net.villageA, at(base, 300)));

    const byId = await s.call('GET', `/parcels/${parcel.id}`, s.keys.operator);
    expect(byId.statusCode, byId.body).toBe(200);
    const view = byId.json();
    expect(view).toMatchObject({ parcelId: parcel.id, waybill: parcel.waybill, state: 'at_station', receivedAt: at(base, 0).toISOString() });
    expect(view.timeline.map((e: { state: string; inferred: boolean }) => [e.state, e.inferred])).toEqual([
      ['manifested', false],
      ['received', false],
      ['sorted', true],
      ['departed', true],
      ['at_station', false],
    ]);
    const handover = view.timeline[4];
    expect(handover).toMatchObject({
      event: 'parcel.arrived_at_station',
      fact: 'handover',
      actor: { keyId: keyIdOf(s.keys.stationA), role: 'station' },
      stationId: s.net.villageA,
      occurredAt: at(base, 300).toISOString(),
      confirming: false,
    });
    expect(Date.parse(handover.receivedAt)).toBeGreaterThan(Date.parse(handover.occurredAt));

    const byWaybill = await s.call('GET', `/parcels/by-waybill/${parcel.courierId}/${parcel.waybill}`, s.keys.operator);
    expect(byWaybill.json()).toEqual(view);
  });

  it('shows the recipient in clear to center staff and the destination’s keeper only; masked to the courier', async () => {
    const parcel = await s.seed({ recipient });
    const contractFor = async (key: string) => (await s.call('GET', `/parcels/${parcel.id}`, key)).json().contract;
    expect((await contractFor(s.keys.operator)).recipient).toEqual(recipient);
    expect((await contractFor(s.keys.admin)).recipient).toEqual(recipient);
    expect((await contractFor(s.keys.stationA)).recipient).toEqual(recipient);
    expect((await contractFor(s.keys.courierA)).recipient).toEqual({ name: '王**', phone: '139****5678' });
  });

  it('a courier key cannot see another courier’s parcel: 404 by id and by waybill, never 403', async () => {
    const parcel = await s.seed();
    for (const url of [`/parcels/${parcel.id}`, `/parcels/by-waybill/${parcel.courierId}/${parcel.waybill}`]) {
      const res = await s.call('GET', url, s.keys.courierB);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('PARCEL_NOT_FOUND');
    }
    expect((await s.call('GET', `/parcels/${parcel.id}`, s.keys.courierA)).statusCode).toBe(200);
  });

  it('a station key sees parcels to or from its station only (404 otherwise)', async () => {
    const toA = await s.seed();
    const fromB = await s.seed({ direction: 'upstream', originStationId: s.net.villageB });
    expect((await s.call('GET', `/parcels/${toA.id}`, s.keys.stationA)).statusCode).toBe(200);
    expect((await s.call('GET', `/parcels/${toA.id}`, s.keys.stationB)).statusCode).toBe(404);
    expect((await s.call('GET', `/parcels/${fromB.id}`, s.keys.stationB)).statusCode).toBe(200);
    expect((await s.call('GET', `/parcels/${fromB.id}`, s.keys.stationA)).statusCode).toBe(404);
  });

  it('an unknown or malformed id is 404', async () => {
    expect((await s.call('GET', '/parcels/00000000-0000-4000-8000-000000000000', s.keys.operator)).statusCode).toBe(404);
    expect((await s.call('GET', '/parcels/not-a-parcel', s.keys.operator)).statusCode).toBe(404);
    expect((await s.call('GET', `/parcels/by-waybill/${s.net.courierA}/NOPE0000`, s.keys.operator)).statusCode).toBe(404);
  });

  it('a waybill or id with NUL or a lone surrogate in the path is 400 naming the parameter', async () => {
    const reason = 'must not contain NUL, control characters or unpaired surrogates';
    for (const url of [`/parcels/by-waybill/${s.net.courierA}/ZT%00123`, `/parcels/by-waybill/${s.net.courierA}/ZT%01123`, '/parcels/a%00b']) {
      const res = await s.call('GET', url, s.keys.operator);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details, url).toEqual([{ path: expect.stringMatching(/^params\.(waybill|parcelId)$/), reason }]);
    }
    // A surrogate encoded in UTF-8 is no UTF-8 at all: the URL itself is refused.
    const surrogate = await s.call('GET', `/parcels/by-waybill/${s.net.courierA}/ZT%ED%A0%80`, s.keys.operator);
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json().error.code).toBe('BAD_URL');
  });
});

describe('search', () => {
  it('cursor pagination returns every parcel once across pages', async () => {
    const courierId = `pg-${iso.id}`;
    await seedCourier(s.intake.pool, { countyId: s.net.countyId, id: courierId });
    const seeded = [];
    for (let i = 0; i < 23; i++) seeded.push((await s.seed({ courierId })).id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/parcels?courierId=${courierId}&limit=5${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await s.call('GET', url, s.keys.operator);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: { parcelId: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((item) => item.parcelId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...seeded].sort());
  });

  it('filters by state, courier, station, direction and time range', async () => {
    const courierId = `flt-${iso.id}`;
    await seedCourier(s.intake.pool, { countyId: s.net.countyId, id: courierId });
    const toA = await s.seed({ courierId });
    const toB = await s.seed({ courierId, destinationStationId: s.net.villageB });
    const fromA = await s.seed({ courierId, direction: 'upstream', originStationId: s.net.villageA });
    await s.call('POST', '/scans', s.keys.operator, scan('receive', toB.id, s.net.center, pastBase()));
    const ids = async (query: string) =>
      ((await s.call('GET', `/parcels?courierId=${courierId}&${query}`, s.keys.operator)).json().items as { parcelId: string }[]).map((i) => i.parcelId).sort();

    expect(await ids('state=received')).toEqual([toB.id]);
    expect(await ids(`stationId=${s.net.villageA}`)).toEqual([toA.id, fromA.id].sort());
    expect(await ids('direction=upstream')).toEqual([fromA.id]);
    expect(await ids(`from=${encodeURIComponent(toA.createdAt)}&to=${encodeURIComponent(new Date(Date.parse(fromA.createdAt) + 1).toISOString())}`)).toEqual(
      [toA.id, toB.id, fromA.id].sort(),
    );
    expect(await ids(`to=${encodeURIComponent(toA.createdAt)}`)).toEqual([]);
  });

  it('is scoped by key: a courier sees its own parcels (403 asking for another’s), a station those to or from it', async () => {
    await s.seed({ courierId: s.net.courierB });
    const mine = (await s.call('GET', '/parcels?limit=500', s.keys.courierB)).json().items as { courierId: string }[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((p) => p.courierId === s.net.courierB)).toBe(true);
    expect((await s.call('GET', `/parcels?courierId=${s.net.courierA}`, s.keys.courierB)).statusCode).toBe(403);

    const atB = (await s.call('GET', '/parcels?limit=500', s.keys.stationB)).json().items as { destinationStationId: string; originStationId: string }[];
    expect(atB.length).toBeGreaterThan(0);
    expect(atB.every((p) => p.destinationStationId === s.net.villageB || p.originStationId === s.net.villageB)).toBe(true);
    expect((await s.call('GET', `/parcels?stationId=${s.net.villageA}`, s.keys.stationB)).statusCode).toBe(403);
  });

  it('counts what the filters select by state, direction and courier, scoped by key like the search', async () => {
    const courierId = `cnt-${iso.id}`;
    await seedCourier(s.intake.pool, { countyId: s.net.countyId, id: courierId });
    const toA = await s.seed({ courierId });
    const toB = await s.seed({ courierId, destinationStationId: s.net.villageB });
    await s.seed({ courierId, direction: 'upstream', originStationId: s.net.villageA });
    await s.call('POST', '/scans', s.keys.operator, scan('receive', toB.id, s.net.center, pastBase()));
    const counts = await s.call('GET', `/parcels/counts?courierId=${courierId}`, s.keys.operator);
    expect(counts.statusCode, counts.body).toBe(200);
    const body = counts.json();
    expect(body.total).toBe(3);
    expect(body.byDirection).toEqual({ downstream: 2, upstream: 1 });
    expect(body.byState.received).toBe(1);
    expect(body.exceptions).toBe(0);
    expect(body.byCourier).toEqual([{ courierId, total: 3, byState: body.byState, byDirection: { downstream: 2, upstream: 1 } }]);
    // The same filters as the search: a window before the first parcel selects none.
    expect((await s.call('GET', `/parcels/counts?courierId=${courierId}&to=${encodeURIComponent(toA.createdAt)}`, s.keys.operator)).json().total).toBe(0);
    // A station's key counts the parcels to or from its station only; another courier's are refused to a courier key.
    const atB = (await s.call('GET', '/parcels/counts', s.keys.stationB)).json();
    const listedAtB = (await s.call('GET', '/parcels?limit=500', s.keys.stationB)).json().items as unknown[];
    expect(atB.total).toBe(listedAtB.length);
    expect((await s.call('GET', `/parcels/counts?courierId=${courierId}`, s.keys.courierB)).statusCode).toBe(403);
    const bad = await s.call('GET', '/parcels/counts?direction=sideways', s.keys.operator);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('querystring.direction');
  });

  it('refuses bad filters with 400 naming the query field', async () => {
    const detail = async (query: string) => {
      const res = await s.call('GET', `/parcels?${query}`, s.keys.operator);
      expect(res.statusCode, query).toBe(400);
      return res.json().error.details[0].path as string;
    };
    expect(await detail('state=teleported')).toBe('querystring.state');
    expect(await detail('direction=sideways')).toBe('querystring.direction');
    expect(await detail('limit=0')).toBe('querystring.limit');
    expect(await detail('limit=501')).toBe('querystring.limit');
    expect(await detail('from=yesterday')).toBe('querystring.from');
    expect(await detail('from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z')).toBe('querystring.to');
    expect(await detail('cursor=bm90LWEtY3Vyc29y')).toBe('querystring.cursor');
    expect(await detail('colour=red')).toBe('querystring');
  });
});

describe('access', () => {
  it('the bureau is refused (403) on every scan, booking and parcel route; drivers do not read parcels', async () => {
    const parcel = await s.seed();
    const routes: [string, string, object?][] = [
      ['POST', '/scans', scan('damaged', parcel.id, s.net.center, pastBase())],
      ['POST', '/scans/batch', { scans: [scan('damaged', parcel.id, s.net.center, pastBase())] }],
      ['POST', '/bookings', { courierId: s.net.courierA, stationId: s.net.villageA, product: '茶叶', weightKg: 5, count: 1 }],
      ['GET', `/parcels/${parcel.id}`],
      ['GET', `/parcels/by-waybill/${parcel.courierId}/${parcel.waybill}`],
      ['GET', '/parcels'],
    ];
    for (const [method, url, payload] of routes) {
      const res = await s.call(method as 'GET' | 'POST', url, s.keys.bureau, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    for (const [method, url] of routes.filter(([method]) => method === 'GET')) {
      expect((await s.call(method as 'GET', url, s.keys.driver)).statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await s.intake.app.inject({ method: 'GET', url: `/parcels/${parcel.id}` })).statusCode).toBe(401);
  });
});
