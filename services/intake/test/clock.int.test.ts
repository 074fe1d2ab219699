import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { parcelSuite, type ParcelSuite } from './parcel-suite.js';

const iso = isolation();
const config = testConfig(iso);
/** The instant the service's clock shows throughout: a county morning, not the machine's time. */
const morning = new Date('2026-06-01T06:00:00+08:00');
let s: ParcelSuite;

beforeAll(async () => {
  s = await parcelSuite(config, { clock: () => morning });
});

afterAll(() => s?.close());

describe("intake's clock", () => {
  it('stamps a booking made over REST and the events it publishes with the service clock’s time', async () => {
    const res = await s.call('POST', '/bookings', s.keys.operator, {
      courierId: s.net.courierA,
      stationId: s.net.villageA,
      product: '猕猴桃',
      weightKg: 80,
      count: 8,
      readyAt: '2026-06-01T10:00:00+08:00',
    });
    expect(res.statusCode, res.body).toBe(201);
    const parcelId = res.json().parcelId as string;
    const { rows } = await s.intake.pool.query<{ payload: { occurredAt: string } }>('SELECT payload FROM outbox WHERE key = $1', [parcelId]);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.payload.occurredAt))).toEqual(new Set([morning.toISOString()]));
    // Registered at the clock's time too: a day's search and counts (the console's board) find it on that day.
    const parcel = await s.call('GET', `/parcels/${parcelId}`, s.keys.operator);
    expect(parcel.json().createdAt).toBe(morning.toISOString());
    const counts = await s.call('GET', `/parcels/counts?courierId=${s.net.courierA}&from=2026-06-01T00:00:00%2B08:00&to=2026-06-02T00:00:00%2B08:00`, s.keys.operator);
    expect(counts.json().byDirection.upstream).toBe(1);
  });
});
