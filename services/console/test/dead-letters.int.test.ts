import { deadLetterTopic, topics } from '@county/contracts';
import { createKafka, createProducer } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testLogger, waitFor } from '../../../tests/support/harness.js';
import { runningConsole } from './support.js';

describe('dead letters waiting, counted on the broker', () => {
  const iso = isolation();
  let running: Awaited<ReturnType<typeof runningConsole>>;
  let keys: { operator: string; station: string };

  beforeAll(async () => {
    running = await runningConsole(iso);
    keys = {
      operator: await running.issue({ countyId: 'cn-1', role: 'operator', name: 'operator' }),
      station: await running.issue({ countyId: 'cn-1', role: 'station', name: 'v1', scope: { stationId: 'v1' } }),
    };
    // three dead letters of parcel.events, one of courier.manifests (the runtime makes each dead-letter topic, one partition)
    const kafka = createKafka({ brokers: running.config.KAFKA_BROKERS, clientId: 'dead-letter-writer', logger: testLogger('dlq') });
    const admin = kafka.admin();
    await admin.connect();
    const physical = (topic: string) => `${iso.topicPrefix}${deadLetterTopic(topic)}`;
    await admin.createTopics({ topics: [{ topic: physical(topics.parcelEvents.name) }, { topic: physical(topics.courierManifests.name) }], waitForLeaders: true });
    await admin.disconnect();
    const producer = createProducer(kafka);
    await producer.connect();
    await producer.send({ topic: physical(topics.parcelEvents.name), messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await producer.send({ topic: physical(topics.courierManifests.name), messages: [{ value: 'd' }] });
    await producer.disconnect();
  });
  afterAll(async () => {
    await running?.close();
  });

  it('sums high minus low watermark over the partitions of each dead-letter topic', async () => {
    const body = await waitFor(async () => {
      const res = await running.app.inject({ method: 'GET', url: '/api/console/dead-letters', headers: { 'x-api-key': keys.operator } });
      const json = res.json() as { topics: { topic: string; waiting: number }[]; total: number };
      return json.total === 4 ? json : undefined;
    });
    expect(body.topics).toContainEqual({ topic: 'parcel.events.dlq', waiting: 3 });
    expect(body.topics).toContainEqual({ topic: 'courier.manifests.dlq', waiting: 1 });
    expect(body.topics).toContainEqual({ topic: 'sla.events.dlq', waiting: 0 });
  });

  it('is for admin and operator keys only', async () => {
    expect((await running.app.inject({ method: 'GET', url: '/api/console/dead-letters', headers: { 'x-api-key': keys.station } })).statusCode).toBe(403);
    expect((await running.app.inject({ method: 'GET', url: '/api/console/dead-letters' })).statusCode).toBe(401);
  });
});
