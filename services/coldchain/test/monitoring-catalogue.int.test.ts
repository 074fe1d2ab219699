import { buildEvent, topics, type Envelope } from '@county/contracts';
import { createKafka, createProducer, publish, waitForTopics } from '@county/platform';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger, waitFor } from '../../../tests/support/harness.js';
import { intakeStandIn, reefer, station } from './catalogue-support.js';
import { containerEvents, freshId, runningColdchain, series, testClock, typesOf, type RunningColdchain } from './monitoring-support.js';

/**
 * Monitoring over the real catalogue, as main.ts wires it: containers from master data on Kafka, the profile an
 * operator sets for a compartment, parcels bound to it by hand, readings from a gateway on Kafka.
 */
const iso = isolation();
const config = testConfig(iso);
const COUNTY = `cn-${randomUUID().slice(0, 6)}`;
const START = '2026-07-04T06:00:00.000Z';
const clock = testClock('2026-07-04T05:00:00.000Z');
let run: RunningColdchain;
let intake: Awaited<ReturnType<typeof intakeStandIn>>;
let operator: string;

beforeAll(async () => {
  run = await runningColdchain(config, { clock: clock.clock });
  intake = await intakeStandIn(config);
  operator = await run.issue(COUNTY, 'operator');
});

afterAll(async () => {
  await intake?.close();
  await run?.stop();
});

const at = (minute: number) => new Date(Date.parse(START) + minute * 60_000).toISOString();
const count = (events: Envelope[], type: string) => events.filter((e) => e.type === type).length;

/** The gateway's batches of five minutes on Kafka `coldchain.readings`, the clock following them. */
async function gateway(containerId: string, samples: ReturnType<typeof series>) {
  const producer = createProducer(createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'gateway', logger: testLogger('gateway') }));
  await producer.connect();
  try {
    const admin = run.runtime.kafka.admin();
    await admin.connect();
    await waitForTopics(admin, [`${config.TOPIC_PREFIX}${topics.coldchainReadings.name}`]);
    await admin.disconnect();
    clock.set(new Date(Math.max(...samples.map((s) => s.at)) + 30_000).toISOString());
    const messages = [];
    for (let i = 0; i < samples.length; i += 10) {
      const readings = samples.slice(i, i + 10).map((r) => ({ containerId, sensorId: r.sensorId, temperatureC: r.temperatureC, measuredAt: new Date(r.at).toISOString() }));
      messages.push({ key: containerId, value: JSON.stringify(buildEvent({ type: 'coldchain.readings_submitted', countyId: COUNTY, subject: containerId, source: 'gw', data: { readings } })) });
    }
    await publish(producer, `${config.TOPIC_PREFIX}${topics.coldchainReadings.name}`, messages);
  } finally {
    await producer.disconnect();
  }
}

/** Until the live view shows the container's reading measured at `measuredAt` (the gateway's batches are folded). */
const heardUpTo = (containerId: string, measuredAt: string) =>
  waitFor(async () => {
    const live = (await run.call('GET', `/coldchain/containers/live?containerId=${encodeURIComponent(containerId)}`, operator)).json();
    return live.containers?.[0]?.measuredAt === measuredAt ? true : undefined;
  });

