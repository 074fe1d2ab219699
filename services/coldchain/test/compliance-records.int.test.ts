import { topics, type Envelope } from '@county/contracts';
import { readTopic } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { runningDispatch, type RunningDispatch } from '../../dispatch/test/field-support.js';
import { testParcel, type TestParcel } from '../../dispatch/test/readmodel-events.js';
import type { ComplianceRecord } from '../src/compliance/domain/record.js';
import { after, confirmRoute, freshId, handheld, intakeStandIn, masterDataApplied, parcelSteps, reefer, runningColdchain, station, type RunningColdchain } from './catalogue-support.js';

const iso = isolation();
const config = testConfig(iso);
const dispatchConfig = testConfig(iso, { DB_SCHEMA: `${iso.schema}_dispatch` });
const countyId = 'cn-511623';
let coldchain: RunningColdchain;
let dispatch: RunningDispatch;
let intake: Awaited<ReturnType<typeof intakeStandIn>>;
let operator: string;

beforeAll(async () => {
  [coldchain, dispatch] = await Promise.all([runningColdchain(config), runningDispatch(dispatchConfig)]);
  intake = await intakeStandIn(config);
  operator = await coldchain.issue(countyId, 'operator');
});

afterAll(async () => {
  await intake?.close();
  await Promise.all([coldchain?.runtime.lifecycle.shutdown(), dispatch?.runtime.lifecycle.shutdown()]);
});

const T0 = new Date(Math.floor((Date.now() - 8 * 3600_000) / 60_000) * 60_000).toISOString();
const at = (minute: number) => after(T0, minute);

/** A gateway's readings of one sensor, one every 5 min over [from, to) minutes, sent in one REST batch. */
async function readings(containerId: string, from: number, to: number, temperature: (minute: number) => number, sensorId = 's1') {
  const items = [];
  for (let m = from; m < to; m += 5) items.push({ containerId, sensorId, measuredAt: at(m), temperatureC: temperature(m) });
  const res = await coldchain.call('POST', '/coldchain/readings', operator, { readings: items });
  expect(res.statusCode, res.body).toBeLessThan(300);
  expect(res.json().refused).toEqual([]);
}

interface ComplianceAnswer {
  record: ComplianceRecord;
  cause: string;
  revisions: { revision: number; compliant: boolean; cause: string }[];
}

/** Waits until the parcel's latest record is one `found` accepts. */
async function recordWhere(parcelId: string, found: (record: ComplianceRecord) => boolean): Promise<ComplianceAnswer> {
  return waitFor(
    async () => {
      const res = await coldchain.call('GET', `/coldchain/parcels/${parcelId}/compliance`, operator);
      return res.statusCode === 200 && found(res.json().record) ? (res.json() as ComplianceAnswer) : undefined;
    },
    { timeoutMs: 30_000 },
  );
}

const recordAt = (parcelId: string, revision: number) => recordWhere(parcelId, (record) => record.revision === revision);

async function publishedRecords(parcelId: string): Promise<ComplianceRecord[]> {
  const messages = await readTopic<Envelope<ComplianceRecord>>(coldchain.runtime.kafka, `${config.TOPIC_PREFIX}${topics.coldchainEvents.name}`);
  return messages.filter((m) => m.key === parcelId && m.value.type === 'coldchain.compliance_recorded').map((m) => m.value.data);
}

/** A van and three stations: the center and the first village station with cold rooms, the second without. */
async function network() {
  const ids = { center: freshId('st-center'), v1: freshId('st-v1'), v2: freshId('st-v2'), van: freshId('van') };
  await masterDataApplied(
    coldchain,
    await intake.masterData(
      { station: station(countyId, ids.center, 'center', 20) },
      { station: station(countyId, ids.v1, 'village', 5) },
      { station: station(countyId, ids.v2, 'village') },
      { vehicle: reefer(countyId, ids.van, { depotStationId: ids.center }) },
    ),
  );
  return { ...ids, vanContainer: `${ids.van}/refrigerated` };
}

