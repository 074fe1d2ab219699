import { topics, type Envelope } from '@county/contracts';
import type { Producer, Runtime } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { countyRecord, masterDataEvent, stationRecord, stepEvent, testParcel, type TestParcel } from './timeline-events.js';
import { applied, publishTo, runningSla, standInProducer, topicOf } from './metrics-support.js';

/**
 * The bureau's parcel figures end to end through the timeline's fold: parcel events published to Kafka as intake
 * publishes them, folded by sla's timeline into `sla_parcels`, read by `GET /v1/metrics`; every figure recomputed
 * here from those events alone (the timeline's README "Legs": whole minutes, floor; on time at most 24 h by the
 * default policy). A late scan moves the figures; a replayed event does not.
 */

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
const NOW = new Date('2026-07-01T00:00:00Z');
let runtime: Runtime;
let app: Awaited<ReturnType<typeof runningSla>>['app'];
let bureauKey: string;
let producer: Producer;

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const minute = 60_000;
const localDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const pDisc = (xs: number[], p: number) => (xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.ceil(p * xs.length) - 1]!);
const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1e6) / 1e6);

interface Journey {
  parcel: TestParcel;
  start: Date;
  end: Date;
  events: Envelope[];
  /** The scan that ends the leg. */
  last: Envelope;
}

function journey(i: number): Journey {
  const upstream = i % 3 === 2;
  const parcel = testParcel(countyId, i % 2 ? 'v1' : 'v2', { courierId: ['zto', 'yto', 'ems'][i % 3]!, direction: upstream ? 'upstream' : 'downstream' });
  const start = new Date(Date.UTC(2026, 5, 1 + (i % 28), 1 + (i % 20), Math.floor(rand() * 60), 17));
  const end = new Date(start.getTime() + (300 + Math.floor(rand() * 1500)) * minute + Math.floor(rand() * 59_000));
  const at = (m: number) => new Date(start.getTime() + m * minute);
  const events = upstream
    ? [stepEvent(parcel, 'booked', at(-600)), stepEvent(parcel, 'collected', start), stepEvent(parcel, 'at_center', end)]
    : [stepEvent(parcel, 'manifested', at(-600)), stepEvent(parcel, 'received', start), stepEvent(parcel, 'sorted', at(60)), stepEvent(parcel, 'departed', at(120)), stepEvent(parcel, 'at_station', end)];
  return { parcel, start, end, events, last: events.at(-1)! };
}

const journeys = Array.from({ length: 36 }, (_, i) => journey(i));
const late = journeys[4]!; // its arrival at the station is uploaded after the first look

function expected(seen: Journey[], late?: Journey) {
  const legsOf = (js: Journey[], leg: 'center_to_village' | 'village_to_center') => {
    const ms = js
      .filter((j) => (leg === 'center_to_village') === (j.parcel.direction === 'downstream'))
      .filter((j) => j !== late)
      .map((j) => Math.floor((j.end.getTime() - j.start.getTime()) / minute));
    const onTime = ms.filter((m) => m <= 24 * 60).length;
    return { key: leg, measured: ms.length, onTime, onTimeRate: rate(onTime, ms.length), p50Minutes: pDisc(ms, 0.5), p90Minutes: pDisc(ms, 0.9), breaches: ms.length - onTime };
  };
  const june = seen.filter((j) => localDay(j.start) >= '2026-06-01' && localDay(j.start) <= '2026-06-30');
  return {
    volumes: { downstream: june.filter((j) => j.parcel.direction === 'downstream').length, upstream: june.filter((j) => j.parcel.direction === 'upstream').length },
    c2v: legsOf(june, 'center_to_village'),
    v2c: legsOf(june, 'village_to_center'),
  };
}

async function metrics(groupBy?: string) {
  const res = await app.inject({ method: 'GET', url: `/v1/metrics?from=2026-06-01&to=2026-06-30${groupBy ? `&groupBy=${groupBy}` : ''}`, headers: { 'x-api-key': bureauKey } });
  expect(res.statusCode).toBe(200);
  return res.json();
}

beforeAll(async () => {
  const sla = await runningSla(config, { clock: () => NOW });
  ({ runtime, app } = sla);
  bureauKey = await sla.issue({ countyId, role: 'bureau', name: 'bureau' });
  producer = await standInProducer(config);
  const md = [
    masterDataEvent('county', countyRecord(countyId)),
    masterDataEvent('town', { countyId, id: 'town-1', name: '城关镇', active: true }),
    masterDataEvent('station', stationRecord(countyId, 'center', 'center')),
    masterDataEvent('station', stationRecord(countyId, 'v1', 'village')),
    masterDataEvent('station', stationRecord(countyId, 'v2', 'village')),
  ];
  await publishTo(producer, config, topicOf.masterdata, md);
  await applied(runtime.pool, 'sla.timeline-masterdata', md.map((m) => m.event.id));
  const events = journeys.flatMap((j) => j.events.filter((e) => e !== late.last));
  // In any order per parcel is the timeline's business; here each parcel's events in order, some sent twice.
  await publishTo(producer, config, topics.parcelEvents.name, [...events, ...events.slice(0, 10)].map((e) => ({ key: e.subject, event: e })));
  await applied(runtime.pool, 'sla.timeline-parcels', events.map((e) => e.id));
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  await runtime?.lifecycle.shutdown();
});

describe('the parcel figures through the timeline’s fold', () => {
  it('volumes, on-time rates, percentiles and breaches equal a recomputation from the parcel events; a late scan updates them', async () => {
    const before = await metrics();
    const e1 = expected(journeys, late);
    expect(before.totals.volumes).toEqual(e1.volumes);
    expect(before.totals.legs.find((l: { key: string }) => l.key === 'center_to_village')).toEqual(e1.c2v);
    expect(before.totals.legs.find((l: { key: string }) => l.key === 'village_to_center')).toEqual(e1.v2c);

    await publishTo(producer, config, topics.parcelEvents.name, [{ key: late.last.subject, event: late.last }]);
    await applied(runtime.pool, 'sla.timeline-parcels', [late.last.id]);
    const after = await metrics();
    const e2 = expected(journeys);
    expect(after.totals.legs.find((l: { key: string }) => l.key === 'center_to_village')).toEqual(e2.c2v);
    expect(e2.c2v.measured).toBe(e1.c2v.measured + 1);

    // Replayed: the same events again change nothing.
    await publishTo(producer, config, topics.parcelEvents.name, journeys.slice(0, 6).flatMap((j) => j.events).map((e) => ({ key: e.subject, event: e })));
    await applied(runtime.pool, 'sla.timeline-parcels', journeys.slice(0, 6).flatMap((j) => j.events).map((e) => e.id));
    expect((await metrics()).totals).toEqual(after.totals);

    const byCourier = await metrics('courier');
    for (const courier of ['zto', 'yto', 'ems']) {
      const g = byCourier.groups.find((x: { key: string }) => x.key === courier);
      const e = expected(journeys.filter((j) => j.parcel.courierId === courier));
      expect(g.volumes, courier).toEqual(e.volumes);
      expect(g.legs.find((l: { key: string }) => l.key === 'center_to_village'), courier).toEqual(e.c2v);
      expect(g.legs.find((l: { key: string }) => l.key === 'village_to_center'), courier).toEqual(e.v2c);
    }
  });
});
