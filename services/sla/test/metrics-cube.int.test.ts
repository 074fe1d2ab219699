import type { Envelope, ParcelEventData } from '@county/contracts';
import { createOutbox, createPool, migrateService, withTransaction, type Pool } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import { applyCompliance, applyMasterData } from '../src/metrics/consumer-store.js';
import { complianceRows, dailyTotals, stationMonths, volumesAndLegs } from '../src/metrics/store.js';
import { foldParcelEvents } from '../src/timeline/evaluate.js';
import { upsertMasterData } from '../src/timeline/store.js';
import { rowCompliance, rowDailyTotals, rowStationMonths, rowVolumesAndLegs, type GroupBy } from './metrics-cube-reference.js';
import { slaMigrationsDir } from './metrics-support.js';
import { countyRecord, stationRecord, stepEvent, testParcel, type TestParcel } from './timeline-events.js';

/**
 * The aggregates the bureau's figures are read from (migration 0030: the cube, station days, minute histograms,
 * compliance days, kept by triggers on the timeline's writes) against the figures recounted from the timeline's rows
 * with the queries they replaced (metrics-cube-reference.ts), over a randomized scenario folded by the timeline's own
 * fold: parcel events in random order and random runs, replayed, late scans that move a parcel to another day,
 * stations known after their parcels, compliance records before and after their parcels and revisions out of order,
 * rows changed and deleted, and a change of the county's time zone. Postgres only: no process boundary is crossed.
 */

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-430281';
let pool: Pool;
const outbox = createOutbox({ topicPrefix: iso.topicPrefix });
const emitter = { outbox, source: 'sla' };
const NOW = new Date('2026-07-20T00:00:00Z');

