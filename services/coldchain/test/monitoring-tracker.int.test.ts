import { buildEvent, topics, type Envelope } from '@county/contracts';
import { createKafka, createProducer, createRedis, publish, waitForTopics } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import type { Sample } from '../src/monitoring/domain/fold.js';
import type { MonitoredProfile } from '../src/monitoring/ports.js';
import { containerEvents, freshId, outboxEvents, parcelId, runningColdchain, series, stoneFruit, testClock, testPorts, typesOf, type RunningColdchain } from './monitoring-support.js';

const iso = isolation();
const config = testConfig(iso);
const COUNTY = 'cn-511623';
const START = '2026-07-01T06:00:00.000Z';
const clock = testClock('2026-07-01T08:00:00.000Z');
const profiles = new Map<string, MonitoredProfile>();
const parcels = new Map<string, string[]>();
const ports = testPorts(profiles, parcels);

/** A container carrying stone fruit, with two parcels bound to it. */
function truck() {
  const containerId = `${freshId('veh')}/refrigerated`;
  profiles.set(containerId, stoneFruit);
  parcels.set(containerId, [parcelId(), parcelId()]);
  return containerId;
}

/** 90 minutes of a trip: 2 °C, then 35 minutes at 7.5 °C from minute 20, then 2 °C again. */
const trip = () => series(START, 'probe-1', 0, 90, (m) => (m >= 20 && m < 55 ? 7.5 : 2));

/** The trip as a gateway uploads it: batches of five minutes. */
const batches = (samples: Sample[], size = 10) => Array.from({ length: Math.ceil(samples.length / size) }, (_, i) => samples.slice(i * size, i * size + size));

const count = (events: Envelope[], type: string) => events.filter((e) => e.type === type).length;
const done = (events: Envelope[]) => count(events, 'coldchain.alarm_cleared') >= 1 && count(events, 'coldchain.excursion_closed') >= 1;

let run: RunningColdchain;

beforeAll(async () => {
  run = await runningColdchain(config, { clock: clock.clock, ports });
});

afterAll(async () => {
  await run?.stop();
});

/** Batch by batch, the clock following the gateway (a batch arrives 30 s after its last reading). */
async function feedAll(target: RunningColdchain, containerId: string, samples: Sample[]) {
  for (const batch of batches(samples)) {
    clock.set(new Date(Math.max(...batch.map((s) => s.at)) + 30_000).toISOString());
    await target.feed(COUNTY, containerId, batch);
  }
}

