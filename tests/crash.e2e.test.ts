// DESIGN.md §5: "Kill a service … in the middle of a load: after recovery every parcel is accounted
// for exactly once." Intake runs as its own process (as `npm start` runs it), is killed with SIGKILL
// while it registers a stream of manifests, and a fresh process on the same schema, topics and
// consumer groups finishes the job: the inbox and the unique waybill keep the parcels once, the
// outbox keeps their events, and a consumer that de-duplicates by event id sees each parcel once.
import { deadLetterTopic, topics, type Envelope } from '@county/contracts';
import {
  buildEvent,
  createKafka,
  createOutbox,
  createPool,
  createProducer,
  issueKey,
  publish,
  readTopic,
  withTransaction,
  type Admin,
  type Kafka,
  type Pool,
  type Producer,
} from '@county/platform';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoParcels, loadDemoCounty, seedDemoCounty, servedVillages, type DemoCounty } from './support/demo-county.js';
import { isolation, testLogger, waitFor } from './support/harness.js';
import { killIntake, startIntake, type IntakeProcess } from './support/intake-process.js';

const MANIFESTS = 10;
const PER_MANIFEST = 1000;
const REST_PARCELS = 500;
const MANIFEST_COURIER = 'yto';
const REST_COURIER = 'zto';

const iso = isolation();
const logger = testLogger('crash');
const physical = (logical: string) => `${iso.topicPrefix}${logical}`;


const started: IntakeProcess[] = [];


let pool: Pool;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let demo: DemoCounty;

beforeAll(async () => {
  demo = await loadDemoCounty();
  kafka = createKafka({ brokers: inject('infra').KAFKA_BROKERS.split(','), clientId: 'crash-test', logger });
  admin = kafka.admin();
  producer = createProducer(kafka);
  await Promise.all([admin.connect(), producer.connect()]);
  pool = createPool({ url: inject('infra').DATABASE_URL, schema: iso.schema, logger });
});

afterAll(async () => {
  // A test that failed midway leaves a process running: it must not outlive the suite.
  await Promise.all(started.map(killIntake));
  await Promise.all([pool?.end(), producer?.disconnect(), admin?.disconnect()]);
});

const count = async (sql: string, params: unknown[] = []) => Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);
const parcelsOf = (courierId: string) => count('SELECT count(*) AS n FROM parcels WHERE courier_id = $1', [courierId]);
const unsentEvents = () => count('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
const eventsOn = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);


describe('a killed intake', () => {
  it('loses and duplicates nothing', async () => {
    const first = await startIntake(iso);
    started.push(first);
    await seedDemoCounty(pool, demo);
    const { key } = await withTransaction(pool, (tx) =>
      issueKey(tx, createOutbox({ topicPrefix: iso.topicPrefix }), { countyId: demo.county.id, role: 'courier', scope: { courierId: REST_COURIER }, name: 'crash test' }, new Date()),
    );
    const manifestTopic = physical(topics.courierManifests.name);
    await waitFor(async () => ((await admin.listTopics()).includes(manifestTopic) ? true : undefined));

    const villages = servedVillages(demo);
    const waybills = new Set<string>();
    for (let m = 0; m < MANIFESTS; m++) {
      const parcels = demoParcels(`CR${m}`, PER_MANIFEST, villages);
      for (const parcel of parcels) waybills.add(parcel.waybill);
      const manifest = buildEvent({
        type: 'courier.manifest_submitted',
        countyId: demo.county.id,
        subject: MANIFEST_COURIER,
        source: MANIFEST_COURIER,
        data: { courierId: MANIFEST_COURIER, manifestId: `crash-${m}`, parcels },
      });
      await publish(producer, manifestTopic, [{ key: MANIFEST_COURIER, value: JSON.stringify(manifest) }]);
    }
    const total = waybills.size;

    // Mid-stream: the first manifests registered and the relay publishing their events, the others
    // still on the topic. A REST batch answered just before the kill must be kept too, its events
    // most likely still in the outbox.
    const parcelTopic = physical(topics.parcelEvents.name);
    await waitFor(async () => ((await parcelsOf(MANIFEST_COURIER)) > 0 && (await eventsOn(parcelTopic)) > 0 ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 20,
    });
    const batch = await fetch(`${first.url}/parcels/batch`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ parcels: demoParcels('CRREST', REST_PARCELS, villages) }),
    });
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as { counts: { created: number } }).counts.created).toBe(REST_PARCELS);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const atKill = await parcelsOf(MANIFEST_COURIER);
    expect(atKill, 'the kill must fall in the middle of the stream').toBeGreaterThan(0);
    expect(atKill, 'the kill must fall in the middle of the stream').toBeLessThan(total);

    const second = await startIntake(iso);
    started.push(second);
    await waitFor(
      async () => ((await parcelsOf(MANIFEST_COURIER)) === total && (await unsentEvents()) === 0 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 250 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nsecond intake's output:\n${second.output()}`);
    });

    // Every (courier, waybill) once, each with one `manifested` fact; each manifest applied once.
    const stored = await pool.query<{ id: string; courier_id: string; waybill: string }>('SELECT id, courier_id, waybill FROM parcels');
    expect(stored.rows).toHaveLength(total + REST_PARCELS);
    expect(new Set(stored.rows.filter((r) => r.courier_id === MANIFEST_COURIER).map((r) => r.waybill))).toEqual(waybills);
    expect(new Set(stored.rows.filter((r) => r.courier_id === REST_COURIER).map((r) => r.waybill)).size).toBe(REST_PARCELS);
    const facts = await pool.query<{ parcel_id: string; n: string }>(
      "SELECT parcel_id, count(*) AS n FROM parcel_facts WHERE kind = 'manifested' GROUP BY parcel_id",
    );
    expect(facts.rows).toHaveLength(stored.rows.length);
    expect(facts.rows.filter((r) => r.n !== '1')).toEqual([]);
    expect(await count("SELECT count(*) AS n FROM inbox WHERE consumer = 'intake.manifests'")).toBe(MANIFESTS);

    // At least once on the wire, exactly once after de-duplicating by envelope id.
    const manifested = (await readTopic<Envelope>(kafka, parcelTopic)).map((m) => m.value).filter((e) => e.type === 'parcel.manifested');
    const idsBySubject = new Map<string, Set<string>>();
    for (const event of manifested) idsBySubject.set(event.subject, (idsBySubject.get(event.subject) ?? new Set()).add(event.id));
    expect(new Set(idsBySubject.keys())).toEqual(new Set(stored.rows.map((r) => r.id)));
    expect([...idsBySubject].filter(([, ids]) => ids.size !== 1)).toEqual([]);

    expect(await eventsOn(deadLetterTopic(manifestTopic))).toBe(0);
  }, 120_000);
});
