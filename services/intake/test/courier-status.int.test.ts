import { randomBytes } from 'node:crypto';
import { buildEvent, courierStatusTopic, deadLetterTopic, type Envelope, type ManifestRejected, topics } from '@county/contracts';
import { issueKey, openRuntime, publish, readDeadLetters, readTopic, withTransaction, type Producer, type Runtime } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger, waitFor } from '../../../tests/support/harness.js';
import { buildApp } from '../src/app.js';
import { miniCounty } from './masterdata-support.js';
import { capturedLogger, contract, freshPhone, phonesIn } from './parcel-intake-support.js';
import { type Network } from './seed.js';
import { courierProducer, intakeApp, intakeMigrationsDir, runningIntake } from './support.js';

const iso = isolation();
const config = testConfig(iso);
const logs = capturedLogger();
const countyId = 'cn-511623';
let runtime: Runtime;
let app: Awaited<ReturnType<typeof buildApp>>;
let courier: Producer;
let net: Network;
let adminKey: string;

beforeAll(async () => {
  const intake = await runningIntake(config, countyId, { logger: logs.logger });
  ({ runtime, app, net } = intake);
  adminKey = await intake.issue({ countyId, role: 'admin', name: 'desk' });
  courier = await courierProducer(config, iso.id);
});

afterAll(async () => {
  await courier?.disconnect();
  await runtime?.lifecycle.shutdown();
});

const freshId = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

async function topicExists(kafka: Runtime['kafka'], topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).includes(topic);
  } finally {
    await admin.disconnect();
  }
}

/** The events on a courier's status topic, once the topic exists and holds what `found` looks for. */
async function statusEvents<T = unknown>(courierId: string, found: (events: Envelope<T>[]) => boolean, prefix = iso.topicPrefix, kafka = runtime.kafka) {
  return waitFor(async () => {
    const topic = `${prefix}${courierStatusTopic(courierId)}`;
    if (!(await topicExists(kafka, topic))) return undefined;
    const events = (await readTopic<Envelope<T>>(kafka, topic)).map((m) => m.value);
    return found(events) ? events : undefined;
  });
}

const rejectionOf = (manifestId: string) => (events: Envelope<ManifestRejected>[]) =>
  events.find((e) => e.type === 'courier.manifest_rejected' && e.data.manifestId === manifestId);

describe("a courier's status topic", () => {
  it('exists with courier.status_opened on it as soon as the courier is registered over REST', async () => {
    const ownCounty = `cn-t${randomBytes(4).toString('hex')}`;
    const ownAdmin = (await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, { countyId: ownCounty, role: 'admin', name: 'admin' }, new Date()))).key;
    const imported = await app.inject({ method: 'POST', url: '/import/county', headers: { 'x-api-key': ownAdmin }, payload: miniCounty(ownCounty) });
    expect(imported.statusCode, imported.body).toBe(200);
    const courierId = freshId('jt');
    const put = await app.inject({
      method: 'PUT',
      url: `/couriers/${courierId}`,
      headers: { 'x-api-key': ownAdmin },
      payload: { brand: 'jt', name: '极兔速递（龙安县）' },
    });
    expect(put.statusCode, put.body).toBe(201);
    const events = await statusEvents(courierId, (all) => all.some((e) => e.type === 'courier.status_opened'));
    expect(events.find((e) => e.type === 'courier.status_opened')).toMatchObject({
      countyId: ownCounty,
      subject: courierId,
      data: { courierId, topic: courierStatusTopic(courierId) },
    });
  });

  it("exists for every courier of an imported county, even when Kafka was unreachable at the import", async () => {
    // Nothing publishes while the county is imported (intake without its relay, as when the broker
    // is away: the relay holds the outbox until it is back); then the service runs with its relay.
    const offline = isolation();
    const offlineConfig = testConfig(offline);
    const intake = await intakeApp(offlineConfig);
    const importCountyId = `cn-t${offline.id}`;
    const admin = await intake.issue({ countyId: importCountyId, role: 'admin', name: 'importer' });
    const imported = await intake.app.inject({ method: 'POST', url: '/import/county', headers: { 'x-api-key': admin }, payload: miniCounty(importCountyId) });
    expect(imported.statusCode, imported.body).toBe(200);
    await intake.close();
    expect(await topicExists(runtime.kafka, `${offline.topicPrefix}${courierStatusTopic('zto')}`)).toBe(false);

    const later = openRuntime({ service: 'intake', config: offlineConfig, migrationsDir: intakeMigrationsDir, logger: testLogger('intake') });
    try {
      for (const courierId of ['zto', 'sf']) {
        const events = await statusEvents(courierId, (all) => all.length > 0, offline.topicPrefix, later.kafka);
        expect(events.map((e) => [e.type, e.countyId])).toEqual([['courier.status_opened', importCountyId]]);
      }
    } finally {
      await later.lifecycle.shutdown();
    }
  });
});

