import { randomUUID } from 'node:crypto';
import { deadLetterTopic, topics } from '@county/contracts';
import { readDeadLetters, type Runtime } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { kcatProduce, type KcatCodec } from '../../../tests/support/kcat.js';
import { buildApp } from '../src/app.js';
import { contract } from './parcel-intake-support.js';
import { type Network } from './seed.js';
import { runningIntake } from './support.js';

// Issue #8: manifests published by a Kafka client nobody here wrote (kcat, librdkafka), in every
// compression a standard producer offers, must register their parcels — a snappy one used to stop
// the consumer for good.
const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
let runtime: Runtime;
let app: Awaited<ReturnType<typeof buildApp>>;
let net: Network;
let operatorKey: string;

beforeAll(async () => {
  const intake = await runningIntake(config, countyId);
  ({ runtime, app, net } = intake);
  operatorKey = await intake.issue({ countyId, role: 'operator', name: 'desk' });
});

afterAll(async () => {
  await runtime?.lifecycle.shutdown();
});

/** A manifest as a courier's own client writes it: plain JSON, its own event id and instant. */
function manifestJson(parcels: unknown[], occurredAt = new Date().toISOString()): string {
  return JSON.stringify({
    id: randomUUID(),
    type: 'courier.manifest_submitted',
    version: 1,
    occurredAt,
    countyId,
    subject: net.courierA,
    source: net.courierA,
    data: { courierId: net.courierA, manifestId: `m-${randomUUID().slice(0, 8)}`, parcels },
  });
}

async function send(codec: KcatCodec, ...values: string[]): Promise<void> {
  await kcatProduce({
    brokers: config.KAFKA_BROKERS.join(','),
    topic: `${iso.topicPrefix}${topics.courierManifests.name}`,
    codec,
    messages: values.map((value) => ({ key: net.courierA, value })),
  });
}

/** The parcel as an operator looks it up, once it is registered. */
async function lookUp(waybill: string): Promise<{ state: string; waybill: string; courierId: string }> {
  return waitFor(async () => {
    const res = await app.inject({ method: 'GET', url: `/parcels/by-waybill/${net.courierA}/${waybill}`, headers: { 'x-api-key': operatorKey } });
    return res.statusCode === 200 ? res.json() : undefined;
  });
}

describe('manifests published with kcat', () => {
  it.each<KcatCodec>(['none', 'gzip', 'snappy', 'lz4', 'zstd'])('registers the parcels of a manifest compressed with %s', async (codec) => {
    const parcels = [contract(), contract(), contract()];
    await send(codec, manifestJson(parcels.slice(0, 2)), manifestJson(parcels.slice(2)));
    for (const p of parcels) expect(await lookUp(p.waybill)).toMatchObject({ waybill: p.waybill, courierId: net.courierA, state: 'manifested' });
  });

  it('registers a manifest whose instant carries the +08:00 offset, at the same instant in UTC', async () => {
    const parcel = contract();
    const event = manifestJson([parcel], '2026-11-29T20:15:00+08:00');
    await send('snappy', event);
    const deadLetter = async () =>
      (await readDeadLetters(runtime.kafka, deadLetterTopic(`${iso.topicPrefix}${topics.courierManifests.name}`))).find(
        (d) => d.record.original.value === event,
      )?.record.reason;
    const registered = await waitFor(async () => {
      const res = await app.inject({ method: 'GET', url: `/parcels/by-waybill/${net.courierA}/${parcel.waybill}`, headers: { 'x-api-key': operatorKey } });
      if (res.statusCode === 200) return res.json();
      const refused = await deadLetter();
      if (refused) throw new Error(`dead-lettered: ${refused}`);
      return undefined;
    });
    expect(registered).toMatchObject({ state: 'manifested' });
    const { rows } = await runtime.pool.query(`SELECT f.occurred_at FROM parcel_facts f JOIN parcels p ON p.id = f.parcel_id WHERE p.waybill = $1`, [parcel.waybill]);
    expect(rows.map((r) => (r.occurred_at as Date).toISOString())).toEqual(['2026-11-29T12:15:00.000Z']);
  });
});