describe('monitoring over the real catalogue', () => {
  it('a stone-fruit truck with two parcels bound: its excursion beyond tolerance raises one alarm naming those parcels; its silence another', async () => {
    const vehicleId = freshId('veh');
    const containerId = `${vehicleId}/refrigerated`;
    await intake.masterData({ vehicle: reefer(COUNTY, vehicleId) });
    await waitFor(async () => ((await run.call('GET', `/coldchain/containers/${encodeURIComponent(containerId)}`, operator)).statusCode === 200 ? true : undefined));
    const profile = await run.call('PUT', `/coldchain/containers/${encodeURIComponent(containerId)}`, operator, { profileId: 'yellow-peach' });
    expect(profile.statusCode).toBe(200);
    const parcels = [randomUUID(), randomUUID()];
    clock.set(at(0));
    for (const parcelId of parcels) {
      const bound = await run.call('POST', '/coldchain/bindings', operator, { parcelId, containerId, from: at(-10), reason: 'loaded at the packing house, handheld offline' });
      expect(bound.statusCode, bound.body).toBe(201);
    }

    await gateway(containerId, series(START, 'probe-1', 0, 90, (m) => (m >= 20 && m < 55 ? 7.5 : 2)));
    const events = await containerEvents(run, config, containerId, (all) => count(all, 'coldchain.alarm_cleared') === 1);
    expect(typesOf(events)).toEqual(['coldchain.excursion_opened', 'coldchain.alarm_raised', 'coldchain.excursion_closed', 'coldchain.alarm_cleared']);
    expect(events[0]!.data).toMatchObject({ profileId: 'yellow-peach', startedAt: at(20) });
    expect([...(events[1]!.data as { parcelIds: string[] }).parcelIds].sort()).toEqual([...parcels].sort());

    // The gateway falls silent with the parcels still aboard.
    clock.set(at(120));
    await (await run.scanner()).nextPass();
    const silent = await containerEvents(run, config, containerId, (all) => count(all, 'coldchain.alarm_raised') === 2);
    expect(silent[4]!.data).toMatchObject({ kind: 'sensor_silent', severity: 'major' });
    expect([...(silent[4]!.data as { parcelIds: string[] }).parcelIds].sort()).toEqual([...parcels].sort());

    const live = (await run.call('GET', `/coldchain/containers/live?containerId=${encodeURIComponent(containerId)}`, operator)).json();
    expect(live.containers[0]).toMatchObject({ containerId, profileId: 'yellow-peach', state: 'silent', temperatureC: 2, openExcursion: null });
  });

  it('a station’s cold room from master data falls silent while empty: a minor alarm', async () => {
    const stationId = freshId('st');
    const containerId = `${stationId}/cold-room`;
    await intake.masterData({ station: station(COUNTY, stationId, 'village', 20) });
    await waitFor(async () => ((await run.call('GET', `/coldchain/containers/${encodeURIComponent(containerId)}`, operator)).statusCode === 200 ? true : undefined));
    // In the live view before its gateway says a word.
    const before = (await run.call('GET', `/coldchain/containers/live?containerId=${encodeURIComponent(containerId)}`, operator)).json();
    expect(before.containers).toEqual([expect.objectContaining({ containerId, profileId: 'chilled', state: 'no_readings', temperatureC: null })]);
    await gateway(containerId, series(START, 'room-1', 120, 140, () => 3));
    await heardUpTo(containerId, at(139.5));
    clock.set(at(200));
    await (await run.scanner()).nextPass();
    const events = await containerEvents(run, config, containerId, (all) => count(all, 'coldchain.alarm_raised') === 1);
    expect(events[0]!.data).toMatchObject({ kind: 'sensor_silent', severity: 'minor', parcelIds: [] });
  });

  it('produce collected into a truck that does not get it below 4 °C within its window gets one precooling_missed alarm; produce that does, none', async () => {
    const vehicleId = freshId('veh');
    const containerId = `${vehicleId}/refrigerated`;
    await intake.masterData({ vehicle: reefer(COUNTY, vehicleId) });
    await waitFor(async () => ((await run.call('GET', `/coldchain/containers/${encodeURIComponent(containerId)}`, operator)).statusCode === 200 ? true : undefined));
    // Yellow peach asks for below 4 °C within 12 h of collection: an admin shortens the window to 2 h for the test.
    const admin = await run.issue(COUNTY, 'admin');
    const peach = (await run.call('GET', '/coldchain/profiles/yellow-peach', admin)).json();
    const body = { name: peach.name, nameZh: peach.nameZh, minC: peach.minC, maxC: peach.maxC, toleratedMinutes: peach.toleratedMinutes, mktLimitC: peach.mktLimitC,
      activationEnergyKjPerMol: peach.activationEnergyKjPerMol, precooling: { targetC: 4, withinHours: 2 }, silenceGapMinutes: peach.silenceGapMinutes, sources: peach.sources };
    const edited = await run.call('PUT', '/coldchain/profiles/yellow-peach', admin, body);
    expect(edited.statusCode, edited.body).toBe(200);
    const warm = randomUUID();
    const cooled = randomUUID();
    clock.set(at(300));
    const bindings: Record<string, string> = {};
    for (const parcelId of [warm, cooled]) {
      const bound = await run.call('POST', '/coldchain/bindings', operator, { parcelId, containerId, from: at(300), reason: 'collected at the orchard' });
      expect(bound.statusCode, bound.body).toBe(201);
      bindings[parcelId] = bound.json().bindingId;
    }
    // What the catalogue learns from the booking and dispatch's pickups_collected (its own suites drive those): the
    // produce's profile and when it was collected.
    await run.runtime.pool.query(`UPDATE cold_parcels SET profile_id = 'yellow-peach', collected_at = $2 WHERE parcel_id = ANY($1::uuid[])`, [[warm, cooled], at(300)]);
    // After an hour the cooled parcel moves to a colder truck; the first one stays at 6 °C.
    const other = freshId('veh');
    await intake.masterData({ vehicle: reefer(COUNTY, other) });
    await waitFor(async () => ((await run.call('GET', `/coldchain/containers/${encodeURIComponent(`${other}/refrigerated`)}`, operator)).statusCode === 200 ? true : undefined));
    clock.set(at(360));
    const moved = await run.call('DELETE', `/coldchain/bindings/${bindings[cooled]}`, operator, { reason: 'moved to the colder truck', to: at(360) });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await run.call('POST', '/coldchain/bindings', operator, { parcelId: cooled, containerId: `${other}/refrigerated`, from: at(360), reason: 'moved to the colder truck' })).statusCode).toBe(201);
    await gateway(containerId, series(START, 'probe-1', 300, 430, () => 6));
    await gateway(`${other}/refrigerated`, series(START, 'probe-9', 360, 430, () => 2));
    await heardUpTo(containerId, at(429.5));
    await heardUpTo(`${other}/refrigerated`, at(429.5));

    // The window ends at 07:00 + 2 h; checked 15 minutes later.
    clock.set(at(434));
    await (await run.scanner()).nextPass();
    expect((await run.call('GET', `/coldchain/alarms?kind=precooling_missed&containerId=${encodeURIComponent(containerId)}`, operator)).json().alarms).toEqual([]);
    clock.set(at(436));
    await (await run.scanner()).nextPass();
    await (await run.scanner()).nextPass();
    const events = await containerEvents(run, config, containerId, (all) => all.some((e) => (e.data as { kind?: string }).kind === 'precooling_missed'));
    const missed = events.filter((e) => (e.data as { kind?: string }).kind === 'precooling_missed');
    expect(missed).toHaveLength(1);
    expect(missed[0]!.data).toMatchObject({ severity: 'major', parcelIds: [warm], detail: `parcel ${warm} (yellow-peach): not below 4 °C within 2 h of its collection at ${at(300)}` });
    const listed = (await run.call('GET', '/coldchain/alarms?kind=precooling_missed', operator)).json().alarms;
    expect(listed.map((a: { parcelIds: string[] }) => a.parcelIds)).toEqual([[warm]]);
  });
});

