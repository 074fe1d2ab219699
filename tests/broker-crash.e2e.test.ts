// docs/architecture.md §5: "Kill … the broker … in the middle of a load: after recovery every parcel is
// accounted for exactly once." The broker is killed with SIGKILL while intake registers a stream of
// manifests and publishes their events; during the outage intake keeps taking REST batches (Postgres
// is up and the outbox holds the events) and says it is degraded; when the broker is back on the same
// storage, the consumer resumes at its last committed offset and the relay drains the outbox. The
// broker is this suite's own (tests/support/private-broker.ts): the shared one serves every other.
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
import { startPrivateBroker, type PrivateBroker } from './support/private-broker.js';
import { expectEveryParcelOnce, loadProbes } from './support/exactly-once.js';
import { killService, startIntake, type IntakeProcess } from './support/service-process.js';

const MANIFESTS = 6;
const PER_MANIFEST = 1000;
const REST_PARCELS = 500;
const MANIFEST_COURIER = 'yto';
const REST_COURIER = 'zto';

const iso = isolation();
const logger = testLogger('broker-crash');
const physical = (logical: string) => `${iso.topicPrefix}${logical}`;


let broker: PrivateBroker | undefined;
let intake: IntakeProcess | undefined;
let pool: Pool;
let kafka: Kafka;
let admin: Admin;
let probes: ReturnType<typeof loadProbes>;
let producer: Producer;
let demo: DemoCounty;


beforeAll(async () => {
  demo = await loadDemoCounty();
  broker = await startPrivateBroker();
  kafka = createKafka({ brokers: [broker.brokers], clientId: 'broker-crash-test', logger });
  admin = kafka.admin();
  producer = createProducer(kafka);
  await Promise.all([admin.connect(), producer.connect()]);
  pool = createPool({ url: inject('infra').DATABASE_URL, schema: iso.schema, logger });
  probes = loadProbes(pool, admin);
});

afterAll(async () => {
  // A test that failed midway leaves intake and the broker running: neither may outlive the suite.
  await killService(intake);
  await Promise.allSettled([pool?.end(), producer?.disconnect(), admin?.disconnect()]);
  await broker?.remove();
});



describe('a broker killed mid-load', () => {
  it('loses and duplicates nothing', async () => {
    const kafkaBroker = broker!;
    intake = await startIntake(iso, { brokers: kafkaBroker.brokers });
    const service = intake;
    await seedDemoCounty(pool, demo);
    const { key } = await withTransaction(pool, (tx) =>
      issueKey(tx, createOutbox({ topicPrefix: iso.topicPrefix }), { countyId: demo.county.id, role: 'courier', scope: { courierId: REST_COURIER }, name: 'broker crash test' }, new Date()),
    );
    const manifestTopic = physical(topics.courierManifests.name);
    // Intake creates its topics; publish once the manifest topic has a leader for every partition.
    await waitForTopics(admin, [manifestTopic]);

    const villages = servedVillages(demo);
    const waybills = new Set<string>();
    for (let m = 0; m < MANIFESTS; m++) {
      const parcels = demoParcels(`BC${m}`, PER_MANIFEST, villages);
      for (const parcel of parcels) waybills.add(parcel.waybill);
      const manifest = buildEvent({
        type: 'courier.manifest_submitted',
        countyId: demo.county.id,
        subject: MANIFEST_COURIER,
        source: MANIFEST_COURIER,
        data: { courierId: MANIFEST_COURIER, manifestId: `broker-crash-${m}`, parcels },
      });
      await publish(producer, manifestTopic, [{ key: MANIFEST_COURIER, value: JSON.stringify(manifest) }]);
    }
    const total = waybills.size;

    // Mid-stream: the first manifests registered and the relay publishing their events, the others
    // still to come.
    const parcelTopic = physical(topics.parcelEvents.name);
    const storedAtKill = await waitFor(
      async () => {
        const stored = await probes.parcelsOf(MANIFEST_COURIER);
        return stored > 0 && (await probes.eventsOn(parcelTopic)) > 0 ? stored : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    await kafkaBroker.kill();
    expect(storedAtKill, 'the kill must fall in the middle of the stream').toBeLessThan(total);

    // The outage: intake still takes parcels — Postgres is the source of truth and the outbox holds
    // their events — and reports Kafka as degraded, not itself as unready.
    const batch = await fetch(`${service.url}/parcels/batch`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ parcels: demoParcels('BCREST', REST_PARCELS, villages) }),
    });
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as { counts: { created: number } }).counts.created).toBe(REST_PARCELS);
    const health = await fetch(`${service.url}/health/ready`);
    expect(health.status).toBe(200);
    // Its consumers may be down and restarting too, which readiness also names (issue #8).
    const { degraded } = (await health.json()) as { degraded: string[] };
    expect(degraded).toContain('kafka');
    expect(degraded.filter((name) => name !== 'kafka').every((name) => name.startsWith('consumer:')), degraded.join(', ')).toBe(true);
    expect(await probes.unsentEvents(), 'the REST batch’s events wait in the outbox').toBeGreaterThanOrEqual(REST_PARCELS);

    await kafkaBroker.restart();
    await waitFor(
      async () => ((await probes.parcelsOf(MANIFEST_COURIER)) === total && (await probes.unsentEvents()) === 0 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 250 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nintake's output:\n${service.output()}`);
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
