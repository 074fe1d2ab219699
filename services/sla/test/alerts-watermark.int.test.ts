import { topics } from '@county/contracts';
import { createKafka, createOutbox, createPool, createProducer, ensureTopics, migrateService, publish, topicConfigs, withTransaction, type Kafka, type Pool, type Producer } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import { scanOnce } from '../src/alerts/scanner.js';
import { kafkaFoldWatermark } from '../src/alerts/watermark.js';
import { foldParcelEvents } from '../src/timeline/evaluate.js';
import { upsertMasterData } from '../src/timeline/store.js';
import { slaMigrationsDir } from './metrics-support.js';
import { countyRecord, stationRecord, stepEvent, testParcel } from './timeline-events.js';

/**
 * The scanner breaches an open parcel only up to the parcel consumer's watermark, read from Kafka (the group's
 * committed offsets against the topic's end offsets): while an event sits on the broker unfolded, a parcel past its
 * deadline is not breached; once the group has committed past it, it is.
 */

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-430282';
const topic = `${iso.topicPrefix}${topics.parcelEvents.name}`;
const groupId = `${iso.groupPrefix}sla.timeline-parcels`;
let pool: Pool;
let kafka: Kafka;
let producer: Producer;
const outbox = createOutbox({ topicPrefix: iso.topicPrefix });

beforeAll(async () => {
  await migrateService({ url: config.DATABASE_URL, schema: iso.schema, dir: slaMigrationsDir, logger: testLogger('sla') });
  pool = createPool({ url: config.DATABASE_URL, schema: iso.schema, logger: testLogger('sla') });
  kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'watermark-test', logger: testLogger('kafka') });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicConfigs({ prefix: iso.topicPrefix, partitions: 3, replicationFactor: 1, maxMessageBytes: 1024 * 1024 }, [topics.parcelEvents]));
  await admin.disconnect();
  producer = createProducer(kafka);
  await producer.connect();
}, 60_000);

afterAll(async () => {
  await producer?.disconnect();
  await pool?.query(`DROP SCHEMA IF EXISTS ${iso.schema} CASCADE`).catch(() => undefined);
  await pool?.end();
});

describe("the scanner's breaches wait for the parcel consumer", () => {
  it('does not breach an overdue open parcel while an event is on the broker unfolded; does once the group committed past it', async () => {
    const watermark = kafkaFoldWatermark(kafka, groupId, topic);
    try {
      const received = new Date('2026-06-01T14:00:00Z');
      // nothing on the broker: caught up at the first scan's instant
      expect(await watermark.foldedThrough(received)).toEqual(received);

      const parcel = testParcel(countyId, 'v1');
      await withTransaction(pool, async (tx) => {
        await upsertMasterData(tx, { entity: 'county', record: countyRecord(countyId) });
        await upsertMasterData(tx, { entity: 'station', record: stationRecord(countyId, 'v1', 'village') });
        await foldParcelEvents(tx, { outbox, source: 'sla' }, [stepEvent(parcel, 'received', received)], received);
      });
      const { rows } = await pool.query<{ deadline: Date; open: boolean }>(`SELECT deadline, open FROM sla_parcels WHERE parcel_id = $1`, [parcel.id]);
      expect(rows[0]?.open).toBe(true);
      const late = new Date(rows[0]!.deadline.getTime() + 3_600_000);

      // its arrival at the station is on the broker, not folded (no consumer has committed anything)
      const arrived = stepEvent(parcel, 'at_station', new Date(rows[0]!.deadline.getTime() - 3_600_000));
      await publish(producer, topic, [{ key: parcel.id, value: JSON.stringify(arrived) }]);
      const breaches = async () => (await pool.query(`SELECT count(*)::int AS n FROM sla_alerts WHERE kind = 'breach' AND parcel_id = $1`, [parcel.id])).rows[0].n as number;
      await scanOnce({ pool, outbox, source: 'sla', clock: () => late, foldedThrough: watermark.foldedThrough });
      expect(await breaches()).toBe(0);

      // the group commits past the end offsets seen at that scan (as the consumer does once it has folded them)
      const admin = kafka.admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
      await admin.disconnect();
      await scanOnce({ pool, outbox, source: 'sla', clock: () => late, foldedThrough: watermark.foldedThrough });
      expect(await breaches()).toBe(1);
    } finally {
      await watermark.stop();
    }
  }, 60_000);
});
