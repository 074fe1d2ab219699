import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { pastBase, parcelSuite, scan, type ParcelSuite } from './parcel-suite.js';

const iso = isolation();
const config = testConfig(iso);
let s: ParcelSuite;

beforeAll(async () => {
  s = await parcelSuite(config);
});

afterAll(() => s?.close());

/** The instant as a handheld in China writes it: local time with its +08:00 offset, to the second. */
const beijing = (instant: Date) => `${new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

describe('instants with an offset', () => {
  it('a scan at +08:00 is accepted and kept and published in UTC', async () => {
    const parcel = await s.seed();
    const scannedAt = pastBase();
    const res = await s.call('POST', '/scans', s.keys.center, scan('receive', parcel.id, s.net.center, scannedAt, { occurredAt: beijing(scannedAt) }));
    expect(res.statusCode, res.body).toBe(200);
    const view = (await s.call('GET', `/parcels/${parcel.id}`, s.keys.operator)).json();
    expect(view.timeline.find((e: { fact: string }) => e.fact === 'receive')).toMatchObject({ occurredAt: scannedAt.toISOString() });
    const { rows } = await s.intake.pool.query(`SELECT payload FROM outbox WHERE key = $1 AND payload->'data'->'fact'->>'kind' = 'receive'`, [parcel.id]);
    expect(rows.map((r) => r.payload.data.fact.occurredAt)).toEqual([scannedAt.toISOString(), scannedAt.toISOString()]);
  });

  it("a booking's ready time at +08:00 is kept in UTC", async () => {
    const readyAt = new Date(Date.UTC(2026, 10, 29, 0, 0, 0));
    const res = await s.call('POST', '/bookings', s.keys.operator, {
      courierId: s.net.courierA,
      stationId: s.net.villageA,
      product: '猕猴桃',
      weightKg: 80,
      count: 8,
      readyAt: '2026-11-29T08:00:00+08:00',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().contract.readyAt).toBe(readyAt.toISOString());
  });

  it('a search from or to an instant at +08:00 means that instant', async () => {
    const parcel = await s.seed();
    const { rows } = await s.intake.pool.query<{ created_at: Date }>('SELECT created_at FROM parcels WHERE id = $1', [parcel.id]);
    const created = rows[0]!.created_at;
    const search = async (bound: 'from' | 'to', instant: Date) => {
      const res = await s.call('GET', `/parcels?courierId=${s.net.courierA}&limit=500&${bound}=${encodeURIComponent(beijing(instant))}`, s.keys.operator);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { parcelId: string }[]).some((p) => p.parcelId === parcel.id);
    };
    const before = new Date(created.getTime() - 1000);
    const after = new Date(created.getTime() + 1000);
    expect([await search('from', before), await search('from', after)]).toEqual([true, false]);
    expect([await search('to', after), await search('to', before)]).toEqual([true, false]);
  });

  it('an instant without Z or offset is refused, naming the field', async () => {
    const parcel = await s.seed();
    const res = await s.call('POST', '/scans', s.keys.center, scan('receive', parcel.id, s.net.center, pastBase(), { occurredAt: '2026-11-29T08:00:00' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.occurredAt' }] });
  });
});
