import { randomUUID } from 'node:crypto';
import type { Envelope } from '@county/contracts';
import type { Producer, Runtime } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceFrom, costFrom, coverageFrom, type ComplianceRecorded, type WaveCosted } from '../../../demo/recompute.js';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { countyRecord, masterDataEvent, stationRecord } from '../../dispatch/test/readmodel-events.js';
import { applied, event, publishTo, runningSla, standInProducer, topicOf } from './metrics-support.js';

/**
 * The bureau's figures against an independent recomputation (issue #12 "Correctness"): master data, hand-overs,
 * wave costs and compliance records go through Kafka as intake, dispatch and coldchain publish them; the parcels'
 * timeline rows (`sla_parcels`) are written directly, standing in for the timeline's fold of parcel events (its
 * own suites prove that fold), so that every duration and instant of the scenario is chosen here. Every figure
 * is recomputed here from those raw inputs, with none of the service's code, and compared. Late and replayed
 * events are part of the scenario; the CSV answer must hold the same figures as the JSON one.
 */

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
const NOW = new Date('2026-07-06T00:00:00Z');
const FROM = '2026-06-01';
const TO = '2026-06-30';
let runtime: Runtime;
let app: Awaited<ReturnType<typeof runningSla>>['app'];
let bureauKey: string;
let producer: Producer;

// A deterministic pseudo-random sequence, so a failure reproduces.
let seed = 12;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const couriers = ['zto', 'yto', 'ems'] as const;
const legNames = ['center_to_town', 'town_to_village', 'center_to_village', 'village_to_center'] as const;
type LegName = (typeof legNames)[number];
const villages = [
  { code: '511623100201', townId: 'town-1', povertyRegistered: true },
  { code: '511623100202', townId: 'town-1', povertyRegistered: false },
  { code: '511623101203', townId: 'town-2', povertyRegistered: true },
  { code: '511623101204', townId: 'town-2', povertyRegistered: false },
];
const stations = [
  { id: 't1', kind: 'town' as const, townId: 'town-1', villageCodes: [] as string[], freq: { kind: 'daily' as const } },
  { id: 't2', kind: 'town' as const, townId: 'town-2', villageCodes: [], freq: { kind: 'daily' as const } },
  { id: 'v1', kind: 'village' as const, townId: 'town-1', villageCodes: ['511623100201'], freq: { kind: 'every_n_days' as const, everyDays: 2, anchorDate: '2026-06-01' } },
  { id: 'v2', kind: 'village' as const, townId: 'town-1', villageCodes: ['511623100202'], freq: { kind: 'daily' as const } },
  { id: 'v3', kind: 'village' as const, townId: 'town-2', villageCodes: ['511623101203'], freq: { kind: 'daily' as const } },
];
const villageStations = stations.filter((s) => s.kind === 'village');

/** Shanghai has no daylight saving: a county day is UTC+8. */
const localDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
const dayOf = (base: string, n: number) => new Date(Date.parse(base) + n * 86_400_000).toISOString().slice(0, 10);
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const rate = (n: number, d: number) => (d === 0 ? null : r6(n / d));
const pDisc = (xs: number[], p: number) => (xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.ceil(p * xs.length) - 1]!);

interface P {
  parcel_id: string;
  courier_id: string;
  direction: 'downstream' | 'upstream';
  station: (typeof villageStations)[number];
  value: number;
  entry: string;
  legs: Partial<Record<LegName, { minutes: number; onTime: boolean }>>;
}