describe('the tracker over Postgres, Redis and Kafka', () => {
  it('a trip with one excursion beyond tolerance yields exactly one alarm, raised and cleared by the data, with the parcels aboard', async () => {
    const containerId = truck();
    await feedAll(run, containerId, trip());
    const events = await containerEvents(run, config, containerId, done);
    expect(typesOf(events)).toEqual(['coldchain.excursion_opened', 'coldchain.alarm_raised', 'coldchain.excursion_closed', 'coldchain.alarm_cleared']);
    const [opened, raised, closed, cleared] = events as [Envelope<any>, Envelope<any>, Envelope<any>, Envelope<any>];
    expect(opened.data).toMatchObject({ containerId, profileId: 'yellow-peach', startedAt: '2026-07-01T06:20:00.000Z', side: 'above', temperatureC: 7.5 });
    expect(new Set(opened.data.parcelIds)).toEqual(new Set(parcels.get(containerId)));
    expect(raised.data).toMatchObject({ kind: 'tolerance_exceeded', severity: 'critical', raisedAt: '2026-07-01T06:50:30.000Z', excursionId: opened.data.excursionId });
    expect(raised.data.detail).toContain('exceeds the 30 min tolerated');
    expect(new Set(raised.data.parcelIds)).toEqual(new Set(parcels.get(containerId)));
    expect(closed.data).toMatchObject({ excursionId: opened.data.excursionId, endedAt: '2026-07-01T06:55:00.000Z', minutesOutOfRange: 35, minC: 2, maxC: 7.5 });
    expect(cleared.data).toMatchObject({ alarmId: raised.data.alarmId, at: '2026-07-01T06:55:00.000Z' });
    expect(cleared.data.by).toBeUndefined();
    // Every event is keyed and stamped by the container, at the time it happened.
    expect(events.map((e) => e.subject)).toEqual([containerId, containerId, containerId, containerId]);
    expect(opened.occurredAt).toBe('2026-07-01T06:20:00.000Z');
  });

  it('a trip published by its gateway to Kafka coldchain.readings, out of order and with repeats, yields exactly one alarm on coldchain.events', async () => {
    const containerId = truck();
    const producer = createProducer(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'gateway', logger: testLogger('gateway') }));
    await producer.connect();
    try {
      const admin = run.runtime.kafka.admin();
      await admin.connect();
      await waitForTopics(admin, [`${config.TOPIC_PREFIX}${topics.coldchainReadings.name}`]);
      await admin.disconnect();
      clock.set('2026-07-01T07:30:30.000Z');
      // Batches of five minutes, the third and fourth swapped, the sixth sent twice.
      const sent = batches(trip());
      [sent[2], sent[3]] = [sent[3]!, sent[2]!];
      sent.splice(6, 0, sent[5]!);
      const messages = sent.map((readings) => ({
        key: containerId,
        value: JSON.stringify(
          buildEvent({
            type: 'coldchain.readings_submitted',
            countyId: COUNTY,
            subject: containerId,
            source: 'gateway-7',
            data: { gatewayId: 'gateway-7', readings: readings.map((r) => ({ containerId, sensorId: r.sensorId, temperatureC: r.temperatureC, measuredAt: new Date(r.at).toISOString() })) },
          }),
        ),
      }));
      await publish(producer, `${config.TOPIC_PREFIX}${topics.coldchainReadings.name}`, messages);
    } finally {
      await producer.disconnect();
    }
    const events = await containerEvents(run, config, containerId, done);
    expect(typesOf(events)).toEqual(['coldchain.excursion_opened', 'coldchain.alarm_raised', 'coldchain.excursion_closed', 'coldchain.alarm_cleared']);
    expect(events[1]!.data).toMatchObject({ kind: 'tolerance_exceeded', raisedAt: '2026-07-01T06:50:30.000Z' });
    expect(events[2]!.data).toMatchObject({ minutesOutOfRange: 35 });
  });

  it('most batches of a trip stay in Redis; transitions and checkpoints go through Postgres (the metrics say which)', async () => {
    const containerId = truck();
    await feedAll(run, containerId, trip());
    const text = (await run.app.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (line: RegExp) => Number(text.match(line)?.[1] ?? 0);
    expect(value(/coldchain_tracker_batches_total\{[^}]*path="hot"[^}]*\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/coldchain_tracker_batches_total\{[^}]*path="postgres"[^}]*\} (\d+)/)).toBeGreaterThan(0);
    expect(value(/coldchain_alarms_raised_total\{[^}]*kind="tolerance_exceeded"[^}]*\} (\d+)/)).toBeGreaterThan(0);
  });

  it('the same readings again, duplicated and in another order, change nothing and publish nothing', async () => {
    const containerId = truck();
    await feedAll(run, containerId, trip());
    await containerEvents(run, config, containerId, done);
    const before = await outboxEvents(run.runtime.pool, containerId);
    const again = [...trip()].reverse();
    // Told again straight to the tracker (the ingest would drop them as duplicates): it must not depend on that.
    const stored = (s: Sample) => ({ countyId: COUNTY, containerId, sensorId: s.sensorId, measuredAt: new Date(s.at).toISOString(), temperatureC: s.temperatureC, humidityPct: null, receivedAt: clock.clock().toISOString() });
    for (const batch of batches(again, 7)) await run.monitoring.tracker.onReadings(COUNTY, containerId, batch.map(stored));
    await run.feed(COUNTY, containerId, again);
    expect(await outboxEvents(run.runtime.pool, containerId)).toEqual(before);
  });

  it('a service restarted in the middle of an excursion resumes the same one: one alarm, raised once, cleared once', async () => {
    const containerId = truck();
    const samples = trip();
    // Up to minute 40: the excursion is open, 20 minutes out, no alarm yet.
    await feedAll(run, containerId, samples.slice(0, 80));
    await run.stop();
    run = await runningColdchain(config, { clock: clock.clock, ports });
    // To minute 52 (the alarm is raised), then the service stops again.
    await feedAll(run, containerId, samples.slice(80, 104));
    await run.stop();
    run = await runningColdchain(config, { clock: clock.clock, ports });
    await feedAll(run, containerId, samples.slice(104));
    const events = await containerEvents(run, config, containerId, done);
    expect(typesOf(events)).toEqual(['coldchain.excursion_opened', 'coldchain.alarm_raised', 'coldchain.excursion_closed', 'coldchain.alarm_cleared']);
    const ids = new Set(events.map((e) => (e.data as { excursionId?: string }).excursionId).filter(Boolean));
    expect(ids.size).toBe(1);
    expect((events[2]!.data as { minutesOutOfRange: number }).minutesOutOfRange).toBe(35);
  });

  it('readings the ingest stored just before it died, never told to the tracker, are folded when the service starts again', async () => {
    const containerId = truck();
    const samples = trip();
    await feedAll(run, containerId, samples.slice(0, 80));
    // Minutes 40–52 stored, then the process died before the listener heard them: the alarm is in those readings.
    await run.storeOnly(COUNTY, containerId, samples.slice(80, 104));
    clock.set('2026-07-01T06:52:30.000Z');
    await run.stop();
    run = await runningColdchain(config, { clock: clock.clock, ports });
    const raised = await containerEvents(run, config, containerId, (all) => count(all, 'coldchain.alarm_raised') === 1);
    expect((raised[1]!.data as { raisedAt: string }).raisedAt).toBe('2026-07-01T06:50:30.000Z');
    await feedAll(run, containerId, samples.slice(104));
    const events = await containerEvents(run, config, containerId, done);
    expect(typesOf(events)).toEqual(['coldchain.excursion_opened', 'coldchain.alarm_raised', 'coldchain.excursion_closed', 'coldchain.alarm_cleared']);
  });

  it('Redis flushed in the middle of an excursion: rebuilt from Postgres and the stored readings, the same excursion and one alarm', async () => {
    const containerId = truck();
    const samples = trip();
    const redis = createRedis(config.REDIS_URL, testLogger());
    await redis.connect();
    try {
      const flush = async () => {
        const keys = await redis.keys(`coldchain:${config.DB_SCHEMA}:hot:*`);
        if (keys.length > 0) await redis.del(...keys);
        return keys.length;
      };
      await feedAll(run, containerId, samples.slice(0, 80));
      expect(await flush()).toBeGreaterThan(0);
      await feedAll(run, containerId, samples.slice(80, 104));
      expect(await flush()).toBeGreaterThan(0);
      await feedAll(run, containerId, samples.slice(104));
    } finally {
      redis.disconnect();
    }
    const events = await containerEvents(run, config, containerId, done);
    expect(typesOf(events)).toEqual(['coldchain.excursion_opened', 'coldchain.alarm_raised', 'coldchain.excursion_closed', 'coldchain.alarm_cleared']);
    expect((events[2]!.data as { minutesOutOfRange: number }).minutesOutOfRange).toBe(35);
    expect((events[1]!.data as { raisedAt: string }).raisedAt).toBe('2026-07-01T06:50:30.000Z');
  });

  it('late readings that move an excursion’s start replace it: the old one is superseded (an event) and its alarm cleared, the new one carries the alarm and its acknowledgement', async () => {
    const containerId = truck();
    // The gateway lost minutes 18–20 (out of range already): the excursion is first seen at minute 20.
    const samples = series(START, 'probe-1', 0, 90, (m) => (m >= 18 && m < 55 ? 7.5 : 2));
    const missing = samples.filter((s) => s.at >= Date.parse('2026-07-01T06:18:00Z') && s.at < Date.parse('2026-07-01T06:20:00Z'));
    const received = samples.filter((s) => !missing.includes(s));
    // Up to minute 52: the excursion seen from minute 20 has exceeded (alarm raised, not cleared).
    await feedAll(run, containerId, received.filter((s) => s.at < Date.parse('2026-07-01T06:52:00Z')));
    const first = await containerEvents(run, config, containerId, (all) => count(all, 'coldchain.alarm_raised') === 1);
    const oldId = (first[0]!.data as { excursionId: string }).excursionId;
    const oldAlarm = (first[1]!.data as { alarmId: string }).alarmId;
    // The quality manager takes charge of the alarm before the gateway's late upload.
    const staff = await run.issue(COUNTY, 'operator');
    const acknowledged = await run.call('POST', `/coldchain/alarms/${oldAlarm}/acknowledge`, staff, { comment: '司机已开门检查' });
    expect(acknowledged.statusCode, acknowledged.body).toBe(200);
    const by = acknowledged.json().acknowledged.by;
    const before = (await containerEvents(run, config, containerId, (all) => count(all, 'coldchain.alarm_acknowledged') === 1)).length;
    await run.feed(COUNTY, containerId, missing);
    await feedAll(run, containerId, received.filter((s) => s.at >= Date.parse('2026-07-01T06:52:00Z')));
    const events = await containerEvents(run, config, containerId, (all) => count(all, 'coldchain.excursion_closed') === 1);
    const later = events.slice(before);
    const opened = later.find((e) => e.type === 'coldchain.excursion_opened')!.data as { excursionId: string; startedAt: string };
    expect(opened.startedAt).toBe('2026-07-01T06:18:00.000Z');
    expect(opened.excursionId).not.toBe(oldId);
    // The old excursion superseded and its alarm cleared as replaced; the new one raised (30 min out at 06:48:30),
    // acknowledged by whoever acknowledged the old one, and cleared when back in range.
    expect(typesOf(later)).toEqual([
      'coldchain.excursion_opened',
      'coldchain.alarm_raised',
      'coldchain.excursion_superseded',
      'coldchain.alarm_cleared',
      'coldchain.alarm_acknowledged',
      'coldchain.excursion_closed',
      'coldchain.alarm_cleared',
    ]);
    expect(later[2]!.data).toMatchObject({
      excursionId: oldId,
      containerId,
      startedAt: '2026-07-01T06:20:00.000Z',
      supersededBy: opened.excursionId,
      reason: `late readings moved its start: replaced by excursion ${opened.excursionId}`,
    });
    expect(later[3]!.data).toMatchObject({ alarmId: oldAlarm, comment: `excursion ${oldId} was replaced by ${opened.excursionId}: late readings moved its start` });
    expect(later[1]!.data).toMatchObject({ excursionId: opened.excursionId, raisedAt: '2026-07-01T06:48:30.000Z' });
    const newAlarm = (later[1]!.data as { alarmId: string }).alarmId;
    const carried = `carried over from alarm ${oldAlarm} of excursion ${oldId}, replaced when late readings moved its start: 司机已开门检查`;
    expect(later[4]!.data).toMatchObject({ alarmId: newAlarm, by, comment: carried });
    const alarm = await run.call('GET', `/coldchain/alarms/${newAlarm}`, staff);
    expect(alarm.json()).toMatchObject({ acknowledged: { by, comment: carried } });
    const old = await run.call('GET', `/coldchain/excursions/${oldId}`, staff);
    expect(old.json()).toMatchObject({ state: 'superseded', supersededBy: opened.excursionId });
    const listed = await run.call('GET', `/coldchain/excursions?containerId=${encodeURIComponent(containerId)}`, staff);
    expect(listed.json().excursions.map((e: { excursionId: string }) => e.excursionId)).toEqual([opened.excursionId]);
    const current = await run.call('GET', `/coldchain/excursions/${opened.excursionId}`, staff);
    expect(current.json()).toMatchObject({ state: 'closed', minutesOutOfRange: 37, startedAt: '2026-07-01T06:18:00.000Z' });
  });
});
