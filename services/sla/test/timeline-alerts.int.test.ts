import type { Envelope, SlaAlert } from '@county/contracts';
import type { Producer, Runtime } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { scanOnce } from '../src/alerts/scanner.js';
import { countyRecord, masterDataEvent, routeConfirmed, stationRecord, stepEvent, testParcel } from './timeline-events.js';
import { applied, publishDispatchEvents, publishMasterData, publishParcelEvents, runningSla, slaEvents, upstreamProducer } from './timeline-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
const rateCounty = 'cn-511624';
// Beijing time
const bj = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 5, day, hour - 8, minute));

let now = bj(1, 20).getTime();
const clock = () => new Date(now);
let runtime: Runtime;
let app: Awaited<ReturnType<typeof runningSla>>['app'];
let upstream: Producer;
const keys: Record<string, string> = {};

beforeAll(async () => {
  const sla = await runningSla(config, clock);
  ({ runtime, app } = sla);
  upstream = await upstreamProducer(config);
  const messages = [countyId, rateCounty].flatMap((id) => [
    masterDataEvent('county', countyRecord(id)),
    masterDataEvent('station', stationRecord(id, 'center', 'center')),
    masterDataEvent('station', stationRecord(id, 'st-town', 'town')),
    masterDataEvent('station', stationRecord(id, 'st-v1', 'village')),
  ]);
  await publishMasterData(upstream, config, messages);
  // Keys differ, so partitions do: the last one applied says nothing of the others.
  for (const m of messages) await applied(runtime.pool, 'sla.timeline-masterdata', m.event.id);
  keys.admin = await sla.issue({ countyId, role: 'admin', name: 'admin' });
  keys.operator = await sla.issue({ countyId, role: 'operator', name: 'desk' });
  keys.courier = await sla.issue({ countyId, role: 'courier', name: 'zto', scope: { courierId: 'zto' } });
  keys.rateAdmin = await sla.issue({ countyId: rateCounty, role: 'admin', name: 'admin' });
});

afterAll(async () => {
  await upstream?.disconnect();
  await runtime?.lifecycle.shutdown();
});

const scan = () => scanOnce({ pool: runtime.pool, outbox: runtime.outbox, source: 'sla', clock });

async function call(method: 'GET' | 'PUT' | 'POST', url: string, key: string, payload?: unknown) {
  const response = await app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, any> };
}

async function parcelRow(parcelId: string, until: (row: Record<string, any>) => boolean = () => true) {
  return waitFor(async () => {
    const { rows } = await runtime.pool.query(`SELECT * FROM sla_parcels WHERE parcel_id = $1`, [parcelId]);
    return rows[0] && until(rows[0]) ? (rows[0] as Record<string, any>) : undefined;
  });
}

async function alertsOf(parcelId: string, until: (alerts: SlaAlert[]) => boolean) {
  return waitFor(async () => {
    const { body } = await call('GET', `/sla/alerts?limit=1000`, keys.operator!);
    const mine = (body.items as SlaAlert[]).filter((a) => a.parcelId === parcelId);
    return until(mine) ? mine : undefined;
  });
}