/** 600 parcels from April to early July, at random couriers, stations, values, instants and leg durations. */
function makeParcels(): P[] {
  const start = Date.parse('2026-03-25T00:00:00Z');
  const span = Date.parse('2026-07-05T00:00:00Z') - start;
  const out: P[] = [];
  for (let i = 0; i < 600; i += 1) {
    const direction = rand() < 0.6 ? 'downstream' : 'upstream';
    const entry = new Date(start + Math.floor(rand() * span / 60_000) * 60_000).toISOString();
    const legs: P['legs'] = {};
    const measure = (leg: LegName, target: number) => {
      if (rand() < 0.1) return; // not over yet
      const minutes = 60 + Math.floor(rand() * target * 1.4);
      legs[leg] = { minutes, onTime: minutes <= target };
    };
    if (direction === 'downstream') {
      measure('center_to_town', 720);
      measure('town_to_village', 1440);
      measure('center_to_village', 1440);
    } else measure('village_to_center', 1440);
    out.push({ parcel_id: randomUUID(), courier_id: pick(couriers), direction, station: pick([...villageStations, villageStations[0]!, villageStations[1]!]), value: Math.floor(rand() * 10000) / 100, entry, legs });
  }
  // Station v1 is busy in June: 100 produce parcels of 1 yuan (the parcel threshold, not the value one) and 2,400 yuan down.
  for (let i = 0; i < 100; i += 1) out.push({ parcel_id: randomUUID(), courier_id: pick(couriers), direction: 'upstream', station: villageStations[0]!, value: 1, entry: `2026-06-${String(1 + (i % 30)).padStart(2, '0')}T04:00:00.000Z`, legs: {} });
  for (let i = 0; i < 3; i += 1) out.push({ parcel_id: randomUUID(), courier_id: 'ems', direction: 'downstream', station: villageStations[0]!, value: 800, entry: `2026-06-1${i}T04:00:00.000Z`, legs: {} });
  // One received at 01:00 on 1 June in the county, still 31 May in UTC: June's.
  out.push({ parcel_id: randomUUID(), courier_id: 'zto', direction: 'downstream', station: villageStations[0]!, value: 10, entry: '2026-05-31T17:00:00.000Z', legs: { center_to_village: { minutes: 600, onTime: true } } });
  return out;
}

const parcels = makeParcels();