/** A route of the van over the two village stations, driven by its driver's handheld. */
async function drive(net: Awaited<ReturnType<typeof network>>, stops: { v1: TestParcel[]; v2: TestParcel[]; pickups?: TestParcel[] }) {
  const parcels = [...stops.v1, ...stops.v2, ...(stops.pickups ?? [])];
  await intake.parcelEvents(...parcels.map((p) => (p.direction === 'upstream' ? parcelSteps.booked(p, at(-60)) : parcelSteps.manifested(p, at(-60)))));
  const { routeId } = await confirmRoute(dispatch.runtime, {
    countyId,
    vehicleId: net.van,
    depotStationId: net.center,
    departure: T0,
    stops: [
      { stationId: net.v1, deliveries: stops.v1 },
      { stationId: net.v2, deliveries: stops.v2, ...(stops.pickups ? { pickups: stops.pickups } : {}) },
    ],
  });
  return handheld(dispatch, await dispatch.issue(countyId, 'driver', { vehicleIds: [net.van] }), routeId);
}

describe('per-parcel compliance', () => {
  it('at hand-over covers the van; at delivery the van and the station’s cold room — time in range, min, max, MKT — as an event and by GET', async () => {
    const net = await network();
    const parcel = testParcel(countyId, net.v1, { coldChainProfileId: 'chilled' });
    await readings(net.vanContainer, -10, 60, (m) => (m < 20 ? 2 : 3));
    await readings(`${net.v1}/cold-room`, 30, 215, () => 1);
    const road = await drive(net, { v1: [parcel], v2: [] });
    await road.depart(at(2));
    await road.arrive(1, at(40));
    await road.handOver(1, at(44));

    const handedOver = await recordAt(parcel.id, 1);
    expect(handedOver.cause).toBe('stop_handed_over');
    expect(handedOver.record).toMatchObject({
      revision: 1,
      profileId: 'chilled',
      from: at(2),
      to: at(44),
      containers: [{ containerId: net.vanContainer, from: at(2), to: at(44) }],
      readings: 8,
      minutesInRange: 42,
      minutesOutOfRange: 0,
      minC: 2,
      maxC: 3,
      excursions: [],
      precooling: { required: false, reachedAt: null, missed: false },
      compliant: true,
      reasons: [],
    });

    await intake.parcelEvents(parcelSteps.delivered(parcel, at(200)));
    const delivered = await recordAt(parcel.id, 2);
    expect(delivered.record).toMatchObject({
      revision: 2,
      from: at(2),
      to: at(200),
      containers: [
        { containerId: net.vanContainer, from: at(2), to: at(44) },
        { containerId: `${net.v1}/cold-room`, from: at(44), to: at(200) },
      ],
      readings: 8 + 31,
      minutesInRange: 198,
      minutesOutOfRange: 0,
      minC: 1,
      maxC: 3,
      compliant: true,
    });
    expect(delivered.record.mktC).toBeGreaterThan(1);
    expect(delivered.record.mktC).toBeLessThan(1.6);
    expect(delivered.revisions.map((r) => [r.revision, r.cause, r.compliant])).toEqual([
      [1, 'stop_handed_over', true],
      [2, 'delivered', true],
    ]);
    const events = await waitFor(async () => {
      const found = await publishedRecords(parcel.id);
      return found.length === 2 ? found : undefined;
    });
    expect(events).toEqual([handedOver.record, delivered.record]);
    expect((await coldchain.call('GET', `/coldchain/parcels/${parcel.id}/compliance?revision=1`, operator)).json().record).toEqual(handedOver.record);
  });

  it('is not compliant for exactly the parcels in the van during an excursion beyond the tolerance, and compliant for the others', async () => {
    const net = await network();
    const early = testParcel(countyId, net.v1, { coldChainProfileId: 'chilled' });
    const through = [testParcel(countyId, net.v2, { coldChainProfileId: 'chilled' }), testParcel(countyId, net.v2, { coldChainProfileId: 'frozen' })];
    // 7 °C from minute 50 to 95: 45 min out of 0–4 °C; the frozen parcel's −18 °C is far off all along anyway.
    await readings(net.vanContainer, 0, 130, (m) => (m >= 50 && m < 95 ? 7 : 2));
    const road = await drive(net, { v1: [early], v2: through });
    await road.depart(at(2));
    await road.arrive(1, at(40));
    await road.handOver(1, at(44));
    await road.arrive(2, at(100));
    await road.handOver(2, at(104));

    const records = await Promise.all([early, ...through].map((p) => recordAt(p.id, 1)));
    expect(records.map((r) => r.record.compliant)).toEqual([true, false, false]);
    expect(records[1]!.record).toMatchObject({ minutesOutOfRange: 45, maxC: 7, compliant: false });
    // The tracker's excursion of the van, listed for the parcels that were in it then, not for the one before it.
    expect(records[1]!.record.excursions).toEqual([expect.objectContaining({ startedAt: at(50), minutes: expect.any(Number) })]);
    expect(records[1]!.record.excursions[0]!.minutes).toBeGreaterThanOrEqual(45);
    expect(records[0]!.record.excursions).toEqual([]);
    expect(records[1]!.record.reasons).toContain('tolerance_exceeded: out of range (0–4 °C) for 45 min in total, more than the 30 min tolerated');
    expect(records[0]!.record).toMatchObject({ minutesOutOfRange: 0, maxC: 2 });
    expect(records[2]!.record.reasons[0]).toMatch(/^tolerance_exceeded: out of range \(-60–-18 °C\)/);
  });

  it('is revised when a reading arrives late for a container and time it covers, and publishes the revision; a reading elsewhere revises nothing', async () => {
    const net = await network();
    const parcel = testParcel(countyId, net.v2, { coldChainProfileId: 'chilled' });
    // The gateway was out of coverage from minute 30: only the first half hour arrived before the hand-over.
    await readings(net.vanContainer, 0, 30, () => 2);
    const road = await drive(net, { v1: [], v2: [parcel] });
    await road.depart(at(2));
    await road.arrive(2, at(80));
    await road.handOver(2, at(84));
    const first = await recordAt(parcel.id, 1);
    // Readings at 5 … 25 in the van while the parcel was on board (minute 2 to 84); the last stands to 40.
    expect(first.record).toMatchObject({ readings: 5, minutesInRange: 38, compliant: false });
    expect(first.record.reasons).toEqual(['readings_missing: no reading for 44 min of its 82 min in containers, more than the 30 min out of range tolerated']);

    // Back in coverage: the buffered readings arrive, warm from minute 40 to 80.
    await readings(net.vanContainer, 30, 100, (m) => (m >= 40 && m < 80 ? 6 : 2));
    const revised = await recordAt(parcel.id, 2);
    expect(revised.cause).toBe('late_reading');
    expect(revised.record).toMatchObject({ revision: 2, readings: 16, minutesInRange: 42, minutesOutOfRange: 40, compliant: false });
    expect(revised.record.reasons).toContain('tolerance_exceeded: out of range (0–4 °C) for 40 min in total, more than the 30 min tolerated');
    await waitFor(async () => ((await publishedRecords(parcel.id)).map((r) => r.revision).join() === '1,2' ? true : undefined));

    // Readings of the van after the hand-over, and of another container, leave the record as it is.
    await readings(net.vanContainer, 100, 120, () => 9);
    await readings(`${net.v1}/cold-room`, 0, 100, () => 9);
    await coldchain.readings.idle();
    const again = await coldchain.call('GET', `/coldchain/parcels/${parcel.id}/compliance`, operator);
    expect(again.json().record.revision).toBe(2);
  });

  it('gives the same record for readings sent in order and for the same readings shuffled and sent twice', async () => {
    const [a, b] = [await network(), await network()];
    const parcels = [testParcel(countyId, a.v2, { coldChainProfileId: 'chilled' }), testParcel(countyId, b.v2, { coldChainProfileId: 'chilled' })];
    const temperature = (m: number) => Math.round((2.5 + 2.2 * Math.sin(m / 9)) * 10) / 10;
    await readings(a.vanContainer, 0, 100, temperature);
    const items = [];
    for (let m = 0; m < 100; m += 5) items.push({ containerId: b.vanContainer, sensorId: 's1', measuredAt: at(m), temperatureC: temperature(m) });
    const shuffled = [...items, ...items].map((item, i) => ({ item, k: (i * 7919) % 83 })).sort((x, y) => x.k - y.k).map((x) => x.item);
    for (const batch of [shuffled.slice(0, 15), shuffled.slice(15)]) expect((await coldchain.call('POST', '/coldchain/readings', operator, { readings: batch })).statusCode).toBeLessThan(300);
    for (const [net, parcel] of [[a, parcels[0]!], [b, parcels[1]!]] as const) {
      const road = await drive(net, { v1: [], v2: [parcel] });
      await road.depart(at(2));
      await road.arrive(2, at(80));
      await road.handOver(2, at(84));
    }
    const [ra, rb] = await Promise.all(parcels.map((p) => recordAt(p.id, 1)));
    // Two vans: the ids that name them (container, excursion ids made from it) differ, nothing else.
    const comparable = (r: ComplianceRecord) => ({
      ...r,
      parcelId: undefined,
      containers: r.containers.map((c) => ({ ...c, containerId: undefined })),
      excursions: r.excursions.map((e) => ({ ...e, excursionId: undefined })),
    });
    expect(comparable(rb!.record)).toEqual(comparable(ra!.record));
    expect(ra!.record.readings).toBe(16);
    expect(ra!.record.excursions).toHaveLength(2);
  });

  it('records produce’s pre-cooling from its collection to its line-haul hand-over at the center', async () => {
    const net = await network();
    const peach = testParcel(countyId, net.v2, { direction: 'upstream', coldChainProfileId: 'yellow-peach', courierId: 'sf' });
    await readings(net.vanContainer, 80, 135, () => 6);
    await readings(`${net.center}/cold-room`, 120, 400, (m) => (m < 150 ? 5 : 2));
    const road = await drive(net, { v1: [], v2: [], pickups: [peach] });
    await road.depart(at(2));
    await road.arrive(2, at(80));
    await road.collect(2, at(88));
    await road.returnToDepot(at(130));
    await intake.parcelEvents(parcelSteps.handedOver(peach, at(360), net.center));
    // Intake's hand-over may reach coldchain before dispatch's return does (two topics): the record is then revised
    // once the return puts the produce in the center's cold room. Either way it ends the same.
    const { record } = await recordWhere(peach.id, (r) => r.containers.length === 2);
    expect(record).toMatchObject({
      profileId: 'yellow-peach',
      containers: [
        { containerId: net.vanContainer, from: at(88), to: at(130) },
        { containerId: `${net.center}/cold-room`, from: at(130), to: at(360) },
      ],
      precooling: { required: true, reachedAt: at(150), missed: false },
      // 6 °C in the van (42 min), 5 °C in the cold room until minute 150 (20 min).
      minutesOutOfRange: 62,
      compliant: false,
    });
    expect(record.reasons).toEqual(['tolerance_exceeded: out of range (0–4 °C) for 62 min in total, more than the 30 min tolerated']);
  });

  it('refuses what it cannot answer: no record yet, a bad parcel id, another courier’s parcel, the bureau', async () => {
    const net = await network();
    const parcel = testParcel(countyId, net.v1, { coldChainProfileId: 'chilled', courierId: 'zto' });
    await readings(net.vanContainer, 0, 60, () => 2);
    const road = await drive(net, { v1: [parcel], v2: [] });
    const url = `/coldchain/parcels/${parcel.id}/compliance`;
    expect((await coldchain.call('GET', url, operator)).json().error.code).toBe('COMPLIANCE_NOT_FOUND');
    await road.depart(at(2));
    await road.arrive(1, at(40));
    await road.handOver(1, at(44));
    await recordAt(parcel.id, 1);
    const courier = (courierId: string) => coldchain.issue(countyId, 'courier', { courierId });
    expect((await coldchain.call('GET', url, await courier('zto'))).statusCode).toBe(200);
    expect((await coldchain.call('GET', url, await courier('yunda'))).statusCode).toBe(403);
    expect((await coldchain.call('GET', url, await coldchain.issue(countyId, 'bureau'))).statusCode).toBe(403);
    expect((await coldchain.call('GET', `${url}?revision=9`, operator)).statusCode).toBe(404);
    const bad = await coldchain.call('GET', '/coldchain/parcels/not-a-uuid/compliance', operator);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['params.parcelId']);
    expect((await coldchain.call('GET', url, await coldchain.issue('cn-500237', 'operator'))).statusCode).toBe(404);
  });
});

