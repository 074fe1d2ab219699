import { randomUUID } from 'node:crypto';
import { buildEvent, deadLetterTopic, topics, type Envelope, type EventData, type ParcelEventData } from '@county/contracts';
import { consume, publish, readDeadLetters, readTopic, withTransaction, type Producer, type Runtime, type TopicMessage } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import type { buildApp } from '../src/app.js';
import { dispatchConsumer, dispatchHandlers } from '../src/consumers/dispatch-events.js';
import { dispatchFactId } from '../src/parcels/domain/dispatch-facts.js';
import { at, pastBase } from './parcel-suite.js';
import { contract } from './parcel-intake-support.js';
import { seedParcel, type Network } from './seed.js';
import { courierProducer, runningIntake } from './support.js';

/**
 * Intake applying dispatch's events (issue #10) as it runs: the runtime with its relay, the dispatch
 * consumer, and dispatch's events published by a real producer on the suite's own `dispatch.events`.
 */

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
let runtime: Runtime;
let app: Awaited<ReturnType<typeof buildApp>>;
let net: Network;
let dispatch: Producer;
const keys = { operator: '', center: '', stationA: '', stationTown: '' };

beforeAll(async () => {
  const intake = await runningIntake(config, countyId);
  ({ runtime, app, net } = intake);
  await consume(runtime, dispatchConsumer(runtime));
  const key = (role: 'operator' | 'station', stationId?: string) =>
    intake.issue({ countyId, role, name: `${role} ${stationId ?? ''}`, rateLimitPerMinute: 100_000, ...(stationId ? { scope: { stationId } } : {}) });
  keys.operator = await key('operator');
  keys.center = await key('station', net.center);
  keys.stationA = await key('station', net.villageA);
  keys.stationTown = await key('station', net.town);
  dispatch = await courierProducer(config, `dispatch-${iso.id}`);
});

afterAll(async () => {
  await dispatch?.disconnect();
  await runtime?.lifecycle.shutdown();
});

const topic = (logical: string) => `${iso.topicPrefix}${logical}`;
const base = pastBase();
const when = (minutes: number) => at(base, minutes).toISOString();

type Tier = 'direct' | 'trunk' | 'village';
type DispatchType = keyof typeof eventTypes;
const eventTypes = {
  'dispatch.route_confirmed': true,
  'dispatch.route_departed': true,
  'dispatch.stop_handed_over': true,
  'dispatch.pickups_collected': true,
  'dispatch.stop_exception': true,
  'dispatch.route_returned': true,
  'dispatch.route_cancelled': true,
} as const;

/** A route as dispatch confirms it: its stops in order, with what is unloaded and collected at each. */
interface Route {
  routeId: string;
  tier: Tier;
  depotStationId: string;
  stops: { stationId: string; deliveries: string[]; pickups: string[] }[];
}

function route(stops: Route['stops'], { tier = 'direct', depotStationId }: { tier?: Tier; depotStationId?: string } = {}): Route {
  return { routeId: `r-${randomUUID().slice(0, 8)}`, tier, depotStationId: depotStationId ?? net.center, stops };
}

const fieldsOf = (r: Route) => ({ routeId: r.routeId, planId: 'plan-1', date: base.toISOString().slice(0, 10), waveId: 'w07', vehicleId: 'veh-1', tier: r.tier, depotStationId: r.depotStationId });

function event<T extends DispatchType>(type: T, data: EventData<T>, occurredAt: string): Envelope {
  return buildEvent({ type, countyId, subject: (data as { routeId: string }).routeId, source: 'dispatch', data, occurredAt: new Date(occurredAt) });
}

