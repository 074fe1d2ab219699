import { buildEvent, deadLetterTopic, type Envelope, manifestParcelSchema } from '@county/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { waitFor } from '../../../tests/support/harness.js';
import { TcpProxy } from '../../../tests/support/tcp-proxy.js';
import { createMetricsRegistry, publish, readDeadLetters, replayDeadLetters, type PoolClient } from '../src/index.js';
import { MANIFESTS, messagingFixture, reading, READINGS, recordReadings, type MessagingFixture } from './support/messaging.js';

let fx: MessagingFixture;
let proxy: TcpProxy | undefined;

afterEach(async () => {
  await fx?.close();
  await proxy?.stop();
  proxy = undefined;
});

/** Applies each valid parcel of a manifest and refuses the others by index, as intake will. */
const manifestHandlers = {
  'courier.manifest_submitted': {
    itemsPath: 'parcels',
    handle: async (tx: PoolClient, envelope: Envelope) => {
      const { parcels } = envelope.data as { parcels: unknown[] };
      const rejected: { index: number; issues: { path: string; reason: string }[] }[] = [];
      for (const [index, raw] of parcels.entries()) {
        const parcel = manifestParcelSchema.safeParse(raw);
        if (!parcel.success) {
          rejected.push({ index, issues: parcel.error.issues.map((i) => ({ path: i.path.join('.'), reason: i.message })) });
          continue;
        }
        await tx.query('INSERT INTO applied (event_id, item) VALUES ($1, $2)', [envelope.id, parcel.data.waybill]);
      }
      return { rejected };
    },
  },
};

function manifest(parcels: unknown[]): Envelope {
  return buildEvent({
    type: 'courier.manifest_submitted',
    countyId: 'cn-511623',
    subject: 'zto',
    source: 'zto',
    data: { courierId: 'zto', manifestId: 'm-7', parcels },
  });
}

const parcel = (waybill: string, weightKg: number) => ({
  waybill,
  destination: { villageCode: '511623104201' },
  weightKg,
  recipient: { name: '李四', phone: '13700001111' },
});

