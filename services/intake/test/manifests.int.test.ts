import { buildEvent, courierStatusTopic, deadLetterTopic, type Envelope, topics } from '@county/contracts';
import { publish, readDeadLetters, readTopic, type Producer, type Runtime, type TopicMessage } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';
import { capturedLogger, contract, freshPhone, phonesIn, unservedVillageCode } from './parcel-intake-support.js';
import { seedCourier, type Network } from './seed.js';
import { courierProducer, runningIntake } from './support.js';

const iso = isolation();
const config = testConfig(iso);
const logs = capturedLogger();
const countyId = 'cn-511623';
const phonesSent: string[] = [];
let runtime: Runtime;
let app: Awaited<ReturnType<typeof buildApp>>;
let courier: Producer;
let net: Network;
let operatorKey: string;

beforeAll(async () => {
  const intake = await runningIntake(config, countyId, { logger: logs.logger });
  ({ runtime, app, net } = intake);
  await seedCourier(runtime.pool, { countyId, id: 'sto-gone', active: false });
  operatorKey = await intake.issue({ countyId, role: 'operator', name: 'desk' });
  courier = await courierProducer(config, iso.id);
});

afterAll(async () => {
  await courier?.disconnect();
  await runtime?.lifecycle.shutdown();
});

const topic = (logical: string) => `${iso.topicPrefix}${logical}`;

function parcel(input: Parameters<typeof contract>[0] = {}) {
  const phone = input.phone ?? freshPhone();
  phonesSent.push(phone);
  return contract({ ...input, phone });
}

function manifest(parcels: unknown[], { courierId = net.courierA, source = courierId }: { courierId?: string; source?: string } = {}): Envelope {
  return buildEvent({
    type: 'courier.manifest_submitted',
    countyId,
    subject: courierId,
    source,
    data: { courierId, manifestId: `m-${Math.random().toString(36).slice(2, 10)}`, parcels },
  });
}

/** Publishes as a courier does: keyed by courier (unless told otherwise), gzip. */
async function send(...events: Envelope[]): Promise<void> {
  await sendKeyed(events.map((event) => ({ key: event.subject, event })));
}

async function sendKeyed(messages: { key: string | null; event: Envelope }[]): Promise<void> {
  await publish(courier, topic(topics.courierManifests.name), messages.map(({ key, event }) => ({ key, value: JSON.stringify(event) })));
}

async function parcelsOf(waybills: string[]) {
  const { rows } = await runtime.pool.query(`SELECT * FROM parcels WHERE waybill = ANY($1) ORDER BY waybill`, [waybills]);
  return rows;
}

/** Waits until the parcel of `waybill` exists: everything sent before it on the same key is settled. */
async function settled(waybill: string, courierId = net.courierA) {
  return waitFor(async () => {
    const { rows } = await runtime.pool.query(`SELECT * FROM parcels WHERE courier_id = $1 AND waybill = $2`, [courierId, waybill]);
    return rows[0];
  });
}

/** Waits until the relay has published everything written so far, then reads the topic. */
async function published(logical: string): Promise<TopicMessage<Envelope>[]> {
  await waitFor(async () => {
    const { rows } = await runtime.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
    return rows[0].n === 0 ? true : undefined;
  });
  return readTopic<Envelope>(runtime.kafka, topic(logical));
}

async function deadLetterOf(event: Envelope) {
  return waitFor(async () => {
    const records = await readDeadLetters(runtime.kafka, deadLetterTopic(topic(topics.courierManifests.name)));
    return records.find((r) => r.record.original.value && (JSON.parse(r.record.original.value) as Envelope).id === event.id);
  });
}

