// docs/architecture.md §5: "Kill a service … in the middle of a load: after recovery every parcel is accounted
// for exactly once." Intake runs as its own process (as `npm start` runs it), is killed with SIGKILL
// while it registers a stream of manifests, and a fresh process on the same schema, topics and
// consumer groups finishes the job: the inbox and the unique waybill keep the parcels once, the
// outbox keeps their events, and a consumer that de-duplicates by event id sees each parcel once.
import { buildEvent, deadLetterTopic, topics } from '@county/contracts';
import {
  createKafka,
  createOutbox,
  createPool,
  createProducer,
  issueKey,
  publish,
  waitForTopics,
  withTransaction,
  type Admin,
  type Kafka,
  type Pool,
  type Producer,
} from '@county/platform';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoParcels, loadDemoCounty, seedDemoCounty, servedVillages, type DemoCounty } from './support/demo-county.js';
import { isolation, testLogger, waitFor } from './support/harness.js';
import { expectEveryParcelOnce, loadProbes } from './support/exactly-once.js';
import { killService, startIntake, type IntakeProcess } from './support/service-process.js';

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
let probes: ReturnType<typeof loadProbes>;
let producer: Producer;
let demo: DemoCounty;

beforeAll(async () => {
  demo = await loadDemoCounty();
  kafka = createKafka({ brokers: inject('infra').KAFKA_BROKERS.split(','), clientId: 'crash-test', logger });
  admin = kafka.admin();
  producer = createProducer(kafka);
  await Promise.all([admin.connect(), producer.connect()]);
  pool = createPool({ url: inject('infra').DATABASE_URL, schema: iso.schema, logger });
  probes = loadProbes(pool, admin);
});

afterAll(async () => {
  // A test that failed midway leaves a process running: it must not outlive the suite.
  await Promise.all(started.map(killService));
  await Promise.all([pool?.end(), producer?.disconnect(), admin?.disconnect()]);
});



describe('a killed intake', () => {
  it('loses and duplicates nothing', async () => {
    const first = await startIntake(iso);
    started.push(first);
    await seedDemoCounty(pool, demo);
    const { key } = await withTransaction(pool, (tx) =>
      issueKey(tx, createOutbox({ topicPrefix: iso.topicPrefix }), { countyId: demo.county.id, role: 'courier', scope: { courierId: REST_COURIER }, name: 'crash test' }, new Date()),
    );
    const manifestTopic = physical(topics.courierManifests.name);
    // Intake creates its topics; publish once the manifest topic has a leader for every partition.
    await waitForTopics(admin, [manifestTopic]);

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
    await waitFor(async () => ((await probes.parcelsOf(MANIFEST_COURIER)) > 0 && (await probes.eventsOn(parcelTopic)) > 0 ? true : undefined), {
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
    const atKill = await probes.parcelsOf(MANIFEST_COURIER);
    expect(atKill, 'the kill must fall in the middle of the stream').toBeGreaterThan(0);
    expect(atKill, 'the kill must fall in the middle of the stream').toBeLessThan(total);

    const second = await startIntake(iso);
    started.push(second);
    await waitFor(
      async () => ((await probes.parcelsOf(MANIFEST_COURIER)) === total && (await probes.unsentEvents()) === 0 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 250 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nsecond intake's output:\n${second.output()}`);
    });

    await expectEveryParcelOnce({
      pool,
      kafka,
      probes,
      parcelTopic,
      deadLetterTopic: deadLetterTopic(manifestTopic),
      manifests: MANIFESTS,
      manifestCourier: MANIFEST_COURIER,
      manifestWaybills: waybills,
      restCourier: REST_COURIER,
      restParcels: REST_PARCELS,
    });
  }, 120_000);
});