describe("a courier's refused items on its status topic", () => {
  it('a manifest with a bad parcel registers the good ones and tells the courier which index was refused and why, masked', async () => {
    const phone = freshPhone();
    const good = contract();
    const bad = contract({ name: '王小明', phone, weightKg: -3 });
    const event = buildEvent({
      type: 'courier.manifest_submitted',
      countyId,
      subject: net.courierA,
      source: net.courierA,
      data: { courierId: net.courierA, manifestId: freshId('m'), parcels: [good, bad, 'not a parcel'] },
    });
    await publish(courier, `${iso.topicPrefix}${topics.courierManifests.name}`, [{ key: net.courierA, value: JSON.stringify(event) }]);

    const events = await statusEvents<ManifestRejected>(net.courierA, (all) => rejectionOf(event.data.manifestId)(all) !== undefined);
    const rejection = rejectionOf(event.data.manifestId)(events)!;
    expect(rejection).toMatchObject({ countyId, subject: event.data.manifestId, correlationId: event.id });
    expect(rejection.data).toEqual({
      courierId: net.courierA,
      channel: 'kafka',
      manifestId: event.data.manifestId,
      eventId: event.id,
      accepted: 1,
      refusedCount: 2,
      refused: [
        {
          index: 1,
          waybill: bad.waybill,
          recipient: { name: '王**', phone: `${phone.slice(0, 3)}****${phone.slice(-4)}` },
          issues: [{ path: 'weightKg', reason: expect.any(String) }],
        },
        { index: 2, issues: [{ path: '', reason: expect.any(String) }] },
      ],
    });
    expect(phonesIn(JSON.stringify(events), [phone])).toEqual([]);
    const { rows } = await runtime.pool.query('SELECT waybill FROM parcels WHERE waybill = ANY($1)', [[good.waybill, bad.waybill]]);
    expect(rows.map((r) => r.waybill)).toEqual([good.waybill]);
    // The shared dead-letter topic still gets the refused indexes, for operators and replays.
    const dead = await waitFor(async () =>
      (await readDeadLetters(runtime.kafka, deadLetterTopic(`${iso.topicPrefix}${topics.courierManifests.name}`))).find(
        (r) => r.record.original.value?.includes(event.id),
      ),
    );
    expect(dead.record.failedIndexes).toEqual([1, 2]);
    expect(phonesIn(logs.text(), [phone])).toEqual([]);
  });

  it('a REST batch with bad parcels tells the courier too, in the transaction that took the rest', async () => {
    const courierKey = (await withTransaction(runtime.pool, (tx) => issueKey(tx, runtime.outbox, { countyId, role: 'courier', scope: { courierId: net.courierB }, name: 'yunda' }, new Date()))).key;
    const good = contract();
    const bad = contract({ destination: { villageCode: '5116' } });
    const res = await app.inject({ method: 'POST', url: '/parcels/batch', headers: { 'x-api-key': courierKey, 'x-request-id': freshId('req') }, payload: { parcels: [bad, good] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts).toMatchObject({ created: 1, rejected: 1 });
    const manifestId = `rest:${res.headers['x-request-id']}`;
    const events = await statusEvents<ManifestRejected>(net.courierB, (all) => rejectionOf(manifestId)(all) !== undefined);
    expect(rejectionOf(manifestId)(events)!.data).toMatchObject({
      courierId: net.courierB,
      channel: 'rest',
      accepted: 1,
      refusedCount: 1,
      refused: [{ index: 0, waybill: bad.waybill, issues: [{ path: 'destination.villageCode' }] }],
    });
  });

  it('keeps a rejection small however large the refused item: the first issues, reasons cut short', async () => {
    const junk = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`unknown_field_${i}`, i]));
    const res = await app.inject({
      method: 'POST',
      url: '/parcels/batch',
      headers: { 'x-api-key': adminKey, 'x-request-id': freshId('req') },
      payload: { courierId: net.courierA, parcels: [{ ...contract(), ...junk, weightKg: 'heavy', recipient: 7 }] },
    });
    expect(res.json().counts).toMatchObject({ rejected: 1 });
    const { rows } = await runtime.pool.query(`SELECT payload FROM outbox WHERE payload->>'subject' = $1`, [`rest:${res.headers['x-request-id']}`]);
    const [item] = (rows[0].payload.data as ManifestRejected).refused;
    expect(item!.issues.length).toBeGreaterThan(1);
    expect(item!.issues.length).toBeLessThanOrEqual(5);
    expect(Math.max(...item!.issues.map((i) => i.reason.length))).toBeLessThanOrEqual(300);
    expect(JSON.stringify(rows[0].payload).length).toBeLessThan(5000);
  });

  it('a batch refused of nothing sends no rejection', async () => {
    const good = contract();
    const res = await app.inject({
      method: 'POST',
      url: '/parcels/batch',
      headers: { 'x-api-key': adminKey, 'x-request-id': freshId('req') },
      payload: { courierId: net.courierA, parcels: [good] },
    });
    expect(res.json().counts).toMatchObject({ created: 1, rejected: 0 });
    // A rejection would have been written in the batch's transaction, with its parcel's events.
    const { rows } = await runtime.pool.query(`SELECT payload->>'type' AS type FROM outbox WHERE topic = $1 ORDER BY seq`, [
      `${iso.topicPrefix}${courierStatusTopic(net.courierA)}`,
    ]);
    expect(rows.map((r) => r.type)).toContain('parcel.manifested');
    const rejections = await runtime.pool.query(`SELECT 1 FROM outbox WHERE payload->>'subject' = $1`, [`rest:${res.headers['x-request-id']}`]);
    expect(rejections.rowCount).toBe(0);
  });
});