let seed = 20260601;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const shuffle = <T>(xs: T[]): T[] => {
  for (let i = xs.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
};

const couriers = ['zto', 'yto', 'ems', 'sf'];
const stations = [
  { id: 'v1', townId: 'town-1' },
  { id: 'v2', townId: 'town-1' },
  { id: 'v3', townId: 'town-2' },
  { id: 'v4', townId: 'town-3' },
  { id: 'v5', townId: 'town-3' },
];
const towns = ['town-1', 'town-2', 'town-3'];

function stationEvent(s: { id: string; townId: string }) {
  return stationRecord(countyId, s.id, 'village', { townId: s.townId, villageCodes: [`43028110${s.id.slice(1)}001`] });
}

/** Every event of a parcel's life from `start`, each step minutes to hours after the one before. */
function lifeOf(parcel: TestParcel, start: number): Envelope<ParcelEventData>[] {
  let t = start;
  const next = () => new Date((t += Math.floor(30 + rand() * 900) * 60_000));
  const steps = parcel.direction === 'downstream' ? (['manifested', 'received', 'sorted', 'departed', 'at_town', 'at_station', 'delivered'] as const) : (['booked', 'collected', 'at_center'] as const);
  // some parcels are still on their way
  const upTo = rand() < 0.15 ? 1 + Math.floor(rand() * (steps.length - 1)) : steps.length;
  const events = steps.slice(0, upTo).map((step) => stepEvent(parcel, step, next()));
  // a late scan: the entry step reported again, earlier (sometimes a day earlier: another county day)
  if (rand() < 0.15 && upTo >= 2) {
    const entry = events[1]!;
    const earlier = new Date(Date.parse(entry.data.fact.occurredAt) - Math.floor(rand() * 1_800) * 60_000);
    events.push(stepEvent(parcel, parcel.direction === 'downstream' ? 'received' : 'collected', earlier, { state: events[events.length - 1]!.data.state }));
  }
  return events;
}

async function fold(events: Envelope<ParcelEventData>[]) {
  for (let i = 0; i < events.length; ) {
    const n = 1 + Math.floor(rand() * 60);
    await withTransaction(pool, (tx) => foldParcelEvents(tx, emitter, events.slice(i, i + n), NOW));
    i += n;
  }
}

const periods: [string, string][] = [
  ['2026-06-01', '2026-06-30'],
  ['2026-05-01', '2026-07-31'],
  ['2026-05-27', '2026-07-03'],
  ['2026-06-10', '2026-06-12'],
  ['2026-06-30', '2026-07-01'],
];
const groupBys: (GroupBy | undefined)[] = [undefined, 'courier', 'town', 'direction', 'day'];
const sortBy = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

async function expectSameFigures(tz: string) {
  for (const [from, to] of periods) {
    for (const groupBy of groupBys) {
      const what = `${from}..${to} by ${groupBy ?? 'nothing'}`;
      const cube = await volumesAndLegs(pool, countyId, from, to, tz, groupBy);
      const rows = await rowVolumesAndLegs(pool, countyId, from, to, tz, groupBy);
      expect(sortBy(cube.volumes, (v) => `${v.key}`), what).toEqual(sortBy(rows.volumes, (v) => `${v.key}`));
      expect(sortBy(cube.legs, (l) => `${l.key}/${l.leg}`), what).toEqual(sortBy(rows.legs, (l) => `${l.key}/${l.leg}`));
      expect(await complianceRows(pool, countyId, from, to, groupBy), `compliance ${what}`).toEqual(await rowCompliance(pool, countyId, from, to, tz, groupBy));
    }
    expect(await dailyTotals(pool, countyId, from, to), `days ${from}..${to}`).toEqual(await rowDailyTotals(pool, countyId, from, to, tz));
    const months = (await stationMonths(pool, countyId, from, to)).map((s) => ({ ...s, upstreamValueYuan: Math.round(s.upstreamValueYuan * 100), downstreamValueYuan: Math.round(s.downstreamValueYuan * 100) }));
    const reference = (await rowStationMonths(pool, countyId, from, to, tz)).map((s) => ({ ...s, upstreamValueYuan: Math.round(s.upstreamValueYuan * 100), downstreamValueYuan: Math.round(s.downstreamValueYuan * 100) }));
    expect(months, `stations ${from}..${to}`).toEqual(reference);
  }
}

describe('the metrics aggregates against a recount of the timeline rows', () => {
  beforeAll(async () => {
    await migrateService({ url: config.DATABASE_URL, schema: iso.schema, dir: slaMigrationsDir, logger: testLogger('sla') });
    pool = createPool({ url: config.DATABASE_URL, schema: iso.schema, logger: testLogger('sla') });
    await withTransaction(pool, async (tx) => {
      await upsertMasterData(tx, { entity: 'county', record: countyRecord(countyId) });
      await upsertMasterData(tx, { entity: 'station', record: stationRecord(countyId, 'center', 'center') });
      // v5 is known only after its parcels are folded (their town comes with it)
      for (const s of stations.slice(0, 4)) await upsertMasterData(tx, { entity: 'station', record: stationEvent(s) });
      for (const s of stations) await applyMasterData(tx, 'masterdata.station_upserted', countyId, stationEvent(s) as unknown as Record<string, unknown>);
    });
  });

  afterAll(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS ${iso.schema} CASCADE`).catch(() => undefined);
    await pool?.end();
  });

  it('stays exact under random order, replays, late scans, late master data, compliance revisions, updates and a time-zone change', async () => {
    const start = Date.parse('2026-05-20T00:00:00Z');
    const span = Date.parse('2026-07-12T00:00:00Z') - start;
    const parcels = Array.from({ length: 400 }, () =>
      testParcel(countyId, pick(stations).id, { courierId: pick(couriers), direction: rand() < 0.6 ? 'downstream' : 'upstream' }),
    );
    const events = parcels.flatMap((p) => lifeOf(p, start + Math.floor(rand() * span)));
    // replays: a tenth of the events again
    const replayed = events.filter(() => rand() < 0.1);
    const all = shuffle([...events, ...replayed]);
    const half = Math.floor(all.length / 2);

    // compliance records: some before their parcel is known, revisions out of order, one for a parcel sla never sees
    const compliance = parcels.filter(() => rand() < 0.3).map((p) => ({ countyId, parcelId: p.id, profileId: 'fruit-chilled', to: new Date(start + Math.floor(rand() * span)).toISOString() }));
    const record = (c: (typeof compliance)[number], revision: number) => ({ ...c, revision, to: new Date(Date.parse(c.to) + revision * 7 * 3_600_000).toISOString(), compliant: rand() < 0.8 });
    await withTransaction(pool, (tx) => applyCompliance(tx, compliance.slice(0, 20).map((c) => record(c, 2))));
    await withTransaction(pool, (tx) => applyCompliance(tx, [{ countyId, parcelId: '00000000-0000-4000-8000-000000000001', profileId: 'fruit-chilled', revision: 1, to: '2026-06-15T03:00:00.000Z', compliant: false }]));

    await fold(all.slice(0, half));
    await withTransaction(pool, (tx) => applyCompliance(tx, compliance.map((c) => record(c, 1))));
    await fold(all.slice(half));
    await withTransaction(pool, (tx) => applyCompliance(tx, compliance.slice(10, 40).map((c) => record(c, 3))));
    await expectSameFigures('Asia/Shanghai');

    // the last station arrives: its parcels get their town (the timeline measures them again)
    await withTransaction(pool, (tx) => upsertMasterData(tx, { entity: 'station', record: stationEvent(stations[4]!) }));
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM sla_parcels WHERE town_id = 'town-3'`);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    // the whole fold again: nothing changes
    const before = await volumesAndLegs(pool, countyId, '2026-05-01', '2026-07-31', 'Asia/Shanghai', 'courier');
    await fold(shuffle([...events]));
    expect(await volumesAndLegs(pool, countyId, '2026-05-01', '2026-07-31', 'Asia/Shanghai', 'courier')).toEqual(before);
    await expectSameFigures('Asia/Shanghai');

    // rows written otherwise: a courier and town corrected, durations changed, a parcel removed
    await pool.query(`UPDATE sla_parcels SET courier_id = 'jt', town_id = NULL WHERE parcel_id IN (SELECT parcel_id FROM sla_parcels ORDER BY parcel_id LIMIT 15)`);
    await pool.query(`UPDATE sla_parcels SET center_to_village_minutes = center_to_village_minutes + 3 WHERE center_to_village_minutes IS NOT NULL AND parcel_id::text < '4'`);
    await pool.query(`DELETE FROM sla_parcels WHERE parcel_id IN (SELECT parcel_id FROM metrics_compliance WHERE courier_id IS NOT NULL ORDER BY parcel_id LIMIT 3)`);
    await expectSameFigures('Asia/Shanghai');

    // the county moves to another time zone: parcels move between days
    await withTransaction(pool, (tx) => upsertMasterData(tx, { entity: 'county', record: countyRecord(countyId, { timeZone: 'Asia/Urumqi' }) }));
    await expectSameFigures('Asia/Urumqi');
    expect(towns.length).toBe(3);
  });
});
