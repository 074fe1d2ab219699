import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../tests/support/harness.js';
import { ensureTopics, withTransaction } from '../src/index.js';
import { messagingFixture, reading, READINGS, recordReadings, type MessagingFixture } from './support/messaging.js';

let fx: MessagingFixture;

afterEach(async () => {
  await fx?.close();
});

describe('the outbox relay', () => {
  it('an event committed before the relay died after publishing is applied once when a new relay republishes it', async () => {
    fx = await messagingFixture();
    await fx.consumer({ handlers: recordReadings() });
    const event = reading('truck-1', 4.2);
    await fx.emit([event]);

    let crashes = 0;
    const first = fx.relay({
      afterPublish: async () => {
        crashes += 1;
        throw new Error('relay killed after publishing, before marking sent');
      },
    });
    await waitFor(() => (crashes > 0 ? true : undefined));
    await first.stop();

    fx.relay();
    await waitFor(async () => ((await fx.messageCount(READINGS)) >= 2 ? true : undefined));
    await waitFor(async () => {
      const sent = await fx.directPool.query('SELECT sent_at FROM outbox WHERE event_id = $1', [event.id]);
      return sent.rows[0]?.sent_at ? true : undefined;
    });
    // Let the consumer reach the duplicate, then check the effect happened exactly once.
    await waitFor(async () => {
      const inbox = await fx.directPool.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = $1', [event.id]);
      return inbox.rows[0].n === 1 ? true : undefined;
    });
    const published = await fx.messageCount(READINGS);
    await waitFor(async () => ((await fx.committedCount('test-consumer', READINGS)) >= published ? true : undefined));
    expect(published).toBeGreaterThanOrEqual(2);
    expect(await fx.applied()).toEqual([{ event_id: event.id, item: 'truck-1:4.2' }]);
  });

  it('writes one event to several topics with the same id, and at most once to each', async () => {
    fx = await messagingFixture();
    const event = reading('truck-5', 3.1);
    await withTransaction(fx.directPool, (tx) =>
      fx.outbox.addMany(tx, [
        { topic: READINGS, key: 'truck-5', event },
        { topic: 'courier.status.zto', key: 'truck-5', event },
      ]),
    );
    const { rows } = await fx.directPool.query('SELECT topic FROM outbox WHERE event_id = $1 ORDER BY seq', [event.id]);
    expect(rows.map((r) => r.topic)).toEqual([fx.topic(READINGS), fx.topic('courier.status.zto')]);
    await expect(withTransaction(fx.directPool, (tx) => fx.outbox.add(tx, { topic: READINGS, key: 'truck-5', event }))).rejects.toThrow(/outbox_event_topic_key/);
  });

  it('creates a topic the broker does not have yet instead of holding up the outbox', async () => {
    fx = await messagingFixture();
    const created: string[][] = [];
    const admin = fx.kafka.admin();
    await admin.connect();
    fx.relay({
      createTopics: async (names) => {
        created.push(names);
        await ensureTopics(admin, names.map((topic) => ({ topic, numPartitions: 1 })));
      },
    });
    const event = reading('truck-3', 2);
    await fx.emit([event], 'courier.status.newcourier');
    const later = reading('truck-3', 3);
    await fx.emit([later]);
    await waitFor(async () => ((await fx.messageCount(READINGS)) === 1 ? true : undefined));
    await admin.disconnect();
    expect(created.flat()).toContain(fx.topic('courier.status.newcourier'));
    expect(await fx.messageCount('courier.status.newcourier')).toBe(1);
  });

  it('deletes published rows, idempotency records and inbox rows past their retention, and nothing newer', async () => {
    fx = await messagingFixture();
    const old = reading('truck-4', 1);
    const fresh = reading('truck-4', 2);
    await fx.emit([old, fresh]);
    await fx.directPool.query(`UPDATE outbox SET sent_at = now() - interval '2 days' WHERE event_id = $1`, [old.id]);
    await fx.directPool.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
       VALUES ('k1', 'old', 'h', 201, '{}', now() - interval '2 days'), ('k1', 'new', 'h', 201, '{}', now())`,
    );
    await fx.directPool.query(
      `INSERT INTO inbox (consumer, event_id, topic, processed_at)
       VALUES ('c', '00000000-0000-4000-8000-000000000001', 't', now() - interval '3 days'), ('c', '00000000-0000-4000-8000-000000000002', 't', now() - interval '1 day')`,
    );
    fx.relay({ retainSentMs: 86_400_000, retainInboxMs: 2 * 86_400_000 });
    await waitFor(async () => ((await fx.directPool.query('SELECT 1 FROM outbox WHERE event_id = $1', [old.id])).rowCount === 0 ? true : undefined));
    const keys = await fx.directPool.query('SELECT key FROM idempotency_keys ORDER BY key');
    expect(keys.rows.map((r) => r.key)).toEqual(['new']);
    const inbox = await fx.directPool.query(`SELECT event_id FROM inbox WHERE consumer = 'c'`);
    expect(inbox.rows.map((r) => r.event_id)).toEqual(['00000000-0000-4000-8000-000000000002']);
    await waitFor(async () => ((await fx.directPool.query('SELECT sent_at FROM outbox WHERE event_id = $1', [fresh.id])).rows[0]?.sent_at ? true : undefined));
  });

  it('never publishes an event whose transaction rolled back', async () => {
    fx = await messagingFixture();
    await fx.consumer({ handlers: recordReadings() });
    fx.relay();
    const rolledBack = reading('truck-2', 9.9);
    await expect(
      withTransaction(fx.directPool, async (tx) => {
        await fx.outbox.add(tx, { topic: READINGS, key: 'truck-2', event: rolledBack });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const committed = reading('truck-2', 3.1);
    await fx.emit([committed]);

    await waitFor(async () => ((await fx.applied()).length === 1 ? true : undefined));
    expect((await fx.applied()).map((r) => r.event_id)).toEqual([committed.id]);
    expect(await fx.messageCount(READINGS)).toBe(1);
    const rows = await fx.directPool.query('SELECT count(*)::int AS n FROM outbox WHERE event_id = $1', [rolledBack.id]);
    expect(rows.rows[0].n).toBe(0);
  });

  it('with two relays on one schema only one publishes; when it dies the other continues and per-key order holds', async () => {
    fx = await messagingFixture();
    await fx.consumer({ handlers: recordReadings() });
    const publishedBy: Record<string, number> = { a: 0, b: 0 };
    const a = fx.relay({ afterPublish: async (seqs) => void (publishedBy.a! += seqs.length) });
    const b = fx.relay({ afterPublish: async (seqs) => void (publishedBy.b! += seqs.length) });
    await waitFor(() => (a.isLeader() || b.isLeader() ? true : undefined));
    expect(a.isLeader() && b.isLeader()).toBe(false);
    const [leader, standby, leaderName] = a.isLeader() ? [a, b, 'a'] : [b, a, 'b'];

    const containers = ['c1', 'c2', 'c3'];
    const firstHalf = Array.from({ length: 30 }, (_, i) => reading(containers[i % 3]!, i, i));
    for (const event of firstHalf) await fx.emit([event]);
    await waitFor(async () => ((await fx.applied()).length === 30 ? true : undefined));
    expect(publishedBy[leaderName === 'a' ? 'b' : 'a']).toBe(0);

    await leader.stop();
    const secondHalf = Array.from({ length: 30 }, (_, i) => reading(containers[i % 3]!, 30 + i, 30 + i));
    for (const event of secondHalf) await fx.emit([event]);
    await waitFor(() => (standby.isLeader() ? true : undefined));
    await waitFor(async () => ((await fx.applied()).length === 60 ? true : undefined), { timeoutMs: 30_000 });

    const applied = await fx.applied();
    for (const container of containers) {
      const temperatures = applied.filter((r) => r.item.startsWith(`${container}:`)).map((r) => Number(r.item.split(':')[1]));
      expect(temperatures).toEqual([...temperatures].sort((x, y) => x - y));
      expect(temperatures).toHaveLength(20);
    }
    expect(new Set(applied.map((r) => r.event_id)).size).toBe(60);
  });
});