async function insertParcels(ps: P[]) {
  for (const p of ps) {
    const cols: Record<string, unknown> = {
      county_id: countyId,
      parcel_id: p.parcel_id,
      courier_id: p.courier_id,
      direction: p.direction,
      destination_station_id: p.direction === 'downstream' ? p.station.id : null,
      origin_station_id: p.direction === 'upstream' ? p.station.id : null,
      town_id: p.station.townId,
      village_code: p.station.villageCodes[0],
      declared_value_yuan: p.value,
      state: 'delivered',
      state_at: p.entry,
      state_fact_id: `fact-${p.parcel_id}`,
      open: false,
      measured_at: p.entry,
      [p.direction === 'downstream' ? 'received_at' : 'collected_at']: p.entry,
    };
    for (const [leg, l] of Object.entries(p.legs)) {
      cols[`${leg}_minutes`] = l.minutes;
      cols[`${leg}_on_time`] = l.onTime;
    }
    const names = Object.keys(cols);
    await runtime.pool.query(`INSERT INTO sla_parcels (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(cols));
  }
}

const inPeriod = (day: string, from = FROM, to = TO) => day >= from && day <= to;

// ---- the raw events

const md = [
  masterDataEvent('county', countyRecord(countyId)),
  masterDataEvent('town', { countyId, id: 'town-1', name: '城关镇', active: true }),
  masterDataEvent('town', { countyId, id: 'town-2', name: '白鹤镇', active: true }),
  ...villages.map((v) => masterDataEvent('village', { countyId, ...v, name: `村 ${v.code}`, active: true })),
  masterDataEvent('station', stationRecord(countyId, 'center', 'center')),
  ...stations.map((s) => masterDataEvent('station', stationRecord(countyId, s.id, s.kind, { townId: s.townId, villageCodes: s.villageCodes, serviceFrequency: s.freq }))),
];

const due = (s: (typeof stations)[number], day: string) =>
  s.freq.kind === 'daily' || Math.round((Date.parse(day) - Date.parse(s.freq.anchorDate)) / 86_400_000) % s.freq.everyDays === 0;

function handOver(stationId: string, day: string, seq = 1): Envelope {
  const routeId = `r-${day}-${stationId}`;
  return event('dispatch.stop_handed_over', countyId, routeId, {
    routeId, planId: `plan-${day}`, date: day, waveId: 'am', vehicleId: 'van-1', tier: 'direct', depotStationId: 'center',
    stationId, sequence: seq, handedOverAt: `${day}T02:00:00.000Z`, parcelIds: [randomUUID()],
  }, 'dispatch');
}

// Every station due on a June day is handed over to, except: t2 missed 15 June, v3 every third day only, and v2's
// hand-over of 20 June is uploaded late (after the first look).
const handOvers: Envelope[] = [];
let lateHandOver: Envelope | undefined;
for (let n = 0; n < 30; n += 1) {
  const day = dayOf(FROM, n);
  for (const s of stations) {
    if (!due(s, day)) continue;
    if (s.id === 't2' && day === '2026-06-15') continue;
    if (s.id === 'v3' && n % 3 !== 0) continue;
    const e = handOver(s.id, day);
    if (s.id === 'v2' && day === '2026-06-20') lateHandOver = e;
    else handOvers.push(e);
  }
}
handOvers.push(handOver('v1', '2026-05-30')); // outside the period

function waveCosted(day: string, waveId: string, confirmedAt: string, parcelsN: number, cost: number, counterfactual: number, surveyed: number): Envelope {
  const split = (total: number) => ({ total, fixed: total / 2, distance: total / 4, time: total / 4 });
  return event('dispatch.wave_costed', countyId, `wave:${day}/${waveId}`, {
    planId: `plan-${day}-${confirmedAt}`, date: day, waveId, confirmedAt, parcels: parcelsN, routes: 2, cost: split(cost), costPerParcel: cost / parcelsN,
    byCourier: [], counterfactual: { cost: split(counterfactual), costPerParcel: counterfactual / parcelsN, byCourier: [], routes: 4 },
    surveyedCostPerParcel: surveyed, reductionVsCounterfactualPct: 0, reductionVsSurveyedPct: 0,
  }, 'dispatch');
}

const waves: Envelope[] = [];
for (let n = -3; n < 33; n += 1) {
  const day = dayOf(FROM, n);
  for (const waveId of ['am', 'pm']) {
    waves.push(waveCosted(day, waveId, `${day}T00:00:00.000Z`, 50 + Math.floor(rand() * 300), Math.round(rand() * 50000) / 100, Math.round((300 + rand() * 400) * 100) / 100, pick([2.6, 2.4])));
  }
}
// 10 June's morning wave re-planned and confirmed again: the later costing wins, even when the earlier arrives after it.
const recosted = waveCosted('2026-06-10', 'am', '2026-06-10T01:00:00.000Z', 999, 1234.5, 2000, 2.6);
const earlierLate = waves.find((w) => (w.data as { date: string; waveId: string }).date === '2026-06-10' && (w.data as { waveId: string }).waveId === 'am')!;
waves.splice(waves.indexOf(earlierLate), 1);

// Compliance of the first 80 parcels: some revised (revision 2 sent before revision 1).
const compliance: Envelope[] = [];
const compliant = (parcelId: string, revision: number, to: string, ok: boolean) =>
  event('coldchain.compliance_recorded', countyId, parcelId, {
    parcelId, revision, profileId: 'fruit-chilled', from: to, to, containers: [], readings: 10, minutesInRange: 100, minutesOutOfRange: ok ? 0 : 30,
    minC: 2, maxC: ok ? 8 : 12, mktC: 5, excursions: [], precooling: { required: false, reachedAt: null, missed: false }, compliant: ok, reasons: ok ? [] : ['out of range 30 min'],
  }, 'coldchain');
for (const p of parcels.slice(0, 80)) {
  const first = compliant(p.parcel_id, 1, p.entry, rand() < 0.7);
  if (rand() < 0.3) compliance.push(compliant(p.parcel_id, 2, p.entry, rand() < 0.5), first);
  else compliance.push(first);
}

// ---- the independent recomputation

// Coverage, cost and compliance are recomputed as the demo recomputes them from a county's raw events
// (demo/recompute.ts), with none of the service's code.
function expectedCoverage(handOversSeen: Envelope[]) {
  return coverageFrom({
    from: FROM,
    to: TO,
    towns: [{ id: 'town-1' }, { id: 'town-2' }],
    villages,
    stations: stations.map((s) => ({ id: s.id, kind: s.kind, townId: s.townId, villageCodes: s.villageCodes, serviceFrequency: s.freq })),
    handOvers: handOversSeen.map((e) => e.data as { stationId: string; date: string }),
  });
}

function expectedCost() {
  return costFrom([...waves, recosted, earlierLate].map((e) => e.data as WaveCosted), FROM, TO);
}

/** Records and compliant ones by `keyOf` (the parcel, or undefined for one not in the scenario, and the record's county day). */
function expectedCompliance(keyOf: (p: P | undefined, day: string) => string) {
  return complianceFrom(compliance.map((e) => e.data as ComplianceRecorded), FROM, TO, (parcelId, day) => keyOf(parcels.find((p) => p.parcel_id === parcelId), day));
}

const keyFns = {
  courier: (p: P) => p.courier_id,
  town: (p: P) => p.station.townId,
  direction: (p: P) => p.direction,
  day: (p: P) => localDay(p.entry),
} as const;

function expectedBlock(ps: P[]) {
  const legs = legNames.map((leg) => {
    const ms = ps.flatMap((p) => (p.legs[leg] ? [p.legs[leg]!] : []));
    const onTime = ms.filter((m) => m.onTime).length;
    return { key: leg, measured: ms.length, onTime, onTimeRate: rate(onTime, ms.length), p50Minutes: pDisc(ms.map((m) => m.minutes), 0.5), p90Minutes: pDisc(ms.map((m) => m.minutes), 0.9), breaches: ms.length - onTime };
  });
  return {
    volumes: { downstream: ps.filter((p) => p.direction === 'downstream').length, upstream: ps.filter((p) => p.direction === 'upstream').length },
    legs,
    breaches: legs.reduce((a, l) => a + l.breaches, 0),
  };
}

function expectedStationActivity() {
  return villageStations.map((s) => {
    const june = parcels.filter((p) => p.station.id === s.id && localDay(p.entry).startsWith('2026-06'));
    const up = june.filter((p) => p.direction === 'upstream');
    const cents = (ps: P[]) => ps.reduce((a, p) => a + Math.round(p.value * 100), 0) / 100;
    const upValue = cents(up);
    const downValue = cents(june.filter((p) => p.direction === 'downstream'));
    return { stationId: s.id, month: '2026-06', upstreamParcels: up.length, upstreamValueYuan: upValue, downstreamValueYuan: downValue, meets: (up.length >= 100 || upValue >= 1000) && downValue >= 2000 };
  });
}

function expectedWindow(n: number) {
  const fig = (from: string, to: string) => {
    const ps = parcels.filter((p) => inPeriod(localDay(p.entry), from, to));
    const b = expectedBlock(ps);
    return { down: b.volumes.downstream, up: b.volumes.upstream, rates: Object.fromEntries(b.legs.map((l) => [l.key, l.onTimeRate])) };
  };
  const cur = fig(dayOf(TO, -(n - 1)), TO);
  const prev = fig(dayOf(TO, -(2 * n - 1)), dayOf(TO, -n));
  return { cur, prev };
}

// ---- the suite

async function get(path: string, accept = 'application/json') {
  const res = await app.inject({ method: 'GET', url: path, headers: { 'x-api-key': bureauKey, accept } });
  return res;
}

beforeAll(async () => {
  const sla = await runningSla(config, { clock: () => NOW });
  ({ runtime, app } = sla);
  bureauKey = await sla.issue({ countyId, role: 'bureau', name: 'county commerce bureau' });
  producer = await standInProducer(config);
  await publishTo(producer, config, topicOf.masterdata, md);
  // The timeline re-measures a county's parcels from their facts when the county changes: the stand-in rows (no
  // facts) go in once it has applied the county.
  await applied(runtime.pool, 'sla.timeline-masterdata', md.map((m) => m.event.id));
  await insertParcels(parcels);
  await publishTo(producer, config, topicOf.dispatch, [...handOvers, ...waves, recosted, earlierLate].map((e) => ({ key: e.subject, event: e })));
  await publishTo(producer, config, topicOf.coldchain, compliance.map((e) => ({ key: e.subject, event: e })));
  // Replays: the same events again change nothing.
  await publishTo(producer, config, topicOf.dispatch, [handOvers[0]!, recosted].map((e) => ({ key: e.subject, event: e })));
  await publishTo(producer, config, topicOf.coldchain, compliance.slice(0, 5).map((e) => ({ key: e.subject, event: e })));
  await applied(runtime.pool, 'sla.metrics-masterdata', md.map((m) => m.event.id));
  await applied(runtime.pool, 'sla.metrics-dispatch', [...handOvers, ...waves, recosted, earlierLate].map((e) => e.id));
  await applied(runtime.pool, 'sla.metrics-coldchain', compliance.map((e) => e.id));
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  await runtime?.lifecycle.shutdown();
});

describe("the bureau's figures against a recomputation from the raw events", () => {
  it('volumes, legs, breaches and compliance: the county and each breakdown', async () => {
    const june = parcels.filter((p) => inPeriod(localDay(p.entry)));
    const total = await get(`/v1/metrics?from=${FROM}&to=${TO}`);
    expect(total.statusCode).toBe(200);
    const body = total.json();
    expect(body).toMatchObject({ countyId, from: FROM, to: TO, timeZone: 'Asia/Shanghai', asOf: NOW.toISOString(), groups: [] });
    expect({ volumes: body.totals.volumes, legs: body.totals.legs, breaches: body.totals.breaches }).toEqual(expectedBlock(june));
    const c = expectedCompliance(() => 'all').get('all')!;
    expect(body.totals.coldChainCompliance).toMatchObject({ records: c.records, numerator: c.compliant, rate: rate(c.compliant, c.records) });

    for (const groupBy of ['courier', 'town', 'direction', 'day'] as const) {
      const res = await get(`/v1/metrics?from=${FROM}&to=${TO}&groupBy=${groupBy}`);
      expect(res.statusCode).toBe(200);
      const grouped = res.json();
      expect({ volumes: grouped.totals.volumes, legs: grouped.totals.legs }, groupBy).toEqual({ volumes: expectedBlock(june).volumes, legs: expectedBlock(june).legs });
      const keys = [...new Set(june.map(keyFns[groupBy]))].sort();
      const comp = expectedCompliance((p, day) => (groupBy === 'day' ? day : p ? keyFns[groupBy](p) : 'unknown'));
      const compKeys = [...comp.keys()];
      expect(grouped.groups.map((g: { key: string }) => g.key), groupBy).toEqual([...new Set([...keys, ...compKeys])].sort());
      for (const key of keys) {
        const g = grouped.groups.find((x: { key: string }) => x.key === key);
        expect({ volumes: g.volumes, legs: g.legs, breaches: g.breaches }, `${groupBy} ${key}`).toEqual(expectedBlock(june.filter((p) => keyFns[groupBy](p) === key)));
        const ec = comp.get(key) ?? { records: 0, compliant: 0 };
        expect(g.coldChainCompliance, `${groupBy} ${key} compliance`).toMatchObject({ records: ec.records, numerator: ec.compliant });
      }
    }
  });

  it('cost per parcel against both baselines: the latest costing of each wave', async () => {
    const body = (await get(`/v1/metrics?from=${FROM}&to=${TO}`)).json();
    expect(body.cost).toMatchObject(expectedCost());
  });

  it('station activity per village station and month, against the thresholds', async () => {
    const body = (await get(`/v1/metrics?from=${FROM}&to=${TO}`)).json();
    const expected = expectedStationActivity();
    expect(body.stationActivity.stations).toEqual(expected);
    expect(new Set(expected.map((s) => s.meets))).toEqual(new Set([true, false]));
    expect(body.stationActivity.byMonth).toEqual([{ month: '2026-06', stations: 3, meeting: expected.filter((s) => s.meets).length }]);
  });

  it('rolling windows of 7, 30 and 90 days against the window before', async () => {
    const body = (await get(`/v1/metrics?from=${FROM}&to=${TO}`)).json();
    for (const n of [7, 30, 90]) {
      const w = body.rollingWindows.find((x: { window: string }) => x.window === `${n}d`);
      const { cur, prev } = expectedWindow(n);
      expect(w.downstream, `${n}d`).toMatchObject({ current: cur.down, previous: prev.down, change: cur.down - prev.down });
      expect(w.upstream, `${n}d`).toMatchObject({ current: cur.up, previous: prev.up });
      for (const leg of legNames) {
        const t = w.onTimeRate.find((x: { key: string }) => x.key === leg);
        expect({ current: t.current, previous: t.previous }, `${n}d ${leg}`).toEqual({ current: cur.rates[leg], previous: prev.rates[leg] });
      }
    }
  });

  it('coverage follows the hand-overs, and a late hand-over updates it', async () => {
    const before = (await get(`/v1/metrics?from=${FROM}&to=${TO}`)).json();
    const exp = expectedCoverage(handOvers);
    for (const k of ['villages', 'towns', 'povertyRegisteredVillages'] as const) expect(before.coverage[k], k).toMatchObject(exp[k]);

    await publishTo(producer, config, topicOf.dispatch, [{ key: lateHandOver!.subject, event: lateHandOver! }]);
    await applied(runtime.pool, 'sla.metrics-dispatch', [lateHandOver!.id]);
    const after = (await get(`/v1/metrics?from=${FROM}&to=${TO}`)).json();
    const exp2 = expectedCoverage([...handOvers, lateHandOver!]);
    for (const k of ['villages', 'towns', 'povertyRegisteredVillages'] as const) expect(after.coverage[k], k).toMatchObject(exp2[k]);
    expect(exp2.villages.numerator).toBe(exp.villages.numerator + 1);
  });

  it('answers CSV with the same figures as JSON, the metrics and the monthly report', async () => {
    for (const path of [`/v1/metrics?from=${FROM}&to=${TO}&groupBy=courier`, '/v1/reports/monthly?month=2026-06']) {
      const json = (await get(path)).json();
      const csv = await get(path, 'text/csv');
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.body.trim().split('\n');
      expect(lines[0]).toBe('figure,value');
      const figures = new Map(lines.slice(1).map((l) => {
        const i = l.indexOf(',');
        return [l.slice(0, i), l.slice(i + 1)];
      }));
      // Every leaf of the JSON, by its path, is the CSV's value for that figure.
      const leaves: [string, unknown][] = [];
      const walk = (v: unknown, path: string) => {
        if (v === null || typeof v !== 'object') return void leaves.push([path, v]);
        if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}.${(x as { key?: string; month?: string; window?: string; stationId?: string })?.key ?? ((x as { stationId?: string })?.stationId ? `${(x as { stationId: string }).stationId}@${(x as { month: string }).month}` : undefined) ?? (x as { month?: string })?.month ?? (x as { window?: string })?.window ?? i}`));
        for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
      };
      walk(json, '');
      expect(figures.size).toBe(leaves.length);
      for (const [path, v] of leaves) expect(figures.get(path), path).toBe(v === null ? '' : String(v));
    }
  });

  it('the monthly report files the programme’s indicators with their targets', async () => {
    const report = (await get('/v1/reports/monthly?month=2026-06')).json();
    const byKey = Object.fromEntries(report.indicators.map((i: { key: string }) => [i.key, i]));
    const june = expectedBlock(parcels.filter((p) => inPeriod(localDay(p.entry))));
    expect(byKey.parcels_downstream.value).toBe(june.volumes.downstream);
    expect(byKey.on_time_rate_center_to_village.value).toBe(june.legs[2]!.onTimeRate);
    const cov = expectedCoverage([...handOvers, lateHandOver!]);
    expect(byKey.village_coverage_rate).toMatchObject({ value: rate(cov.villages.numerator, cov.villages.denominator), target: 0.8 });
    expect(byKey.town_coverage_rate).toMatchObject({ value: rate(cov.towns.numerator, cov.towns.denominator), target: 1, met: cov.towns.numerator === cov.towns.denominator });
    expect(byKey.cost_reduction_vs_surveyed_pct).toMatchObject({ value: expectedCost().reductionVsSurveyedPct, target: 20 });
    expect(byKey.village_stations_meeting_thresholds.value).toBe(expectedStationActivity().filter((s) => s.meets).length);
  });
});