describe('the stability budget', () => {
  it('lists the cold-chain parcels in transit with the tolerance their containers’ excursions left them, least first', async () => {
    const [calm, brief, open] = [await network(), await network(), await network()];
    const parcels = { calm: testParcel(countyId, calm.v1, { coldChainProfileId: 'chilled' }), brief: testParcel(countyId, brief.v1, { coldChainProfileId: 'chilled' }) };
    const stuck = testParcel(countyId, open.v1, { coldChainProfileId: 'chilled' });
    const delivered = testParcel(countyId, calm.v1, { coldChainProfileId: 'chilled' });
    await readings(calm.vanContainer, 0, 470, () => 2);
    // 8 °C from minute 100 to 120: one excursion of about 20 min, over.
    await readings(brief.vanContainer, 0, 470, (m) => (m >= 100 && m < 120 ? 8 : 2));
    // Warm since minute 300 and still: an open excursion, counted up to now.
    await readings(open.vanContainer, 0, 470, (m) => (m >= 300 ? 9 : 2));
    for (const [net, own] of [[calm, [parcels.calm, delivered]], [brief, [parcels.brief]], [open, [stuck]]] as const) {
      const road = await drive(net, { v1: [...own], v2: [] });
      await road.depart(at(2));
    }
    await intake.parcelEvents(parcelSteps.delivered(delivered, at(300)));
    const mine = new Set([parcels.calm.id, parcels.brief.id, stuck.id, delivered.id]);
    const list = async (query: string) => {
      const res = await coldchain.call('GET', `/coldchain/parcels${query}`, operator);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { parcelId: string; budgetLeftMinutes: number; containerId: string | null; inTransit: boolean; toleratedMinutes: number }[]).filter((i) => mine.has(i.parcelId));
    };
    const items = await waitFor(async () => {
      const found = await list('?inTransit=true');
      return found.length === 3 && found[0]!.budgetLeftMinutes < 0 && found[1]!.budgetLeftMinutes < 30 ? found : undefined;
    });
    expect(items.map((i) => i.parcelId)).toEqual([stuck.id, parcels.brief.id, parcels.calm.id]);
    expect(items[0]!.budgetLeftMinutes).toBeLessThan(-100);
    expect(items[1]!.budgetLeftMinutes).toBeGreaterThan(0);
    expect(items[2]).toMatchObject({ budgetLeftMinutes: 30, toleratedMinutes: 30, containerId: calm.vanContainer, inTransit: true });
    const all = await list('?inTransit=false');
    expect(all.find((i) => i.parcelId === delivered.id)).toMatchObject({ inTransit: false, containerId: null });
    const courier = await coldchain.issue(countyId, 'courier', { courierId: 'nobody' });
    expect((await coldchain.call('GET', '/coldchain/parcels', courier)).json().items).toEqual([]);
    expect((await coldchain.call('GET', '/coldchain/parcels?limit=0', operator)).statusCode).toBe(400);
  });
});
