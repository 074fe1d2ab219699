import type { Envelope } from '@county/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../tests/support/harness.js';
import { publish, readTopic, type MessageMeta, type PoolClient } from '../src/index.js';
import { messagingFixture, reading, READINGS, type MessagingFixture } from './support/messaging.js';

let fx: MessagingFixture;

afterEach(async () => {
  await fx?.close();
});

describe('the consumer runner', () => {
  it('hands each handler the message key, topic, partition and offset with the event', async () => {
    fx = await messagingFixture();
    await fx.consumer({
      handlers: {
        'coldchain.reading_recorded': {
          handle: async (tx: PoolClient, envelope: Envelope, message: MessageMeta) => {
            await tx.query('INSERT INTO applied (event_id, item) VALUES ($1, $2)', [envelope.id, JSON.stringify(message)]);
          },
        },
      },
    });
    const keyed = reading('truck-9', 3);
    const unkeyed = reading('truck-9', 4);
    await publish(fx.producer, fx.topic(READINGS), [
      { key: 'gateway-key-9', value: JSON.stringify(keyed) },
      { key: null, value: JSON.stringify(unkeyed) },
    ]);
    const applied = await waitFor(async () => {
      const rows = await fx.applied();
      return rows.length === 2 ? new Map(rows.map((r) => [r.event_id, JSON.parse(r.item) as MessageMeta])) : undefined;
    });

    const onTopic = await readTopic<Envelope>(fx.kafka, fx.topic(READINGS));
    for (const event of [keyed, unkeyed]) {
      const sent = onTopic.find((m) => m.value.id === event.id)!;
      expect(applied.get(event.id)).toEqual({ key: sent.key, topic: fx.topic(READINGS), partition: sent.partition, offset: sent.offset });
    }
    expect(applied.get(keyed.id)?.key).toBe('gateway-key-9');
    expect(applied.get(unkeyed.id)?.key).toBeNull();
  });
});
