import { randomUUID } from 'node:crypto';
import { topics } from '@county/contracts';
import { publish, readTopic } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { testParcel } from '../../dispatch/test/readmodel-events.js';
import { runningDispatch, type RunningDispatch } from '../../dispatch/test/field-support.js';
import { parcelsInContainer } from '../src/catalogue/index.js';
import {
  after,
  applied,
  confirmRoute,
  masterDataApplied,
  freshId,
  handheld,
  intakeStandIn,
  parcelSteps,
  reefer,
  runningColdchain,
  station,
  type RunningColdchain,
} from './catalogue-support.js';

const iso = isolation();
const config = testConfig(iso);
// dispatch beside coldchain on the same topics, in a schema of its own.
const dispatchConfig = testConfig(iso, { DB_SCHEMA: `${iso.schema}_dispatch` });
const countyId = 'cn-511623';
let coldchain: RunningColdchain;
let dispatch: RunningDispatch;
let intake: Awaited<ReturnType<typeof intakeStandIn>>;
let operator: string;

beforeAll(async () => {
  // This suite is about bindings: compliance, which the hand-overs set off, reads no readings or excursions here
  // (the compliance suites read the real ones).
  const quiet = { readingsBetween: async () => [], excursionsBetween: async () => [] };
  [coldchain, dispatch] = await Promise.all([runningColdchain(config, { compliancePorts: quiet }), runningDispatch(dispatchConfig)]);
  intake = await intakeStandIn(config);
  operator = await coldchain.issue(countyId, 'operator');
});

afterAll(async () => {
  await intake?.close();
  await Promise.all([coldchain?.runtime.lifecycle.shutdown(), dispatch?.runtime.lifecycle.shutdown()]);
});

const T0 = new Date(Math.floor((Date.now() - 6 * 3600_000) / 60_000) * 60_000).toISOString();
const at = (minute: number) => after(T0, minute);

interface BindingItem {
  parcelId: string;
  containerId: string;
  from: string;
  to: string | null;
  origin: string;
}

async function bindingsOf(parcelId: string): Promise<BindingItem[]> {
  const res = await coldchain.call('GET', `/coldchain/bindings?parcelId=${parcelId}`, operator);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.map(({ parcelId: p, containerId, from, to, origin }: BindingItem) => ({ parcelId: p, containerId, from, to, origin }));
}

/** Waits until the parcel's bindings are these (containers and times). */
async function bindingsBecome(parcelId: string, expected: Omit<BindingItem, 'parcelId' | 'origin'>[]): Promise<void> {
  const want = JSON.stringify(expected.map((b) => ({ parcelId, ...b, origin: 'events' })));
  await waitFor(async () => (JSON.stringify(await bindingsOf(parcelId)) === want ? true : undefined), { timeoutMs: 30_000 });
}

/** The network of one test: a center and a village station with cold rooms, one without, a refrigerated van. */
async function network() {
  const ids = { center: freshId('st-center'), v1: freshId('st-v1'), v2: freshId('st-v2'), van: freshId('van') };
  const events = await intake.masterData(
    { station: station(countyId, ids.center, 'center', 20) },
    { station: station(countyId, ids.v1, 'village', 5) },
    { station: station(countyId, ids.v2, 'village') },
    { vehicle: reefer(countyId, ids.van, { depotStationId: ids.center }) },
  );
  await masterDataApplied(coldchain, events);
  return ids;
}

