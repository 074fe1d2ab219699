import { consume, openRuntime, publish, readDeadLetters, type Runtime } from '@county/platform';
import { buildEvent, courierStatusTopic, deadLetterTopic, type Envelope, topics } from '@county/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger, waitFor } from '../../../tests/support/harness.js';
import { bookingConsumer } from '../src/consumers/bookings.js';
import { at, keyIdOf, parcelSuite, scan, type ParcelSuite } from './parcel-suite.js';
import { seedNetwork } from './seed.js';
import { intakeMigrationsDir } from './support.js';

const iso = isolation();
const config = testConfig(iso);
let s: ParcelSuite;

beforeAll(async () => {
  s = await parcelSuite(config);
});

afterAll(() => s?.close());

const booking = (extra: Record<string, unknown> = {}) => ({
  courierId: s.net.courierA,
  stationId: s.net.villageA,
  product: '黄桃',
  coldChainProfileId: 'stone-fruit',
  weightKg: 250,
  count: 50,
  ...extra,
});

let counter = 0;
const bookingId = () => `BK-${iso.id}-${++counter}`;

describe('POST /bookings', () => {
  it('books a pickup: a new upstream parcel in state booked, waybill = booking id, with product, profile, weight and count', async () => {
    const id = bookingId();
    const res = await s.call('POST', '/bookings', s.keys.operator, booking({ bookingId: id }));
    expect(res.statusCode, res.body).toBe(201);
    const parcel = res.json();
    expect(parcel).toMatchObject({
      courierId: s.net.courierA,
      waybill: id,
      direction: 'upstream',
      state: 'booked',
      progress: 'booked',
      originStationId: s.net.villageA,
      destinationStationId: null,
      contract: { bookingId: id, product: '黄桃', coldChainProfileId: 'stone-fruit', weightKg: 250, count: 50, volumeM3: 1.5, serviceType: 'cold_chain' },
    });
    expect(parcel.timeline).toEqual([
      expect.objectContaining({ event: 'parcel.booked', fact: 'booked', state: 'booked', actor: { keyId: keyIdOf(s.keys.operator), role: 'operator' } }),
    ]);
    const { rows } = await s.intake.pool.query(`SELECT topic, payload FROM outbox WHERE key = $1 ORDER BY seq`, [parcel.parcelId]);
    expect(rows.map((r) => r.topic)).toEqual([`${iso.topicPrefix}parcel.events`, `${iso.topicPrefix}courier.status.${s.net.courierA}`]);
    expect(rows[0].payload).toMatchObject({ type: 'parcel.booked', data: { state: 'booked', parcel: { weightKg: 250, coldChainProfileId: 'stone-fruit' } } });
  });

  it('the same booking again is the same parcel (200); the same booking id with other content is 409 naming the fields', async () => {
    const id = bookingId();
    const first = await s.call('POST', '/bookings', s.keys.operator, booking({ bookingId: id }));
    const again = await s.call('POST', '/bookings', s.keys.operator, booking({ bookingId: id }));
    expect(again.statusCode).toBe(200);
    expect(again.json().parcelId).toBe(first.json().parcelId);
    const changed = await s.call('POST', '/bookings', s.keys.operator, booking({ bookingId: id, weightKg: 300 }));
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error).toMatchObject({ code: 'BOOKING_CONFLICT', details: [{ path: 'body.weightKg' }] });
  });

  it('a station keeper books at its own station (the default), not at another (403)', async () => {
    const own = await s.call('POST', '/bookings', s.keys.stationA, booking({ stationId: undefined, bookingId: bookingId() }));
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ originStationId: s.net.villageA, timeline: [{ actor: { role: 'station' } }] });
    const other = await s.call('POST', '/bookings', s.keys.stationB, booking({ bookingId: bookingId() }));
    expect(other.statusCode).toBe(403);
  });

  it('a courier books for itself, with a generated booking id when it has none, and not for another courier (403)', async () => {
    const own = await s.call('POST', '/bookings', s.keys.courierA, booking({ courierId: undefined }));
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ courierId: s.net.courierA, waybill: expect.stringMatching(/^BK\d{8}[0-9A-F]{10}$/) });
    const other = await s.call('POST', '/bookings', s.keys.courierB, booking({ bookingId: bookingId() }));
    expect(other.statusCode).toBe(403);
  });

  it('names what is missing or unknown: courierId for center staff (400), an unknown or center station, an unknown courier (422)', async () => {
    const missing = await s.call('POST', '/bookings', s.keys.operator, booking({ courierId: undefined }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([expect.objectContaining({ path: 'body.courierId' })]);
    const unknown = await s.call('POST', '/bookings', s.keys.operator, booking({ stationId: 'st-nowhere' }));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({ code: 'UNKNOWN_STATION', details: [{ path: 'body.stationId' }] });
    expect((await s.call('POST', '/bookings', s.keys.operator, booking({ stationId: s.net.center }))).statusCode).toBe(422);
    const courier = await s.call('POST', '/bookings', s.keys.operator, booking({ courierId: 'no-such-courier' }));
    expect(courier.json().error).toMatchObject({ code: 'UNKNOWN_COURIER', details: [{ path: 'body.courierId' }] });
    const invalid = await s.call('POST', '/bookings', s.keys.operator, booking({ weightKg: -1 }));
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.details[0].path).toBe('body.weightKg');
  });

  it('is not for drivers or the bureau (403)', async () => {
    expect((await s.call('POST', '/bookings', s.keys.driver, booking())).statusCode).toBe(403);
    expect((await s.call('POST', '/bookings', s.keys.bureau, booking())).statusCode).toBe(403);
  });

  it('a retried booking with its Idempotency-Key is replayed, even without a booking id', async () => {
    const headers = { 'idempotency-key': `booking-${iso.id}` };
    const first = await s.call('POST', '/bookings', s.keys.courierA, booking({ courierId: undefined }), headers);
    const retry = await s.call('POST', '/bookings', s.keys.courierA, booking({ courierId: undefined }), headers);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().parcelId).toBe(first.json().parcelId);
  });

  it('a booked parcel is collected at its station; a collection elsewhere is 409 WRONG_STATION', async () => {
    const parcel = (await s.call('POST', '/bookings', s.keys.operator, booking({ bookingId: bookingId() }))).json();
    const base = new Date(Date.now() - 60_000);
    const elsewhere = await s.call('POST', '/scans', s.keys.driver, scan('collect', parcel.parcelId, s.net.villageB, base));
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().error.code).toBe('WRONG_STATION');
    const collected = await s.call('POST', '/scans', s.keys.driver, scan('collect', parcel.parcelId, s.net.villageA, base));
    expect(collected.json()).toMatchObject({ result: 'applied', state: 'collected' });
    const arrived = await s.call('POST', '/scans', s.keys.operator, scan('center_arrival', parcel.parcelId, s.net.center, at(base, 0.5)));
    expect(arrived.json()).toMatchObject({ result: 'applied', state: 'at_center' });
  });
});

