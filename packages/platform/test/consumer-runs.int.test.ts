import { deadLetterTopic, type Envelope } from '@county/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { waitFor } from '../../../tests/support/harness.js';
import { TcpProxy } from '../../../tests/support/tcp-proxy.js';
import { createMetricsRegistry, publish, readDeadLetters, RejectedError, type EventHandler, type PoolClient } from '../src/index.js';
import { messagingFixture, reading, READINGS, type MessagingFixture } from './support/messaging.js';

let fx: MessagingFixture;
let proxy: TcpProxy | undefined;

afterEach(async () => {
  await fx?.close();
  await proxy?.stop();
  proxy = undefined;
});

/**
 * A handler that applies readings several at once, as a read model does (`handleMany`), and one at a time: a
 * reading of -99 °C is refused either way. Each call's size is kept, to see the runs.
 */
function manyReadings(calls: number[]): Record<string, EventHandler> {
  const check = (envelope: Envelope) => {
    const { containerId, temperatureC } = envelope.data as { containerId: string; temperatureC: number };
    if (temperatureC === 77) throw new RejectedError(`impossible reading of ${containerId}`);
    return `${containerId}:${temperatureC}`;
  };
  const insert = (tx: PoolClient, events: Envelope[]) =>
    tx.query('INSERT INTO applied (event_id, item) SELECT * FROM unnest($1::uuid[], $2::text[])', [events.map((e) => e.id), events.map(check)]);
  return {
    'coldchain.reading_recorded': {
      handle: async (tx, envelope) => {
        calls.push(1);
        await insert(tx, [envelope]);
      },
      handleMany: async (tx, events) => {
        calls.push(events.length);
        await insert(tx, events.map((e) => e.envelope));
      },
    },
  };
}

describe('the consumer runner, with a handler that applies many events at once', () => {
  it('applies consecutive messages of a partition together, in order, each event once', async () => {
    fx = await messagingFixture();
    fx.relay();
    const calls: number[] = [];
    const metrics = createMetricsRegistry('test');
    await fx.consumer({ handlers: manyReadings(calls), metrics });
    const events = Array.from({ length: 200 }, (_, i) => reading('truck-1', i % 50, i % 60));
    // The same event three times: delivered again inside one run, and again in a later one.
    const messages = [...events, events[5]!, events[5]!].map((e) => ({ key: 'truck-1', value: JSON.stringify(e) }));
    await publish(fx.producer, fx.topic(READINGS), messages);
    const again = reading('truck-1', 30, 59);
    await publish(fx.producer, fx.topic(READINGS), [events[7]!, again].map((e) => ({ key: 'truck-1', value: JSON.stringify(e) })));

    await waitFor(async () => ((await fx.applied()).length >= 201 ? true : undefined));
    const applied = await fx.applied();
    expect(applied.map((r) => r.event_id)).toEqual([...events, again].map((e) => e.id));
    expect(Math.max(...calls)).toBeGreaterThan(1);
    const outcomes = (await metrics.getSingleMetric('consumer_messages_total')!.get()).values;
    const count = (outcome: string) => outcomes.find((v) => v.labels.outcome === outcome)?.value ?? 0;
    await waitFor(() => (count('applied') === 201 ? true : undefined));
    expect(count('duplicate')).toBe(3);
  });

  it('dead-letters the one bad event of a run alone and applies the others', async () => {
    fx = await messagingFixture();
    fx.relay();
    await fx.consumer({ handlers: manyReadings([]), maxAttempts: 2 });
    const events = Array.from({ length: 20 }, (_, i) => reading('truck-2', i === 12 ? 77 : i, i));
    await publish(fx.producer, fx.topic(READINGS), events.map((e) => ({ key: 'truck-2', value: JSON.stringify(e) })));
    const letters = await waitFor(async () => {
      const found = await readDeadLetters(fx.kafka, deadLetterTopic(fx.topic(READINGS)));
      return found.length === 1 ? found : undefined;
    });
    expect(letters[0]!.record).toMatchObject({ reason: 'impossible reading of truck-2', attempts: 2 });
    expect(letters[0]!.record.original.value).toBe(JSON.stringify(events[12]));
    await waitFor(async () => ((await fx.applied()).length === 19 ? true : undefined));
    expect((await fx.applied()).map((r) => r.event_id)).toEqual(events.filter((_, i) => i !== 12).map((e) => e.id));
  });

  it('waits out a Postgres outage in the middle of runs, then applies every event once', async () => {
    const infra = inject('infra');
    const target = new URL(infra.DATABASE_URL);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const port = await proxy.start();
    target.host = `127.0.0.1:${port}`;
    fx = await messagingFixture({ DATABASE_URL: target.toString() });
    fx.relay();
    const metrics = createMetricsRegistry('test');
    await fx.consumer({ handlers: manyReadings([]), maxAttempts: 2, metrics });
    const pauses = async () => (await metrics.getSingleMetric('consumer_outage_pauses_total')!.get()).values[0]?.value ?? 0;
    const before = Array.from({ length: 50 }, (_, i) => reading(`c${i % 3}`, i % 50, i % 60));
    await publish(fx.producer, fx.topic(READINGS), before.map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
    await waitFor(async () => ((await fx.applied()).length === 50 ? true : undefined));

    proxy.cut();
    const during = Array.from({ length: 300 }, (_, i) => reading(`c${i % 3}`, i % 50, i % 60));
    await publish(fx.producer, fx.topic(READINGS), during.map((e) => ({ key: e.subject, value: JSON.stringify(e) })));
    await waitFor(async () => ((await pauses()) >= 3 ? true : undefined), { timeoutMs: 30_000 });
    proxy.restore();

    await waitFor(async () => ((await fx.applied()).length >= 350 ? true : undefined), { timeoutMs: 60_000 });
    const applied = await fx.applied();
    expect(applied).toHaveLength(350);
    expect(new Set(applied.map((r) => r.event_id))).toEqual(new Set([...before, ...during].map((e) => e.id)));
    expect(await fx.messageCount(`${READINGS}.dlq`)).toBe(0);
  });
});