function confirmed(r: Route, minutes: number): Envelope {
  const stops = r.stops.map((stop, i) => ({
    sequence: i + 1,
    stationId: stop.stationId,
    plannedArrival: when(minutes + 60 + 30 * i),
    plannedDeparture: when(minutes + 70 + 30 * i),
    deliveries: stop.deliveries,
    pickups: stop.pickups,
    loadKgAfter: 10,
    loadM3After: 0.1,
  }));
  const parcels = r.stops.flatMap((stop, i) => [
    ...stop.deliveries.map((parcelId) => ({ parcelId, courierId: net.courierA, direction: 'downstream' as const, compartment: 'ambient' as const, stopSequence: i + 1 })),
    ...stop.pickups.map((parcelId) => ({ parcelId, courierId: net.courierA, direction: 'upstream' as const, compartment: 'ambient' as const, stopSequence: i + 1 })),
  ]);
  return event(
    'dispatch.route_confirmed',
    {
      ...fieldsOf(r),
      plannedDeparture: when(minutes + 30),
      plannedReturn: when(minutes + 300),
      distanceKm: 42,
      durationMinutes: 270,
      cost: { total: 180, fixed: 120, distance: 40, time: 20 },
      stops,
      parcels,
    },
    when(minutes),
  );
}

const deliveriesOf = (r: Route) => r.stops.flatMap((s) => s.deliveries);

const departed = (r: Route, minutes: number, parcelIds = deliveriesOf(r)) =>
  event('dispatch.route_departed', { ...fieldsOf(r), departedAt: when(minutes), parcelIds }, when(minutes));

function handedOver(r: Route, sequence: number, minutes: number, parcelIds = r.stops[sequence - 1]!.deliveries): Envelope {
  return event('dispatch.stop_handed_over', { ...fieldsOf(r), stationId: r.stops[sequence - 1]!.stationId, sequence, handedOverAt: when(minutes), parcelIds }, when(minutes));
}

const collected = (r: Route, sequence: number, minutes: number) =>
  event('dispatch.pickups_collected', { ...fieldsOf(r), stationId: r.stops[sequence - 1]!.stationId, sequence, collectedAt: when(minutes), parcelIds: r.stops[sequence - 1]!.pickups }, when(minutes));

const returned = (r: Route, minutes: number, collectedParcelIds: string[], undeliveredParcelIds: string[] = []) =>
  event('dispatch.route_returned', { ...fieldsOf(r), returnedAt: when(minutes), collectedParcelIds, undeliveredParcelIds }, when(minutes));

const cancelled = (r: Route, minutes: number, parcelIds = deliveriesOf(r)) =>
  event('dispatch.route_cancelled', { ...fieldsOf(r), parcelIds, reason: '车辆故障' }, when(minutes));