describe('bookings on Kafka', () => {
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = openRuntime({ service: 'intake', config, migrationsDir: intakeMigrationsDir, logger: testLogger('intake') });
    await runtime.migrated;
    await seedNetwork(runtime.pool);
    await consume(runtime, bookingConsumer(runtime));
  });

  afterAll(() => runtime?.lifecycle.shutdown());

  const submitted = (data: Record<string, unknown>, source = s.net.courierA): Envelope =>
    buildEvent({ type: 'courier.booking_submitted', countyId: s.net.countyId, subject: source, source, data: data as never });

  /** Every record of a topic, parsed (the dead-letter reader reads any topic of JSON records). */
  const records = async (topic: string) => (await readDeadLetters(runtime.kafka, `${iso.topicPrefix}${topic}`)).map((r) => r.record as unknown as Record<string, unknown>);

  it('a booking creates a booked upstream parcel and a parcel.booked event; a bad station or another courier’s booking is dead-lettered with the reason', async () => {
    const good = submitted(booking({ bookingId: bookingId() }));
    const badStation = submitted(booking({ bookingId: bookingId(), stationId: 'st-atlantis' }));
    const impostor = submitted(booking({ bookingId: bookingId() }), s.net.courierB);
    await publish(
      runtime.producer,
      `${iso.topicPrefix}${topics.courierBookings.name}`,
      [good, badStation, impostor].map((event) => ({ key: event.source, value: JSON.stringify(event) })),
    );

    const bookingOf = (event: Envelope) => event.data as { bookingId: string };
    const parcel = await waitFor(async () => {
      const res = await s.call('GET', `/parcels/by-waybill/${s.net.courierA}/${bookingOf(good).bookingId}`, s.keys.courierA);
      return res.statusCode === 200 ? res.json<{ parcelId: string }>() : undefined;
    });
    expect(parcel).toMatchObject({
      direction: 'upstream',
      state: 'booked',
      originStationId: s.net.villageA,
      contract: { product: '黄桃', weightKg: 250, count: 50, coldChainProfileId: 'stone-fruit' },
      timeline: [{ fact: 'booked', occurredAt: good.occurredAt, actor: { keyId: s.net.courierA, role: 'courier' } }],
    });

    const dead = await waitFor(async () => {
      const found = await records(deadLetterTopic(topics.courierBookings.name));
      return found.length >= 2 ? found : undefined;
    });
    const reasons = dead.map((d) => d.reason as string);
    expect(reasons).toEqual(expect.arrayContaining([expect.stringContaining('unknown station st-atlantis'), expect.stringContaining(`books for courier ${s.net.courierA}`)]));
    for (const event of [badStation, impostor]) {
      const res = await s.call('GET', `/parcels/by-waybill/${s.net.courierA}/${bookingOf(event).bookingId}`, s.keys.operator);
      expect(res.statusCode).toBe(404);
    }

    const published = await waitFor(async () => {
      const events = await records(topics.parcelEvents.name);
      return events.find((e) => e.subject === parcel.parcelId);
    });
    expect(published).toMatchObject({ type: 'parcel.booked', countyId: s.net.countyId, data: { direction: 'upstream', state: 'booked', originStationId: s.net.villageA } });
  });

  it('a booking keyed by another courier than its source and data is dead-lettered with the reason, and books nothing', async () => {
    const keyedByB = submitted(booking({ bookingId: bookingId() }));
    await publish(runtime.producer, `${iso.topicPrefix}${topics.courierBookings.name}`, [{ key: s.net.courierB, value: JSON.stringify(keyedByB) }]);
    const dead = await waitFor(async () => {
      const found = await readDeadLetters(runtime.kafka, `${iso.topicPrefix}${deadLetterTopic(topics.courierBookings.name)}`);
      return found.find((d) => d.record.original.value?.includes(keyedByB.id))?.record;
    });
    expect(dead).toMatchObject({ reason: expect.stringContaining(`message key ${s.net.courierB}`), issues: [{ path: 'key' }], original: { key: s.net.courierB } });
    const { bookingId: id } = keyedByB.data as { bookingId: string };
    expect((await s.call('GET', `/parcels/by-waybill/${s.net.courierA}/${id}`, s.keys.operator)).statusCode).toBe(404);
  });

  it('a refused booking is told to its courier on its status topic; a booking sent by another courier is told to nobody', async () => {
    const badStation = submitted(booking({ bookingId: bookingId(), stationId: 'st-atlantis' }));
    const impostor = submitted(booking({ bookingId: bookingId() }), s.net.courierB);
    await publish(runtime.producer, `${iso.topicPrefix}${topics.courierBookings.name}`, [badStation, impostor].map((e) => ({ key: e.source, value: JSON.stringify(e) })));
    // The rejection is written with the dead letter, in one transaction: once both dead letters are in
    // the outbox, every rejection there is to be.
    const outboxOf = async (type: string) =>
      (await runtime.pool.query(`SELECT topic, payload FROM outbox WHERE payload->>'type' = $1 OR payload->>'kind' = $1`, [type])).rows;
    await waitFor(async () => {
      const dead = (await outboxOf('dead_letter')).filter((r) => [badStation.id, impostor.id].some((id) => r.payload.original.value.includes(id)));
      return dead.length === 2 ? true : undefined;
    });
    const rejections = (await outboxOf('courier.booking_rejected')).filter((r) => [badStation.id, impostor.id].includes(r.payload.data.eventId));
    expect(rejections.map((r) => r.topic)).toEqual([`${iso.topicPrefix}${courierStatusTopic(s.net.courierA)}`]);
    expect(rejections[0].payload).toMatchObject({
      subject: (badStation.data as { bookingId: string }).bookingId,
      correlationId: badStation.id,
      data: { courierId: s.net.courierA, eventId: badStation.id, issues: [{ path: 'data.stationId', reason: expect.stringContaining('st-atlantis') }] },
    });
    const onTopic = await waitFor(async () => {
      const events = await records(courierStatusTopic(s.net.courierA));
      return events.find((e) => e.type === 'courier.booking_rejected' && (e.data as { eventId: string }).eventId === badStation.id);
    });
    expect(onTopic).toMatchObject({ countyId: s.net.countyId, source: 'intake' });
  });

  it('a booking delivered twice books once', async () => {
    const event = submitted(booking({ bookingId: bookingId() }));
    const redelivered = submitted(event.data as Record<string, unknown>);
    const topic = `${iso.topicPrefix}${topics.courierBookings.name}`;
    await publish(runtime.producer, topic, [event, event, redelivered].map((e) => ({ key: e.source, value: JSON.stringify(e) })));
    const { bookingId: id } = event.data as { bookingId: string };
    await waitFor(async () => {
      const { rows } = await runtime.pool.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'intake.bookings' AND event_id = ANY($1::uuid[])`, [[event.id, redelivered.id]]);
      return rows[0].n === 2 ? true : undefined;
    });
    const { rows } = await runtime.pool.query(
      `SELECT count(*)::int AS parcels, (SELECT count(*)::int FROM parcel_facts f JOIN parcels p ON p.id = f.parcel_id WHERE p.waybill = $1) AS facts FROM parcels WHERE waybill = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ parcels: 1, facts: 1 });
  });
});
