import { buildEvent, type Envelope, topics } from '@county/contracts';
import { publish, type Producer, type Runtime } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { checkMetrics, clientLibraryProblems } from '../../../tests/support/promtool.js';
import { buildApp } from '../src/app.js';
import { contract, unservedVillageCode } from './parcel-intake-support.js';
import { pastBase, scan } from './parcel-suite.js';
import { seedCourier, type Network } from './seed.js';
import { courierProducer, runningIntake } from './support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
let runtime: Runtime;
let app: Awaited<ReturnType<typeof buildApp>>;
let courier: Producer;
let net: Network;
let operatorKey: string;

beforeAll(async () => {
  const intake = await runningIntake(config, countyId);
  ({ runtime, app, net } = intake);
  await seedCourier(runtime.pool, { countyId, id: 'sto-gone', active: false });
  operatorKey = await intake.issue({ countyId, role: 'operator', name: 'desk' });
  courier = await courierProducer(config, iso.id);
});

afterAll(async () => {
  await courier?.disconnect();
  await runtime?.lifecycle.shutdown();
});

async function post(url: string, payload: unknown, idempotencyKey?: string) {
  const headers: Record<string, string> = { 'x-api-key': operatorKey };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  return app.inject({ method: 'POST', url, headers, payload: payload as object });
}

async function scrape(): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  return res.body;
}

/** The sum of the samples of `name` whose labels include `labels`, as an operator's query would read it. */
function valueOf(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => match[2]!.split(',').includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

/** Waits until the scrape shows `name{labels}` at `expected`, and returns the scrape. */
async function metricReaches(name: string, labels: Record<string, string>, expected: number): Promise<string> {
  return waitFor(async () => {
    const text = await scrape();
    return valueOf(text, name, labels) === expected ? text : undefined;
  }).catch(async (err: Error) => {
    throw new Error(`${name}${JSON.stringify(labels)} is ${valueOf(await scrape(), name, labels)}, not ${expected}: ${err.message}`);
  });
}

function manifest(courierId: string, parcels: unknown[]): Envelope {
  return buildEvent({
    type: 'courier.manifest_submitted',
    countyId,
    subject: courierId,
    source: courierId,
    data: { courierId, manifestId: `m-${Math.random().toString(36).slice(2, 10)}`, parcels },
  });
}

async function send(...events: Envelope[]): Promise<void> {
  await publish(
    courier,
    `${iso.topicPrefix}${topics.courierManifests.name}`,
    events.map((event) => ({ key: event.subject, value: JSON.stringify(event) })),
  );
}

describe('intake metrics', () => {
  it('count parcels, scans and manifests once each, by outcome, as the work commits', async () => {
    // REST: one parcel sent twice with one Idempotency-Key is one parcel; a batch with each outcome.
    const single = contract();
    expect((await post('/parcels', { courierId: net.courierA, ...single }, 'metrics-1')).statusCode).toBe(201);
    expect((await post('/parcels', { courierId: net.courierA, ...single }, 'metrics-1')).statusCode).toBe(201);
    const kept = contract();
    const batch = await post('/parcels/batch', {
      courierId: net.courierB,
      parcels: [kept, contract({ villageCode: unservedVillageCode() }), { ...contract(), weightKg: -1 }],
    });
    // `created` includes the parcel held in address_unknown; the metric counts that one apart.
    expect(batch.json().counts).toEqual({ created: 2, rejected: 1, duplicate: 0, conflict: 0, addressUnknown: 1 });
    expect((await post('/parcels', { courierId: net.courierB, ...kept, weightKg: 9 })).statusCode).toBe(409);

    // Kafka: a manifest with a bad item, a good one, and one from a courier no longer active.
    await send(
      manifest(net.courierA, [contract(), { ...contract(), weightKg: -1 }]),
      manifest(net.courierA, [contract()]),
      manifest('sto-gone', [contract()]),
    );

    // A scan, whose outcome the response names.
    const parcelId = (await post('/parcels', { courierId: net.courierA, ...contract() })).json().parcelId as string;
    const scanned = await post('/scans', scan('receive', parcelId, net.center, pastBase()));
    expect(scanned.statusCode).toBe(200);

    await metricReaches('intake_manifests_total', { outcome: 'dead_lettered' }, 1);
    const text = await metricReaches('intake_manifests_total', { outcome: 'applied' }, 1);
    expect(valueOf(text, 'intake_manifests_total', { outcome: 'partly_refused' })).toBe(1);
    expect(valueOf(text, 'dead_letters_total', { topic: topics.courierManifests.name })).toBe(2);

    const parcels = (courierId: string, outcome: string) => valueOf(text, 'intake_parcels_registered_total', { courier: courierId, outcome });
    // courier A: the single parcel once, the scanned one, and two from its manifests; one refused there.
    expect(parcels(net.courierA, 'created')).toBe(4);
    expect(parcels(net.courierA, 'rejected')).toBe(1);
    expect(parcels(net.courierB, 'created')).toBe(1);
    expect(parcels(net.courierB, 'address_unknown')).toBe(1);
    expect(parcels(net.courierB, 'rejected')).toBe(1);
    expect(parcels(net.courierB, 'conflict')).toBe(1);
    expect(parcels('sto-gone', 'created')).toBe(0);

    expect(valueOf(text, 'intake_scans_total', { kind: 'receive', outcome: scanned.json().result as string })).toBe(1);
    expect(valueOf(text, 'intake_scans_total', {})).toBe(1);
  });

  it('report no consumer lag once the manifests are consumed', async () => {
    const last = contract();
    await send(manifest(net.courierB, [last]));
    await waitFor(async () => {
      const { rows } = await runtime.pool.query('SELECT 1 FROM parcels WHERE waybill = $1', [last.waybill]);
      return rows[0];
    });
    const text = await waitFor(async () => {
      const scraped = await scrape();
      const partitions = scraped.split('\n').filter((l) => l.startsWith('kafka_consumer_lag{') && l.includes('consumer="intake.manifests"'));
      return partitions.length === config.KAFKA_TOPIC_PARTITIONS && valueOf(scraped, 'kafka_consumer_lag', { consumer: 'intake.manifests' }) === 0 ? scraped : undefined;
    });
    expect(valueOf(text, 'kafka_consumer_lag', { consumer: 'intake.manifests', topic: topics.courierManifests.name })).toBe(0);
  });

  it('serve /metrics that promtool checks clean, apart from the client library’s own process metrics', async () => {
    await post('/parcels', { courierId: net.courierA, ...contract() });
    const { code, problems } = await checkMetrics(await scrape());
    expect(problems.filter((p) => !clientLibraryProblems.includes(p))).toEqual([]);
    // 3 is promtool's exit code for naming problems only (1 would be a text it cannot parse).
    expect([0, 3]).toContain(code);
  });
});