/** Publishes as dispatch's relay does: keyed by route id, gzip. */
async function send(...events: Envelope[]): Promise<void> {
  await publish(dispatch, topic(topics.dispatchEvents.name), events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
}

/** Parcels of courier A to `stationId`, announced by an operator and received at the center. */
async function receivedParcels(count: number, stationId = net.villageA): Promise<string[]> {
  const announced = await app.inject({
    method: 'POST',
    url: '/parcels/batch',
    headers: { 'x-api-key': keys.operator },
    payload: { courierId: net.courierA, parcels: Array.from({ length: count }, () => contract({ stationId })) },
  });
  expect(announced.statusCode, announced.body).toBe(200);
  const ids = (announced.json().results as { parcelId: string }[]).map((r) => r.parcelId);
  const received = await app.inject({
    method: 'POST',
    url: '/scans/batch',
    headers: { 'x-api-key': keys.center },
    payload: { scans: ids.map((parcelId) => ({ kind: 'receive', parcel: { parcelId }, stationId: net.center, occurredAt: when(0) })) },
  });
  expect(received.statusCode, received.body).toBe(200);
  expect(received.json().summary).toMatchObject({ applied: count, rejected: 0 });
  return ids;
}

async function states(ids: readonly string[]): Promise<Record<string, string>> {
  const { rows } = await runtime.pool.query<{ id: string; state: string }>('SELECT id, state FROM parcels WHERE id = ANY($1::uuid[])', [ids]);
  return Object.fromEntries(rows.map((r) => [r.id, r.state]));
}

/** Waits until every parcel is in `state`. */
async function reach(ids: readonly string[], state: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(async () => {
    const now = await states(ids);
    return ids.every((id) => now[id] === state) ? true : undefined;
  }, { timeoutMs });
}

/** Waits until the consumer has applied the event (its inbox row). */
async function applied(e: Envelope): Promise<void> {
  await waitFor(async () => {
    const { rowCount } = await runtime.pool.query(`SELECT 1 FROM inbox WHERE consumer = 'intake.dispatch' AND event_id = $1`, [e.id]);
    return rowCount ? true : undefined;
  });
}

async function factsOf(parcelId: string): Promise<{ kind: string; fact_id: string }[]> {
  const { rows } = await runtime.pool.query('SELECT kind, fact_id FROM parcel_facts WHERE parcel_id = $1 ORDER BY occurred_at, fact_id', [parcelId]);
  return rows;
}

/** Waits until the relay has published everything written so far, then reads the parcels' events. */
async function parcelEvents(ids: readonly string[]): Promise<Map<string, Envelope<ParcelEventData>[]>> {
  await waitFor(async () => {
    const { rows } = await runtime.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
    return rows[0].n === 0 ? true : undefined;
  });
  const messages: TopicMessage<Envelope<ParcelEventData>>[] = await readTopic(runtime.kafka, topic(topics.parcelEvents.name));
  const byParcel = new Map<string, Envelope<ParcelEventData>[]>(ids.map((id) => [id, []]));
  for (const m of messages) byParcel.get(m.key!)?.push(m.value);
  return byParcel;
}

async function deadLetterOf(e: Envelope) {
  return waitFor(async () => {
    const records = await readDeadLetters(runtime.kafka, deadLetterTopic(topic(topics.dispatchEvents.name)));
    return records.find((r) => r.record.original.value && (JSON.parse(r.record.original.value) as Envelope).id === e.id)?.record;
  });
}

async function scan(apiKey: string, body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/scans', headers: { 'x-api-key': apiKey }, payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('intake applying dispatch’s events', () => {
  it('moves each parcel of a route through sorted, departed and at_station exactly once, in intake and on parcel.events, though every event came twice', async () => {
    const toA = await receivedParcels(2, net.villageA);
    const toB = await receivedParcels(1, net.villageB);
    const r = route([
      { stationId: net.villageA, deliveries: toA, pickups: [] },
      { stationId: net.villageB, deliveries: toB, pickups: [] },
    ]);
    const events = [confirmed(r, 60), departed(r, 90), handedOver(r, 1, 150), handedOver(r, 2, 180)];
    // Every event twice on the broker (a relay that published again), then all of them again.
    await send(...events.flatMap((e) => [e, e]));
    const parcels = [...toA, ...toB];
    await reach(parcels, 'at_station');
    await send(...events);
    const sentinel = departed(r, 95);
    await send(sentinel);
    await applied(sentinel);

    for (const id of parcels) {
      const kinds = (await factsOf(id)).map((f) => f.kind).sort();
      expect(kinds).toEqual(['manifested', 'receive', 'route_confirmed', 'route_departed', 'route_departed', 'stop_handed_over']);
    }
    const onTopic = await parcelEvents(parcels);
    for (const id of parcels) {
      const moves = onTopic.get(id)!.filter((e) => e.data.moved).map((e) => e.type);
      expect(moves).toEqual(['parcel.manifested', 'parcel.received', 'parcel.sorted', 'parcel.departed', 'parcel.arrived_at_station']);
      const arrival = onTopic.get(id)!.find((e) => e.type === 'parcel.arrived_at_station')!;
      expect(arrival).toMatchObject({
        source: 'intake',
        data: { state: 'at_station', fact: { kind: 'stop_handed_over', routeId: r.routeId, actor: { keyId: 'dispatch', role: 'service' } } },
      });
    }
    // The second departure (a new event of the same step) confirms; it moves nothing.
    const second = onTopic.get(toA[0]!)!.filter((e) => e.data.fact.id === dispatchFactId(sentinel.id, toA[0]!));
    expect(second.map((e) => [e.type, e.data.moved, e.data.state])).toEqual([['parcel.departed', false, 'at_station']]);
    const inbox = await runtime.pool.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'intake.dispatch' AND event_id = ANY($1)`, [events.map((e) => e.id)]);
    expect(inbox.rows[0].n).toBe(4);
  });

  it('applies an event handled again past the inbox (a consumer renamed, a second group) once: its facts are known by their ids', async () => {
    const ids = await receivedParcels(2);
    const r = route([{ stationId: net.villageA, deliveries: ids, pickups: [] }]);
    const confirm = confirmed(r, 60);
    await send(confirm);
    await reach(ids, 'sorted');
    const outboxRows = async () => (await runtime.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n as number;
    const before = await outboxRows();
    const handler = dispatchHandlers(runtime)['dispatch.route_confirmed']!;
    const meta = { key: r.routeId, topic: topic(topics.dispatchEvents.name), partition: 0, offset: '0' };
    const result = await withTransaction(runtime.pool, (tx) => handler.handle(tx, confirm, meta));
    expect(result).toEqual({ rejected: [] });
    expect(await outboxRows()).toBe(before);
    for (const id of ids) expect((await factsOf(id)).filter((f) => f.kind === 'route_confirmed')).toEqual([{ kind: 'route_confirmed', fact_id: dispatchFactId(confirm.id, id) }]);
  });

  it('counts a station keeper’s hand-over scan as confirming, before or after the driver’s report', async () => {
    const [keeperFirst, driverFirst] = await receivedParcels(2, net.villageA);
    const r = route([{ stationId: net.villageA, deliveries: [keeperFirst!, driverFirst!], pickups: [] }]);
    await send(confirmed(r, 60), departed(r, 90));
    await reach([keeperFirst!, driverFirst!], 'departed');

    const keeperScan = (parcelId: string) => scan(keys.stationA, { kind: 'handover', parcel: { parcelId }, stationId: net.villageA, occurredAt: when(152), scanId: `h-${parcelId}` });
    expect(await keeperScan(keeperFirst!)).toMatchObject({ result: 'applied', state: 'at_station' });
    const driver = handedOver(r, 1, 150);
    await send(driver);
    await applied(driver);
    expect(await keeperScan(driverFirst!)).toMatchObject({ result: 'confirming', state: 'at_station' });

    const onTopic = await parcelEvents([keeperFirst!, driverFirst!]);
    for (const id of [keeperFirst!, driverFirst!]) {
      const arrivals = onTopic.get(id)!.filter((e) => e.type === 'parcel.arrived_at_station');
      expect(arrivals.map((e) => [e.data.fact.kind, e.data.moved, e.data.confirming])).toEqual(
        id === keeperFirst ? [['handover', true, false], ['stop_handed_over', false, true]] : [['stop_handed_over', true, false], ['handover', false, true]],
      );
    }
    const view = await app.inject({ method: 'GET', url: `/parcels/${keeperFirst}`, headers: { 'x-api-key': keys.operator } });
    const stationEntries = (view.json().timeline as { state: string; confirming: boolean; fact: string }[]).filter((t) => t.state === 'at_station');
    expect(stationEntries.map((t) => [t.fact, t.confirming])).toEqual([['stop_handed_over', false], ['handover', true]]);
  });

  it('returns the parcels of a route cancelled before departure to received, and they can be sorted on another route', async () => {
    const ids = await receivedParcels(2);
    const first = route([{ stationId: net.villageA, deliveries: ids, pickups: [] }]);
    await send(confirmed(first, 60));
    await reach(ids, 'sorted');
    await send(cancelled(first, 70));
    await reach(ids, 'received');
    const again = route([{ stationId: net.villageA, deliveries: ids, pickups: [] }]);
    await send(confirmed(again, 80));
    await reach(ids, 'sorted');

    const onTopic = await parcelEvents(ids);
    for (const id of ids) {
      expect(onTopic.get(id)!.map((e) => [e.type, e.data.state])).toEqual([
        ['parcel.manifested', 'manifested'],
        ['parcel.received', 'received'],
        ['parcel.sorted', 'sorted'],
        ['parcel.sort_cancelled', 'received'],
        ['parcel.sorted', 'sorted'],
      ]);
    }
  });

  it('refuses to cancel a route for a parcel it already took away, and applies the cancellation to the rest', async () => {
    const [left, stayed] = await receivedParcels(2);
    const r = route([{ stationId: net.villageA, deliveries: [left!, stayed!], pickups: [] }]);
    // Dispatch reported only one parcel on board when the vehicle left: the other stayed behind.
    await send(confirmed(r, 60), departed(r, 90, [left!]));
    await reach([left!], 'departed');
    const cancel = cancelled(r, 100);
    await send(cancel);
    await reach([stayed!], 'received');
    expect((await states([left!]))[left!]).toBe('departed');
    const dead = await deadLetterOf(cancel);
    expect(dead).toMatchObject({ consumer: 'intake.dispatch', failedIndexes: [0], itemsPath: 'parcelIds' });
    expect(dead.issues[0]!.reason).toMatch(/^ROUTE_ALREADY_DEPARTED: route r-\w+ left the center/);
  });

  it('takes booked produce collected on a route to the center when the route returns', async () => {
    const produce = await seedParcel(runtime.pool, runtime.outbox, { countyId, courierId: net.courierA, direction: 'upstream', originStationId: net.villageB });
    const [parcel] = await receivedParcels(1, net.villageB);
    const r = route([{ stationId: net.villageB, deliveries: [parcel!], pickups: [produce.id] }]);
    const confirm = confirmed(r, 60);
    await send(confirm, departed(r, 90));
    await reach([parcel!], 'departed');
    // A confirmed route only plans its pickups: the produce is still booked.
    expect((await states([produce.id]))[produce.id]).toBe('booked');
    expect((await factsOf(produce.id)).map((f) => f.kind)).toEqual(['booked']);

    await send(handedOver(r, 1, 150), collected(r, 1, 155));
    await reach([produce.id], 'collected');
    await send(returned(r, 240, [produce.id]));
    await reach([produce.id], 'at_center');
    const onTopic = await parcelEvents([produce.id]);
    expect(onTopic.get(produce.id)!.map((e) => [e.type, e.data.fact.stationId ?? null])).toEqual([
      ['parcel.booked', null],
      ['parcel.collected', net.villageB],
      ['parcel.arrived_at_center', net.center],
    ]);
  });

  it('refuses the parcels a hand-over cannot apply to, each with its reason, and applies the others', async () => {
    const [good, other] = await receivedParcels(2, net.villageA);
    const [toB] = await receivedParcels(1, net.villageB);
    const produce = await seedParcel(runtime.pool, runtime.outbox, { countyId, courierId: net.courierA, direction: 'upstream', originStationId: net.villageA });
    const unknown = randomUUID();
    const r = route([{ stationId: net.villageA, deliveries: [good!, other!], pickups: [] }]);
    await send(confirmed(r, 60), departed(r, 90));
    await reach([good!, other!], 'departed');
    // The other parcel was delivered meanwhile (a late upload from the hills reached intake first).
    await scan(keys.stationA, { kind: 'deliver', parcel: { parcelId: other }, stationId: net.villageA, occurredAt: when(200) });

    const handover = handedOver(r, 1, 150, [good!, toB!, unknown, produce.id, other!]);
    await send(handover);
    const dead = await deadLetterOf(handover);
    expect(await states([good!, toB!, produce.id, other!])).toEqual({ [good!]: 'at_station', [toB!]: 'received', [produce.id]: 'booked', [other!]: 'delivered' });
    expect(dead.failedIndexes).toEqual([1, 2, 3]);
    expect(dead.itemsPath).toBe('parcelIds');
    expect(dead.issues.map((i) => [i.path, i.reason.split(':')[0]])).toEqual([
      ['1', 'WRONG_STATION'],
      ['2', 'PARCEL_NOT_FOUND'],
      ['3', 'WRONG_DIRECTION'],
    ]);
    expect(dead.issues[0]!.reason).toContain(`station ${net.villageA}, but this parcel's station is ${net.villageB}`);
    // A hand-over after the delivery is kept in the timeline, not refused.
    expect((await factsOf(other!)).map((f) => f.kind)).toContain('stop_handed_over');
  });

  it('records damage reported at a stop, and moves nothing when the station was closed', async () => {
    const [damaged, closedOut] = await receivedParcels(2, net.villageA);
    const r = route([{ stationId: net.villageA, deliveries: [damaged!, closedOut!], pickups: [] }]);
    const exception = (kind: 'damaged' | 'station_closed', parcelIds: string[], minutes: number) =>
      event('dispatch.stop_exception', { ...fieldsOf(r), stationId: net.villageA, sequence: 1, kind, reportedAt: when(minutes), parcelIds, reason: '外箱破损' }, when(minutes));
    const closed = exception('station_closed', [closedOut!], 151);
    await send(confirmed(r, 60), departed(r, 90), exception('damaged', [damaged!], 150), closed);
    await applied(closed);
    const { rows } = await runtime.pool.query('SELECT id, state, exception FROM parcels WHERE id = ANY($1::uuid[])', [[damaged, closedOut]]);
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.state, r.exception?.kind ?? null]]))).toEqual({
      [damaged!]: ['departed', 'damaged'],
      [closedOut!]: ['departed', null],
    });
    expect((await factsOf(closedOut!)).map((f) => f.kind).sort()).toEqual(['manifested', 'receive', 'route_confirmed', 'route_departed']);
  });

  it('brings a parcel of a two-tier plan to at_town on the trunk hand-over and to at_station from the village loop', async () => {
    const [parcel] = await receivedParcels(1, net.villageA);
    const trunk = route([{ stationId: net.town, deliveries: [parcel!], pickups: [] }], { tier: 'trunk' });
    const loop = route([{ stationId: net.villageA, deliveries: [parcel!], pickups: [] }], { tier: 'village', depotStationId: net.town });
    await send(confirmed(trunk, 60), departed(trunk, 90), handedOver(trunk, 1, 150));
    await reach([parcel!], 'at_town');
    // The town keeper's own scan of the same hand-over confirms it.
    expect(await scan(keys.stationTown, { kind: 'handover', parcel: { parcelId: parcel }, stationId: net.town, occurredAt: when(151) })).toMatchObject({ result: 'confirming' });
    await send(confirmed(loop, 61), departed(loop, 200), handedOver(loop, 1, 260));
    await reach([parcel!], 'at_station');
    const onTopic = await parcelEvents([parcel!]);
    expect(onTopic.get(parcel!)!.filter((e) => e.data.moved).map((e) => e.type)).toEqual([
      'parcel.manifested',
      'parcel.received',
      'parcel.sorted',
      'parcel.departed',
      'parcel.arrived_at_town',
      'parcel.arrived_at_station',
    ]);
  });

  it('two-tier produce: a village loop collects it and leaves it at its town station, a trunk collects it there (kept, not moved) and brings it to the center', async () => {
    const produce = await seedParcel(runtime.pool, runtime.outbox, { countyId, courierId: net.courierA, direction: 'upstream', originStationId: net.villageB });
    const stray = await seedParcel(runtime.pool, runtime.outbox, { countyId, courierId: net.courierA, direction: 'upstream', originStationId: net.villageB });
    const loop = route([{ stationId: net.villageB, deliveries: [], pickups: [produce.id] }], { tier: 'village', depotStationId: net.town });
    const loopBack = returned(loop, 200, [produce.id]);
    await send(confirmed(loop, 60), departed(loop, 90, []), collected(loop, 1, 150), loopBack);
    await applied(loopBack);
    // Back at the town station: still collected (the loop's return moves nothing).
    expect((await states([produce.id]))[produce.id]).toBe('collected');

    // The next wave's trunk collects it at the town station; a parcel never collected by a loop is not there.
    const trunk = route([{ stationId: net.town, deliveries: [], pickups: [produce.id, stray.id] }], { tier: 'trunk' });
    const pickup = collected(trunk, 1, 330);
    await send(confirmed(trunk, 300), departed(trunk, 310, []), pickup);
    const dead = await deadLetterOf(pickup);
    expect(dead.failedIndexes).toEqual([1]);
    expect(dead.issues.map((i) => i.reason.split(':')[0])).toEqual(['WRONG_STATION']);
    expect(await states([produce.id, stray.id])).toEqual({ [produce.id]: 'collected', [stray.id]: 'booked' });
    await send(returned(trunk, 400, [produce.id]));
    await reach([produce.id], 'at_center');

    const onTopic = await parcelEvents([produce.id]);
    expect(onTopic.get(produce.id)!.map((e) => [e.type, e.data.fact.stationId ?? null, e.data.moved, e.data.state, e.data.originStationId])).toEqual([
      ['parcel.booked', null, true, 'booked', net.villageB],
      ['parcel.collected', net.villageB, true, 'collected', net.villageB],
      ['parcel.collected', net.town, false, 'collected', net.villageB],
      ['parcel.arrived_at_center', net.center, true, 'at_center', net.villageB],
    ]);
    const { rows } = await runtime.pool.query('SELECT origin_station_id FROM parcels WHERE id = $1', [produce.id]);
    expect(rows[0].origin_station_id).toBe(net.villageB);
  });

  it('two-tier: a parcel a village loop brings back undelivered stays at_town, and the next loop from the town station delivers it', async () => {
    const [parcel] = await receivedParcels(1, net.villageA);
    const trunk = route([{ stationId: net.town, deliveries: [parcel!], pickups: [] }], { tier: 'trunk' });
    const loop = route([{ stationId: net.villageA, deliveries: [parcel!], pickups: [] }], { tier: 'village', depotStationId: net.town });
    const closed = event(
      'dispatch.stop_exception',
      { ...fieldsOf(loop), stationId: net.villageA, sequence: 1, kind: 'station_closed', reportedAt: when(250), parcelIds: [parcel!] },
      when(250),
    );
    const loopBack = returned(loop, 300, [], [parcel!]);
    await send(confirmed(trunk, 60), departed(trunk, 90), handedOver(trunk, 1, 150));
    await reach([parcel!], 'at_town');
    await send(confirmed(loop, 61), departed(loop, 200), closed, loopBack);
    await applied(loopBack);
    expect((await states([parcel!]))[parcel!]).toBe('at_town');

    const again = route([{ stationId: net.villageA, deliveries: [parcel!], pickups: [] }], { tier: 'village', depotStationId: net.town });
    await send(confirmed(again, 400), departed(again, 420), handedOver(again, 1, 480));
    await reach([parcel!], 'at_station');
    const onTopic = await parcelEvents([parcel!]);
    expect(onTopic.get(parcel!)!.map((e) => [e.type, e.data.moved])).toEqual([
      ['parcel.manifested', true],
      ['parcel.received', true],
      ['parcel.sorted', true],
      ['parcel.departed', true],
      ['parcel.arrived_at_town', true],
      ['parcel.sorted', false],
      ['parcel.departed', false],
      ['parcel.sorted', false],
      ['parcel.departed', false],
      ['parcel.arrived_at_station', true],
    ]);
  });

  it('sorts every parcel of a 1,500-parcel route, and dead-letters an event that fails its schema', async () => {
    const ids = await receivedParcels(1500, net.villageA);
    const r = route([{ stationId: net.villageA, deliveries: ids, pickups: [] }]);
    const broken = { ...departed(r, 90) };
    broken.data = { ...(broken.data as object), departedAt: 'yesterday' };
    await send(broken, confirmed(r, 60));
    await reach(ids, 'sorted', 60_000);
    const dead = await deadLetterOf(broken);
    expect(dead.issues).toEqual([{ path: 'data.departedAt', reason: expect.any(String) }]);
    const { rows } = await runtime.pool.query(`SELECT count(*)::int AS n FROM parcel_facts WHERE kind = 'route_confirmed' AND fact->>'routeId' = $1`, [r.routeId]);
    expect(rows[0].n).toBe(1500);
  });
});