describe('the manifest consumer', () => {
  it('registers each parcel of a manifest delivered twice once, with one event each', async () => {
    const parcels = [parcel(), parcel(), parcel()];
    const event = manifest(parcels);
    const republished = manifest(parcels);
    // The same message twice, then the courier publishing the same parcels again as a new manifest.
    await send(event, event, republished);
    const sentinel = parcel();
    await send(manifest([sentinel]));
    await settled(sentinel.waybill);
    const inbox = await runtime.pool.query(`SELECT event_id FROM inbox WHERE consumer = 'intake.manifests' AND event_id = ANY($1)`, [[event.id, republished.id]]);
    expect(inbox.rowCount).toBe(2);

    const waybills = parcels.map((p) => p.waybill);
    const rows = await parcelsOf(waybills);
    expect(rows.map((r) => [r.waybill, r.state, r.destination_station_id])).toEqual(waybills.sort().map((w) => [w, 'manifested', net.villageA]));
    const ids = rows.map((r) => r.id as string);
    const outbox = await runtime.pool.query(`SELECT key, payload->>'type' AS type FROM outbox WHERE topic = $1 AND key = ANY($2)`, [topic('parcel.events'), ids]);
    expect(outbox.rows).toHaveLength(3);
    expect(outbox.rows.every((r) => r.type === 'parcel.manifested')).toBe(true);

    const onTopic = (await published('parcel.events')).filter((m) => ids.includes(m.key!));
    expect(onTopic.map((m) => m.key).sort()).toEqual([...ids].sort());
    expect(onTopic[0]!.value).toMatchObject({ type: 'parcel.manifested', source: 'intake', data: { courierId: net.courierA, fact: { actor: { keyId: net.courierA, role: 'courier' } } } });
    const status = (await published(courierStatusTopic(net.courierA))).filter((m) => ids.includes(m.key!));
    expect(status).toHaveLength(3);
  });

  it('keeps the first parcel of a waybill announced again with other content, and records one conflict', async () => {
    const first = parcel();
    await send(manifest([first]));
    await settled(first.waybill);
    const changed = { ...first, weightKg: 5, recipient: { name: first.recipient.name, phone: freshPhone() } };
    phonesSent.push(changed.recipient.phone);
    const conflicting = manifest([changed]);
    await send(conflicting, manifest([changed]));
    const sentinel = parcel();
    await send(manifest([sentinel]));
    await settled(sentinel.waybill);

    const [kept] = await parcelsOf([first.waybill]);
    expect(kept.contract).toMatchObject({ weightKg: 2, recipient: first.recipient });
    const conflicts = await runtime.pool.query(`SELECT source, differences FROM parcel_conflicts WHERE parcel_id = $1`, [kept.id]);
    expect(conflicts.rows).toEqual([
      {
        source: `manifest:${net.courierA}:${(conflicting.data as { manifestId: string }).manifestId}`,
        differences: [
          { field: 'recipient.phone', description: 'recipient.phone differs' },
          { field: 'volumeM3', description: 'volumeM3: 0.012 → 0.03', kept: 0.012, received: 0.03 },
          { field: 'weightKg', description: 'weightKg: 2 → 5', kept: 2, received: 5 },
        ],
      },
    ]);
    // A conflict is recorded, not dead-lettered: nothing in the manifest was bad.
    const events = await runtime.pool.query(`SELECT 1 FROM outbox WHERE key = $1 AND topic = $2`, [kept.id, topic('parcel.events')]);
    expect(events.rowCount).toBe(1);
  });

  it('keeps a parcel for an unserved village in address_unknown until an operator corrects it, and publishes each step', async () => {
    const lost = parcel({ villageCode: unservedVillageCode() });
    await send(manifest([lost]));
    const row = await settled(lost.waybill);
    expect(row).toMatchObject({ state: 'manifested', destination_station_id: null, exception: { kind: 'address_unknown' } });

    const res = await app.inject({
      method: 'POST',
      url: `/parcels/${row.id}/address`,
      headers: { 'x-api-key': operatorKey, 'idempotency-key': `fix-${row.id}` },
      payload: { destination: { stationId: net.villageB } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ exception: null, destinationStationId: net.villageB });

    const steps = (await published('parcel.events')).filter((m) => m.key === row.id).map((m) => m.value);
    expect(steps.map((e) => e.type)).toEqual(['parcel.manifested', 'parcel.address_unknown_reported', 'parcel.address_corrected']);
    expect(steps[1]).toMatchObject({ data: { exception: { kind: 'address_unknown' }, fact: { stationId: net.center, actor: { keyId: 'intake', role: 'service' } } } });
    expect(steps[2]).toMatchObject({ data: { exception: null, destinationStationId: net.villageB, fact: { kind: 'address_corrected' } } });
    const status = (await published(courierStatusTopic(net.courierA))).filter((m) => m.key === row.id);
    expect(status.map((m) => m.value.type)).toEqual(steps.map((e) => e.type));
  });

  it('takes the good parcels of a manifest and dead-letters exactly the bad ones, by index', async () => {
    const parcels: unknown[] = [parcel(), { ...parcel(), weightKg: -2 }, parcel(), { ...parcel(), destination: { villageCode: '12' } }, parcel()];
    const event = manifest(parcels);
    await send(event);
    const record = (await deadLetterOf(event)).record;
    expect(record.failedIndexes).toEqual([1, 3]);
    expect(record.itemsPath).toBe('parcels');
    expect(record.issues.map((i) => i.path)).toEqual(['1.weightKg', '3.destination.villageCode']);
    const good = [0, 2, 4].map((i) => (parcels[i] as { waybill: string }).waybill);
    expect((await parcelsOf(good)).length).toBe(3);
    expect(await parcelsOf([1, 3].map((i) => (parcels[i] as { waybill: string }).waybill))).toEqual([]);
  });

  it('dead-letters by index the parcels whose text holds NUL or a lone surrogate, and registers the rest', async () => {
    const parcels: unknown[] = [
      parcel(),
      parcel({ name: '李\u0000小红' }),
      parcel(),
      { ...parcel(), sender: { name: '果园\uD800合作社' } },
      { ...parcel(), waybill: `ZT\u0000${Date.now()}` },
    ];
    const event = manifest(parcels);
    await send(event);
    const record = (await deadLetterOf(event)).record;
    expect(record.failedIndexes).toEqual([1, 3, 4]);
    expect(record.issues).toEqual([
      { path: '1.recipient.name', reason: 'must not contain NUL, control characters or unpaired surrogates' },
      { path: '3.sender.name', reason: 'must not contain NUL, control characters or unpaired surrogates' },
      { path: '4.waybill', reason: 'must not contain NUL, control characters or unpaired surrogates' },
    ]);
    // The last waybill cannot even be a query parameter: Postgres refuses NUL, which is the point.
    const waybills = parcels.slice(0, 4).map((p) => (p as { waybill: string }).waybill);
    expect((await parcelsOf(waybills)).map((row) => row.waybill)).toEqual([waybills[0], waybills[2]].sort());
  });

  it('dead-letters a whole manifest from a courier unknown in the county, or sent by another courier', async () => {
    const unknown = manifest([parcel()], { courierId: 'nobody' });
    const inactive = manifest([parcel()], { courierId: 'sto-gone' });
    const impostor = manifest([parcel()], { courierId: net.courierA, source: net.courierB });
    await send(unknown, inactive, impostor);
    expect((await deadLetterOf(unknown)).record).toMatchObject({ reason: expect.stringContaining('courier nobody is not known'), issues: [{ path: 'data.courierId' }] });
    expect((await deadLetterOf(inactive)).record.reason).toContain('courier sto-gone is not active');
    expect((await deadLetterOf(impostor)).record.reason).toContain(`comes from ${net.courierB}`);
    const waybills = [unknown, inactive, impostor].map((e) => (e.data as { parcels: { waybill: string }[] }).parcels[0]!.waybill);
    expect(await parcelsOf(waybills)).toEqual([]);
  });

  it('dead-letters a manifest whose message key names another courier than its source and data, and registers nothing', async () => {
    const keyedByB = manifest([parcel()], { courierId: net.courierA, source: net.courierA });
    const unkeyed = manifest([parcel()], { courierId: net.courierA, source: net.courierA });
    const sentinel = parcel();
    await sendKeyed([
      { key: net.courierB, event: keyedByB },
      { key: null, event: unkeyed },
      { key: net.courierA, event: manifest([sentinel]) },
    ]);
    const dead = (await deadLetterOf(keyedByB)).record;
    expect(dead).toMatchObject({ issues: [{ path: 'key', reason: expect.stringContaining(`not ${net.courierB}`) }], original: { key: net.courierB } });
    expect(dead.reason).toContain(`message key ${net.courierB}`);
    expect((await deadLetterOf(unkeyed)).record.issues).toEqual([{ path: 'key', reason: expect.stringContaining('not absent') }]);
    await settled(sentinel.waybill);
    const waybills = [keyedByB, unkeyed].map((e) => (e.data as { parcels: { waybill: string }[] }).parcels[0]!.waybill);
    expect(await parcelsOf(waybills)).toEqual([]);
  });

  it('sends each courier the status of its own parcels only', async () => {
    const ofB = parcel();
    await send(manifest([ofB], { courierId: net.courierB }));
    const row = await settled(ofB.waybill, net.courierB);
    const toB = await published(courierStatusTopic(net.courierB));
    expect(toB.map((m) => m.key)).toContain(row.id);
    expect(toB.every((m) => (m.value.data as { courierId: string }).courierId === net.courierB)).toBe(true);
    const toA = await published(courierStatusTopic(net.courierA));
    expect(toA.map((m) => m.key)).not.toContain(row.id);
  });

  it('never logs a recipient’s phone, and publishes it masked', async () => {
    const events = [...(await published('parcel.events')), ...(await published(courierStatusTopic(net.courierA)))];
    const text = JSON.stringify(events.map((m) => m.value));
    const logged = logs.text();
    expect(logged).toContain('dead-lettered');
    expect(text).toMatch(/"phone":"139\*{4}\d{4}"/);
    expect(phonesIn(logged, phonesSent)).toEqual([]);
    expect(phonesIn(text, phonesSent)).toEqual([]);
  });

  it('takes a manifest whose occurredAt has a +08:00 offset and keeps and publishes the instant in UTC', async () => {
    const announced = new Date(Date.now() - 3600_000);
    announced.setUTCMilliseconds(0);
    const local = `${new Date(announced.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
    const item = parcel();
    await send({ ...manifest([item]), occurredAt: local });
    const stored = await settled(item.waybill);
    const { rows } = await runtime.pool.query(`SELECT fact->>'occurredAt' AS at FROM parcel_facts WHERE parcel_id = $1 AND kind = 'manifested'`, [stored.id]);
    expect(rows).toEqual([{ at: announced.toISOString() }]);
    const events = (await published(topics.parcelEvents.name)).filter((m) => m.key === stored.id);
    expect(events.map((m) => m.value.data)).toEqual([expect.objectContaining({ fact: expect.objectContaining({ kind: 'manifested', occurredAt: announced.toISOString() }) })]);
  });
});
