import { readDeadLetters, type Producer } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { readingsBetween } from '../src/readings/index.js';
import {
  county,
  gatewayProducer,
  oneReading,
  publishReadings,
  reading,
  readingsBatch,
  recordingListener,
  runningReadings,
  seedContainers,
} from './readings-support.js';

const iso = isolation();
const config = testConfig(iso);
const listener = recordingListener();
let service: Awaited<ReturnType<typeof runningReadings>>;
let producer: Producer;

beforeAll(async () => {
  service = await runningReadings(config, { listener });
  producer = await gatewayProducer(config);
});

afterAll(async () => {
  await producer?.disconnect();
  await service?.runtime.lifecycle.shutdown();
});

const dlq = `${config.TOPIC_PREFIX}coldchain.readings.dlq`;
const since = new Date(Date.now() - 3600_000);
const until = new Date(Date.now() + 3600_000);
/** A county whose catalogue has these containers, from master data. */
async function countyWith(...containerIds: string[]): Promise<string> {
  const c = county();
  await seedContainers(producer, config, service.runtime.pool, c, containerIds);
  return c;
}

describe('readings from Kafka coldchain.readings', () => {
  it('a batch stores its good readings once and dead-letters each bad one with its index and reason', async () => {
    const c = await countyWith('V1/refrigerated');
    const good = [reading('V1/refrigerated', 's1', 3), reading('V1/refrigerated', 's1', 2), reading('V1/refrigerated', 's2', 2)];
    const batch = readingsBatch(c, 'V1/refrigerated', [
      good[0],
      good[1],
      { ...good[1], temperatureC: 120 },
      good[2],
      reading('truck-9', 's1', 1),
      good[0],
    ]);
    await publishReadings(producer, config, [batch]);

    const stored = await waitFor(async () => {
      const rows = await readingsBetween(service.runtime.pool, c, 'V1/refrigerated', since, until);
      return rows.length === 3 ? rows : undefined;
    });
    expect(stored.map((r) => [r.sensorId, r.measuredAt])).toEqual([
      ['s1', good[0]!.measuredAt],
      ['s1', good[1]!.measuredAt],
      ['s2', good[2]!.measuredAt],
    ]);
    const letter = await waitFor(async () => (await readDeadLetters(service.runtime.kafka, dlq)).find((d) => d.record.original.value?.includes(batch.id)));
    expect(letter.record).toMatchObject({ consumer: 'coldchain.readings', failedIndexes: [2, 4], itemsPath: 'readings' });
    expect(letter.record.issues).toEqual([
      { path: '2.temperatureC', reason: 'at most 80 °C' },
      { path: '4.containerId', reason: `unknown container truck-9 in county ${c}` },
    ]);
    await service.readings.ingest.idle();
    const heard = listener.heard.filter((h) => h.countyId === c);
    expect(heard).toHaveLength(1);
    expect(heard[0]!.readings.map((r) => [r.sensorId, r.measuredAt])).toEqual(stored.map((r) => [r.sensorId, r.measuredAt]));
  });

  it('a reading sent again, alone or in another batch, is stored and heard once', async () => {
    const c = await countyWith('V2/refrigerated');
    const first = [reading('V2/refrigerated', 's1', 5), reading('V2/refrigerated', 's1', 4)];
    const later = reading('V2/refrigerated', 's1', 1);
    await publishReadings(producer, config, [readingsBatch(c, 'V2/refrigerated', first)]);
    await waitFor(async () => ((await readingsBetween(service.runtime.pool, c, 'V2/refrigerated', since, until)).length === 2 ? true : undefined));
    // The same readings again: in a new batch (a gateway's retry), alone, and with a newer one, out of order.
    await publishReadings(producer, config, [
      readingsBatch(c, 'V2/refrigerated', [later, first[1], first[0]]),
      oneReading(c, first[0]!),
      oneReading(c, later),
    ]);
    await waitFor(async () => ((await readingsBetween(service.runtime.pool, c, 'V2/refrigerated', since, until)).length === 3 ? true : undefined));
    await service.readings.ingest.idle();
    const heard = listener.heard.filter((h) => h.countyId === c).flatMap((h) => h.readings.map((r) => r.measuredAt));
    expect(heard.sort()).toEqual([first[0]!.measuredAt, first[1]!.measuredAt, later.measuredAt].sort());
  });

  it('a single reading beyond the allowed clock skew is dead-lettered whole, naming the skew; the stream goes on', async () => {
    const c = await countyWith('V3/refrigerated');
    const ahead = { ...reading('V3/refrigerated', 's1', 0), measuredAt: new Date(Date.now() + 10 * 60_000).toISOString() };
    const bad = oneReading(c, ahead);
    const after = oneReading(c, reading('V3/refrigerated', 's1', 1));
    await publishReadings(producer, config, [bad, after]);
    await waitFor(async () => ((await readingsBetween(service.runtime.pool, c, 'V3/refrigerated', since, until)).length === 1 ? true : undefined));
    const letter = await waitFor(async () => (await readDeadLetters(service.runtime.kafka, dlq)).find((d) => d.record.original.value?.includes(bad.id)));
    expect(letter.record.reason).toContain('beyond the allowed clock skew of 5 min');
    expect(letter.record.issues[0]!.path).toBe('data.measuredAt');
  });

  it('many events of many containers in one go are stored together and heard per container, in time order', async () => {
    const c = await countyWith('V4/refrigerated', 'V5/refrigerated', 'V6/refrigerated');
    const events = [];
    for (let minute = 60; minute > 0; minute--) {
      for (const v of ['V4', 'V5', 'V6']) events.push(oneReading(c, reading(`${v}/refrigerated`, 's1', minute, 2 + (minute % 5))));
    }
    // Out of order, with duplicates.
    const shuffled = [...events.slice(90), ...events.slice(0, 90), ...events.slice(30, 60)];
    await publishReadings(producer, config, shuffled);
    for (const v of ['V4', 'V5', 'V6']) {
      await waitFor(async () => ((await readingsBetween(service.runtime.pool, c, `${v}/refrigerated`, since, until)).length === 60 ? true : undefined));
    }
    await service.readings.ingest.idle();
    for (const v of ['V4', 'V5', 'V6']) {
      const calls = listener.heard.filter((h) => h.countyId === c && h.containerId === `${v}/refrigerated`);
      const all = calls.flatMap((h) => h.readings.map((r) => r.measuredAt));
      expect(new Set(all).size).toBe(60);
      expect(all).toHaveLength(60);
      for (const call of calls) expect(call.readings.map((r) => r.measuredAt)).toEqual([...call.readings.map((r) => r.measuredAt)].sort());
    }
  });

  it('a container the catalogue does not have — of the documented form, or another county’s — is dead-lettered as unknown and changes nothing', async () => {
    const c = await countyWith('V1/refrigerated');
    const other = await countyWith('V7/refrigerated');
    // V9 has the form of a compartment but no vehicle in master data; V7 is the other county's.
    const batch = readingsBatch(c, 'V9/refrigerated', [reading('V9/refrigerated', 's1', 2), reading('V7/refrigerated', 's1', 2)]);
    const single = oneReading(c, reading('S1/cold-room', 's1', 1));
    // Then a good one, so the consumer is known to be past both.
    const good = oneReading(c, reading('V1/refrigerated', 's1', 1));
    await publishReadings(producer, config, [batch, single, good]);
    await waitFor(async () => ((await readingsBetween(service.runtime.pool, c, 'V1/refrigerated', since, until)).length === 1 ? true : undefined));
    const letters = await waitFor(async () => {
      const all = (await readDeadLetters(service.runtime.kafka, dlq)).filter((d) => d.record.original.value?.includes(batch.id) || d.record.original.value?.includes(single.id));
      return all.length === 2 ? all.map((d) => d.record) : undefined;
    });
    const ofBatch = letters.find((l) => l.original.value?.includes(batch.id))!;
    expect(ofBatch).toMatchObject({ consumer: 'coldchain.readings', failedIndexes: [0, 1], itemsPath: 'readings' });
    expect(ofBatch.issues).toEqual([
      { path: '0.containerId', reason: `unknown container V9/refrigerated in county ${c}` },
      { path: '1.containerId', reason: `unknown container V7/refrigerated in county ${c}` },
    ]);
    const ofSingle = letters.find((l) => l.original.value?.includes(single.id))!;
    expect(ofSingle.issues).toEqual([{ path: 'data.containerId', reason: `unknown container S1/cold-room in county ${c}` }]);
    // Nothing stored for them, in either county, and nobody told.
    const { rows } = await service.runtime.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM readings WHERE county_id = ANY($1) AND container_id <> 'V1/refrigerated'`,
      [[c, other]],
    );
    expect(rows[0]!.n).toBe(0);
    await service.readings.ingest.idle();
    expect(listener.heard.filter((h) => h.countyId === c || h.countyId === other).map((h) => h.containerId)).toEqual(['V1/refrigerated']);
  });
});