describe('bindings from dispatch’s and intake’s events', () => {
  it('loads a route’s refrigerated parcels at departure and collection, unloads them at hand-over and return, and keeps cold-room stays until delivery or line-haul', async () => {
    const net = await network();
    const d1 = testParcel(countyId, net.v1, { coldChainProfileId: 'chilled' });
    const d2 = testParcel(countyId, net.v2, { coldChainProfileId: 'chilled' });
    const ambient = testParcel(countyId, net.v1);
    const peach = testParcel(countyId, net.v2, { direction: 'upstream', coldChainProfileId: 'yellow-peach', courierId: 'sf' });
    await intake.parcelEvents(parcelSteps.manifested(d1, at(-120)), parcelSteps.manifested(d2, at(-120)), parcelSteps.booked(peach, at(-100)));

    const { routeId } = await confirmRoute(dispatch.runtime, {
      countyId,
      vehicleId: net.van,
      depotStationId: net.center,
      departure: T0,
      stops: [
        { stationId: net.v1, deliveries: [d1, ambient] },
        { stationId: net.v2, deliveries: [d2], pickups: [peach] },
      ],
    });
    const driver = await dispatch.issue(countyId, 'driver', { vehicleIds: [net.van] });
    const road = handheld(dispatch, driver, routeId);
    await road.depart(at(2));
    await road.arrive(1, at(41));
    await road.handOver(1, at(44));
    await road.arrive(2, at(83));
    await road.handOver(2, at(86));
    await road.collect(2, at(88));
    await road.returnToDepot(at(130));

    const van = `${net.van}/refrigerated`;
    await bindingsBecome(d1.id, [
      { containerId: van, from: at(2), to: at(44) },
      { containerId: `${net.v1}/cold-room`, from: at(44), to: null },
    ]);
    await bindingsBecome(d2.id, [{ containerId: van, from: at(2), to: at(86) }]);
    await bindingsBecome(peach.id, [
      { containerId: van, from: at(88), to: at(130) },
      { containerId: `${net.center}/cold-room`, from: at(130), to: null },
    ]);
    expect(await bindingsOf(ambient.id)).toEqual([]);

    await intake.parcelEvents(parcelSteps.delivered(d1, at(200)), parcelSteps.handedOver(peach, at(300), net.center));
    await bindingsBecome(d1.id, [
      { containerId: van, from: at(2), to: at(44) },
      { containerId: `${net.v1}/cold-room`, from: at(44), to: at(200) },
    ]);
    await bindingsBecome(peach.id, [
      { containerId: van, from: at(88), to: at(130) },
      { containerId: `${net.center}/cold-room`, from: at(130), to: at(300) },
    ]);

    // What the tracker asks: whose goods were in the van between two instants.
    expect(await parcelsInContainer(coldchain.runtime.pool, countyId, van, new Date(at(50)), new Date(at(60)))).toEqual([d2.id]);
    expect(await parcelsInContainer(coldchain.runtime.pool, countyId, van, new Date(at(0)), new Date(at(200)))).toEqual([d1.id, d2.id, peach.id].sort());
    expect(await parcelsInContainer(coldchain.runtime.pool, countyId, van, new Date(at(130)), new Date(at(140)))).toEqual([]);
  });

  it('gives the same bindings when intake’s delivery arrives before dispatch’s hand-over, and applies a redelivered event once', async () => {
    const net = await network();
    const parcel = testParcel(countyId, net.v1, { coldChainProfileId: 'frozen' });
    await intake.parcelEvents(parcelSteps.manifested(parcel, at(-60)));
    const { routeId } = await confirmRoute(dispatch.runtime, { countyId, vehicleId: net.van, depotStationId: net.center, departure: T0, stops: [{ stationId: net.v1, deliveries: [parcel] }] });
    const driver = await dispatch.issue(countyId, 'driver', { vehicleIds: [net.van] });
    const road = handheld(dispatch, driver, routeId);
    await road.depart(at(5));
    await waitFor(async () => ((await bindingsOf(parcel.id)).length === 1 ? true : undefined));

    // The station keeper's delivery scan reaches coldchain before the driver's hand-over does.
    const delivered = parcelSteps.delivered(parcel, at(95));
    await intake.parcelEvents(delivered);
    await bindingsBecome(parcel.id, [{ containerId: `${net.van}/refrigerated`, from: at(5), to: at(95) }]);
    await road.arrive(1, at(50));
    await road.handOver(1, at(52));
    const expected = [
      { containerId: `${net.van}/refrigerated`, from: at(5), to: at(52) },
      { containerId: `${net.v1}/cold-room`, from: at(52), to: at(95) },
    ];
    await bindingsBecome(parcel.id, expected);

    // Kafka delivers the delivery again (a relay publishing twice): the inbox stops it, nothing changes.
    await publish(intake.producer, `${config.TOPIC_PREFIX}${topics.parcelEvents.name}`, [{ key: delivered.subject, value: JSON.stringify(delivered) }]);
    const marker = parcelSteps.manifested(testParcel(countyId, net.v1, { coldChainProfileId: 'frozen' }), at(0));
    await intake.parcelEvents(marker);
    await applied(coldchain, 'coldchain.catalogue-parcels', marker.id);
    await bindingsBecome(parcel.id, expected);
  });

  it('leaves parcels of a cancelled route unbound, ignores parcels that are not cold-chain ones, and dead-letters an event that fails its contract', async () => {
    const net = await network();
    const parcel = testParcel(countyId, net.v1, { coldChainProfileId: 'chilled' });
    const { routeId } = await confirmRoute(dispatch.runtime, { countyId, vehicleId: net.van, depotStationId: net.center, departure: T0, stops: [{ stationId: net.v1, deliveries: [parcel] }] });
    const res = await dispatch.call('POST', `/dispatch/routes/${routeId}/cancel`, await dispatch.issue(countyId, 'operator'), { eventId: randomUUID(), reason: '车辆故障', occurredAt: at(1) });
    expect(res.statusCode, res.body).toBe(201);
    await applied(coldchain, 'coldchain.catalogue-dispatch', res.json().event.id);
    const { rowCount: loads } = await coldchain.runtime.pool.query(`SELECT 1 FROM route_loads WHERE route_id = $1`, [routeId]);
    expect(loads).toBe(0);
    expect(await bindingsOf(parcel.id)).toEqual([]);

    const plain = testParcel(countyId, net.v1);
    const plainDelivered = parcelSteps.delivered(plain, at(10));
    await intake.parcelEvents(parcelSteps.manifested(plain, at(0)), plainDelivered);
    await applied(coldchain, 'coldchain.catalogue-parcels', plainDelivered.id);
    const { rowCount } = await coldchain.runtime.pool.query(`SELECT 1 FROM cold_parcels WHERE parcel_id = $1`, [plain.id]);
    expect(rowCount).toBe(0);

    const bad = { ...parcelSteps.delivered(parcel, at(20)), data: { parcelId: 'not-a-uuid' } };
    await publish(intake.producer, `${config.TOPIC_PREFIX}${topics.parcelEvents.name}`, [{ key: bad.subject, value: JSON.stringify(bad) }]);
    const dlq = await waitFor(async () => {
      const records = await readTopic<{ consumer: string; original: { value: string }; reason: string }>(coldchain.runtime.kafka, `${config.TOPIC_PREFIX}${topics.parcelEvents.name}.dlq`);
      return records.find((r) => r.value.consumer === 'coldchain.catalogue-parcels' && r.value.original.value.includes(bad.id));
    });
    expect(dlq.value.reason).toMatch(/data/);
  });
});