describe('the consumer runner', () => {
  it('dead-letters a message that fails its schema, with the reason, and goes on', async () => {
    fx = await messagingFixture();
    fx.relay();
    await fx.consumer({ handlers: recordReadings() });
    const bad = { ...reading('truck-1', 4), version: 1, data: { containerId: 'truck-1', temperatureC: 'cold' } };
    const good = reading('truck-1', 5);
    await publish(fx.producer, fx.topic(READINGS), [
      { key: 'truck-1', value: JSON.stringify(bad) },
      { key: 'truck-1', value: 'not even json' },
      { key: 'truck-1', value: JSON.stringify(good) },
    ]);
    await waitFor(async () => ((await fx.applied()).length === 1 ? true : undefined));
    const dlq = await waitFor(async () => {
      const records = await readDeadLetters(fx.kafka, deadLetterTopic(fx.topic(READINGS)));
      return records.length === 2 ? records : undefined;
    });
    expect(dlq[0]!.record.reason).toMatch(/invalid event: data.sensorId: .*; data.temperatureC: /);
    expect(dlq[0]!.record.original.value).toBe(JSON.stringify(bad));
    expect(dlq[0]!.record.original.offset).toBe('0');
    expect(dlq[1]!.record.reason).toContain('not JSON');
    expect((await fx.applied()).map((r) => r.event_id)).toEqual([good.id]);
  });

  it('dead-letters bytes no database could store (NUL, invalid UTF-8, a key with NUL) byte for byte, goes on, and replays them unchanged', async () => {
    fx = await messagingFixture();
    fx.relay();
    await fx.consumer({ handlers: recordReadings() });
    const good = reading('truck-1', 5);
    const nul = Buffer.from('{"id":"\u0000 raw NUL inside"}');
    const notUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    await publish(fx.producer, fx.topic(READINGS), [
      { key: 'truck-1', value: nul },
      { key: 'truck\u0000-1', value: notUtf8, headers: { trace: 'a\u0000b' } },
      { key: 'truck-1', value: JSON.stringify(good) },
    ]);
    await waitFor(async () => ((await fx.applied()).length === 1 ? true : undefined));
    const dlqTopic = deadLetterTopic(fx.topic(READINGS));
    const dlq = await waitFor(async () => {
      const records = await readDeadLetters(fx.kafka, dlqTopic);
      return records.length === 2 ? records : undefined;
    });
    // Two keys, two partitions: the dead letters come in either order.
    const bytes = (records: typeof dlq) => records.map((d) => Buffer.from(d.record.original.valueBase64!, 'base64').toString('hex')).sort();
    const expected = [nul, notUtf8].map((b) => b.toString('hex')).sort();
    expect(dlq.map((d) => d.record.original.value)).toEqual([null, null]);
    expect(bytes(dlq)).toEqual(expected);
    const keyed = dlq.find((d) => d.record.original.key !== 'truck-1')!;
    expect(keyed.record.original.key).toBe('truck\uFFFD-1');
    expect(keyed.record.original.headers.trace).toBe('a\uFFFDb');
    expect((await fx.applied()).map((r) => r.event_id)).toEqual([good.id]);

    await replayDeadLetters(fx.producer, dlqTopic, dlq);
    const again = await waitFor(async () => {
      const records = await readDeadLetters(fx.kafka, dlqTopic);
      return records.length === 4 ? records.slice(2) : undefined;
    });
    expect(bytes(again)).toEqual(expected);
  });

  it('dead-letters exactly the two bad items of a batch with their indexes and applies the rest', async () => {
    fx = await messagingFixture();
    fx.relay();
    await fx.consumer({ topics: [MANIFESTS], handlers: manifestHandlers });
    const parcels = Array.from({ length: 10 }, (_, i) => parcel(`ZT0000000${i}`, 1 + i));
    parcels[3] = { ...parcel('ZT00000003', 2), weightKg: -2 };
    parcels[7] = { ...parcel('ZT00000007', 2), destination: { villageCode: '12' } };
    const event = manifest(parcels);
    await publish(fx.producer, fx.topic(MANIFESTS), [{ key: 'zto', value: JSON.stringify(event) }]);

    await waitFor(async () => ((await fx.applied()).length === 8 ? true : undefined));
    const [record] = await waitFor(async () => {
      const records = await readDeadLetters(fx.kafka, deadLetterTopic(fx.topic(MANIFESTS)));
      return records.length === 1 ? records : undefined;
    });
    expect(record!.record.failedIndexes).toEqual([3, 7]);
    expect(record!.record.issues.map((i) => i.path)).toEqual(['3.weightKg', '7.destination.villageCode']);
    expect((await fx.applied()).map((r) => r.item)).not.toContain('ZT00000003');
  });

  it('waits out a Postgres outage mid-stream without dead-lettering, then applies every message exactly once', async () => {
    const infra = inject('infra');
    const target = new URL(infra.DATABASE_URL);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    target.host = `127.0.0.1:${port}`;
    fx = await messagingFixture({ DATABASE_URL: target.toString() });
    fx.relay();
    const metrics = createMetricsRegistry('test');
    await fx.consumer({ handlers: recordReadings(), maxAttempts: 2, metrics });
    const pauses = async () => (await metrics.getSingleMetric('consumer_outage_pauses_total')!.get()).values[0]?.value ?? 0;

    const before = Array.from({ length: 10 }, (_, i) => reading(`c${i % 3}`, i, i));
    await publish(fx.producer, fx.topic(READINGS), before.map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
    await waitFor(async () => ((await fx.applied()).length === 10 ? true : undefined));

    proxy.cut();
    const during = Array.from({ length: 30 }, (_, i) => reading(`c${i % 3}`, 10 + i, 10 + i));
    await publish(fx.producer, fx.topic(READINGS), during.map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
    // The consumer fails, pauses and retries more than once while Postgres is away.
    await waitFor(async () => ((await pauses()) >= 3 ? true : undefined), { timeoutMs: 30_000 });
    expect((await fx.applied()).length).toBe(10);
    proxy.restore();

    await waitFor(async () => ((await fx.applied()).length >= 40 ? true : undefined), { timeoutMs: 60_000 });
    const applied = await fx.applied();
    expect(applied).toHaveLength(40);
    expect(new Set(applied.map((r) => r.event_id))).toEqual(new Set([...before, ...during].map((e) => e.id)));
    expect(await fx.messageCount(`${READINGS}.dlq`)).toBe(0);
  });

  it('applies a dead-lettered message once when it is replayed after its cause is fixed', async () => {
    fx = await messagingFixture();
    fx.relay();
    await fx.consumer({ handlers: recordReadings({ requireKnownContainer: true }), maxAttempts: 2 });
    const event = reading('reefer-9', 3.5);
    await publish(fx.producer, fx.topic(READINGS), [{ key: 'reefer-9', value: JSON.stringify(event) }]);
    const dlqTopic = deadLetterTopic(fx.topic(READINGS));
    const records = await waitFor(async () => {
      const found = await readDeadLetters(fx.kafka, dlqTopic);
      return found.length === 1 ? found : undefined;
    });
    expect(records[0]!.record).toMatchObject({ reason: 'unknown container reefer-9', attempts: 2 });
    expect(await fx.applied()).toEqual([]);

    await fx.directPool.query(`INSERT INTO known_containers (id) VALUES ('reefer-9')`);
    await replayDeadLetters(fx.producer, dlqTopic, records);
    await waitFor(async () => ((await fx.applied()).length === 1 ? true : undefined));
    // Replaying the same record again has no second effect.
    await replayDeadLetters(fx.producer, dlqTopic, records);
    await waitFor(async () => ((await fx.committedCount('test-consumer', READINGS)) >= 3 ? true : undefined));
    expect(await fx.applied()).toEqual([{ event_id: event.id, item: 'reefer-9:3.5' }]);
  });
});