describe('sla timeline and alerts', () => {
  it('raises at risk at 22:00 for a parcel the next wave cannot bring in time, then the breach when the deadline passes', async () => {
    // a confirmed route to the town station teaches sla its travel time: 07:00 → 11:00, 4 h
    const earlier = testParcel(countyId, 'st-town');
    const route = routeConfirmed(countyId, 'r-seen', [earlier], bj(1, 7), bj(1, 11));
    await publishDispatchEvents(upstream, config, [route]);
    await applied(runtime.pool, 'sla.timeline-routes', route.id);

    now = bj(1, 22).getTime();
    const parcel = testParcel(countyId, 'st-town');
    await publishParcelEvents(upstream, config, [stepEvent(parcel, 'manifested', bj(1, 18)), stepEvent(parcel, 'received', bj(1, 22))]);
    const [atRisk] = await alertsOf(parcel.id, (a) => a.length === 1);
    expect(atRisk).toMatchObject({
      kind: 'at_risk',
      leg: 'center_to_town',
      courierId: 'zto',
      state: 'open',
      raisedAt: bj(1, 22).toISOString(),
      details: { deadline: bj(2, 10).toISOString(), eta: bj(2, 11).toISOString(), etaSource: 'wave' },
    });
    expect(await parcelRow(parcel.id)).toMatchObject({ open: true, deadline: bj(2, 10), eta: bj(2, 11), deadline_leg: 'center_to_town' });

    // the clock reaches the deadline with the parcel still at the center: the scanner finds the breach
    now = bj(2, 10).getTime();
    await scan();
    const both = await alertsOf(parcel.id, (a) => a.length === 2);
    const breach = both.find((a) => a.kind === 'breach')!;
    expect(breach).toMatchObject({ leg: 'center_to_town', raisedAt: bj(2, 10).toISOString(), details: { open: true } });
    expect(Date.parse(atRisk!.raisedAt)).toBeLessThan(Date.parse(breach.raisedAt));

    // it arrives late: the leg is measured, and the breach is not raised twice
    now = bj(2, 12).getTime();
    const arrived = stepEvent(parcel, 'at_station', bj(2, 11, 5));
    await publishParcelEvents(upstream, config, [arrived]);
    await applied(runtime.pool, 'sla.timeline-parcels', arrived.id);
    expect(await parcelRow(parcel.id)).toMatchObject({ open: false, center_to_town_minutes: 13 * 60 + 5, center_to_town_on_time: false });
    expect((await alertsOf(parcel.id, () => true)).map((a) => a.kind).sort()).toEqual(['at_risk', 'breach']);

    const events = await slaEvents(runtime, config, (all) => all.filter((m) => m.key === parcel.id).length >= 2);
    const mine = events.filter((m) => m.key === parcel.id).map((m) => m.value as Envelope<SlaAlert>);
    expect(mine.map((e) => e.type)).toEqual(['sla.parcel_at_risk', 'sla.breach_detected']);
    expect(mine[0]!.data).toMatchObject({ alertId: atRisk!.alertId, kind: 'at_risk' });
  });

  it('takes a confirmed route’s planned arrival as the ETA; on time, no alert', async () => {
    now = bj(3, 21).getTime();
    const parcel = testParcel(countyId, 'st-v1');
    await publishParcelEvents(upstream, config, [stepEvent(parcel, 'received', bj(3, 21))]);
    await parcelRow(parcel.id);
    const route = routeConfirmed(countyId, 'r-on-time', [parcel], bj(4, 7), bj(4, 9, 30));
    await publishDispatchEvents(upstream, config, [route]);
    expect(await parcelRow(parcel.id, (r) => r.eta_source === 'route')).toMatchObject({ eta: bj(4, 9, 30), deadline: bj(4, 21), open: true });
    expect(await alertsOf(parcel.id, () => true)).toEqual([]);
  });

  it('folds late and duplicated events by when they happened: the same row and timeline as in order', async () => {
    now = bj(6, 12).getTime();
    const parcel = testParcel(countyId, 'st-v1');
    const received = stepEvent(parcel, 'received', bj(5, 22), { state: 'delivered' });
    const atStation = stepEvent(parcel, 'at_station', bj(6, 9));
    const delivered = stepEvent(parcel, 'delivered', bj(6, 10));
    const again = stepEvent(parcel, 'at_station', bj(6, 9, 40), { state: 'delivered' });
    // the hand-over and delivery first, the receive scan uploaded late; the hand-over published twice, and
    // reported again later by the keeper
    await publishParcelEvents(upstream, config, [atStation, delivered, atStation, received, again, delivered]);
    await applied(runtime.pool, 'sla.timeline-parcels', again.id);
    const row = await parcelRow(parcel.id, (r) => r.received_at !== null);
    expect(row).toMatchObject({
      state: 'delivered',
      received_at: bj(5, 22),
      at_station_at: bj(6, 9),
      delivered_at: bj(6, 10),
      center_to_village_minutes: 11 * 60,
      center_to_village_on_time: true,
      open: false,
    });
    const { body } = await call('GET', `/sla/parcels/${parcel.id}`, keys.operator!);
    expect(body.timeline.map((f: { type: string; occurredAt: string }) => [f.type, f.occurredAt])).toEqual([
      ['parcel.received', bj(5, 22).toISOString()],
      ['parcel.arrived_at_station', bj(6, 9).toISOString()],
      ['parcel.arrived_at_station', bj(6, 9, 40).toISOString()],
      ['parcel.delivered', bj(6, 10).toISOString()],
    ]);
    expect(body.legs.center_to_village).toEqual({ minutes: 660, onTime: true, endedAt: bj(6, 9).toISOString() });
    expect(await alertsOf(parcel.id, () => true)).toEqual([]);
  });

  it('raises a rate alert at the scan with the window and the budget left when a leg’s on-time rate falls below the target, and resolves it', async () => {
    now = bj(11, 12).getTime();
    const put = await call('PUT', '/sla/settings', keys.rateAdmin!, { targetRate: 0.9, windowHours: 24, minLegs: 5 });
    expect(put.status).toBe(200);
    expect(put.body.settings).toEqual({ targetRate: 0.9, windowHours: 24, minLegs: 5 });

    const legOf = (hours: number) => {
      const p = testParcel(rateCounty, 'st-v1');
      // every leg ends at 06:00 on the 11th, inside the 24 h window ending at noon
      return [stepEvent(p, 'received', new Date(bj(11, 6).getTime() - hours * 3_600_000)), stepEvent(p, 'at_station', bj(11, 6))];
    };
    // five on time, one late: 5/6 = 83 % < 90 %; the budget, floor(6 × 10 %) = 0 late legs, is spent by one
    const firstSix = [...legOf(10), ...legOf(11), ...legOf(30), ...legOf(12), ...legOf(13), ...legOf(14)];
    await publishParcelEvents(upstream, config, firstSix);
    for (const event of firstSix) await applied(runtime.pool, 'sla.timeline-parcels', event.id);
    await scan();
    const rate = await waitFor(async () => {
      const { rows } = await runtime.pool.query(`SELECT * FROM sla_alerts WHERE county_id = $1 AND kind = 'rate'`, [rateCounty]);
      return rows[0]?.details.legs === 6 ? rows[0] : undefined;
    });
    expect(rate).toMatchObject({ leg: 'center_to_village', state: 'open' });
    expect(rate.details).toEqual({
      windowHours: 24,
      windowFrom: bj(10, 12).toISOString(),
      windowTo: bj(11, 12).toISOString(),
      legs: 6,
      late: 1,
      onTimeRate: 5 / 6,
      targetRate: 0.9,
      budget: 0,
      budgetLeft: -1,
    });

    // four more on time: 9/10 = 90 %, back at the target
    const fourMore = [...legOf(9), ...legOf(8), ...legOf(7), ...legOf(6)];
    await publishParcelEvents(upstream, config, fourMore);
    for (const event of fourMore) await applied(runtime.pool, 'sla.timeline-parcels', event.id);
    await scan();
    const resolved = await waitFor(async () => {
      const { rows } = await runtime.pool.query(`SELECT * FROM sla_alerts WHERE county_id = $1 AND kind = 'rate'`, [rateCounty]);
      return rows[0]?.state === 'resolved' ? rows[0] : undefined;
    });
    expect(resolved.details).toMatchObject({ legs: 10, late: 1, onTimeRate: 0.9, budget: 1, budgetLeft: 0 });
    const events = await slaEvents(runtime, config, (all) => all.filter((m) => m.key === `${rateCounty}/center_to_village`).length === 2);
    expect(events.filter((m) => m.key === `${rateCounty}/center_to_village`).map((m) => m.value.type)).toEqual(['sla.rate_below_target', 'sla.rate_recovered']);
  });

  it('measures parcels folded before their county’s policy and station arrived once they do', async () => {
    const lateCounty = 'cn-511625';
    now = bj(8, 12).getTime();
    const parcel = testParcel(lateCounty, 'st-v1');
    const received = stepEvent(parcel, 'received', bj(7, 8));
    const atStation = stepEvent(parcel, 'at_station', bj(8, 9));
    await publishParcelEvents(upstream, config, [received, atStation]);
    await applied(runtime.pool, 'sla.timeline-parcels', atStation.id);
    expect(await parcelRow(parcel.id)).toMatchObject({ center_to_village_minutes: 25 * 60, center_to_village_on_time: null, deadline: null, town_id: null });

    const messages = [masterDataEvent('county', countyRecord(lateCounty)), masterDataEvent('station', stationRecord(lateCounty, 'st-v1', 'village'))];
    await publishMasterData(upstream, config, messages);
    const row = await parcelRow(parcel.id, (r) => r.town_id !== null && r.center_to_village_on_time !== null);
    expect(row).toMatchObject({ center_to_village_on_time: false, deadline: bj(8, 8), town_id: 'town-1', village_code: '511623100001' });
    const { rows } = await runtime.pool.query(`SELECT kind, leg, details FROM sla_alerts WHERE parcel_id = $1`, [parcel.id]);
    expect(rows).toEqual([{ kind: 'breach', leg: 'center_to_village', details: expect.objectContaining({ minutes: 1500, targetMinutes: 1440 }) }]);
  });

  it('slips the ETA of a parcel that missed its wave when the scanner sees the departure pass', async () => {
    now = bj(12, 11).getTime();
    const parcel = testParcel(countyId, 'st-town');
    await publishParcelEvents(upstream, config, [stepEvent(parcel, 'received', bj(12, 11))]);
    // the 13:30 wave and the town's 4 h: 17:30, within the 12 h deadline (23:00)
    expect(await parcelRow(parcel.id)).toMatchObject({ eta: bj(12, 17, 30), deadline: bj(12, 23), eta_source: 'wave' });
    await scan();
    expect(await alertsOf(parcel.id, () => true)).toEqual([]);

    // 14:00, still at the center: the next wave is tomorrow's 07:00, the ETA 11:00 tomorrow
    now = bj(12, 14).getTime();
    await scan();
    const alerts = await alertsOf(parcel.id, (a) => a.length === 2);
    expect(alerts.map((a) => a.kind).sort()).toEqual(['at_risk', 'eta_slip']);
    expect(alerts.find((a) => a.kind === 'eta_slip')).toMatchObject({
      raisedAt: bj(12, 14).toISOString(),
      details: { previousEta: bj(12, 17, 30).toISOString(), eta: bj(13, 11).toISOString(), deadline: bj(12, 23).toISOString() },
    });
  });

  it('lists alerts by kind, leg, state, courier and time; operators acknowledge them; bad filters are 400 naming the field', async () => {
    const atRisk = await call('GET', '/sla/alerts?kind=at_risk&leg=center_to_town&state=open&courier=zto', keys.operator!);
    expect(atRisk.status).toBe(200);
    expect(atRisk.body.items.length).toBeGreaterThanOrEqual(1);
    expect(atRisk.body.items.every((a: SlaAlert) => a.kind === 'at_risk' && a.leg === 'center_to_town' && a.state === 'open')).toBe(true);
    const inRange = await call('GET', `/sla/alerts?from=${bj(2, 9).toISOString()}&to=${bj(2, 11).toISOString()}`, keys.operator!);
    expect(inRange.body.items.map((a: SlaAlert) => a.kind)).toEqual(['breach']);

    const id = atRisk.body.items[0].alertId as string;
    const ack = await call('POST', `/sla/alerts/${id}/acknowledge`, keys.operator!);
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ alertId: id, state: 'acknowledged', acknowledgedBy: expect.any(String) });
    expect((await call('GET', `/sla/alerts?state=acknowledged`, keys.operator!)).body.items.map((a: SlaAlert) => a.alertId)).toContain(id);

    const bad = await call('GET', '/sla/alerts?kind=late', keys.operator!);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('kind');
    expect((await call('PUT', '/sla/settings', keys.admin!, { targetRate: 1.5 })).status).toBe(400);
    expect((await call('GET', '/sla/alerts', keys.courier!)).status).toBe(403);
    expect((await call('PUT', '/sla/settings', keys.operator!, {})).status).toBe(403);
    expect((await call('POST', `/sla/alerts/00000000-0000-4000-8000-000000000000/acknowledge`, keys.operator!)).status).toBe(404);
  });
});
