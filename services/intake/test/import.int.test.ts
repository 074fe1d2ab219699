import { createOutbox, withTransaction } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { validateCountyImport } from '../src/masterdata/domain/import/index.js';
import { importCounty, type ImportProgress } from '../src/masterdata/import-county.js';
import { demoCsv, demoDoc } from './fixtures/import-fixtures.js';
import { caller, freshCountyId, keysFor, masterDataEvents, miniCounty, stationOfVillage, type Intake } from './masterdata-support.js';
import { intakeApp } from './support.js';

/** The demo county's id is fixed, so each form of its import gets a schema of its own. */
const demoCountyId = 'cn-511623';
const apps: Intake[] = [];

async function freshIntake() {
  const config = testConfig(isolation());
  const intake = await intakeApp(config);
  apps.push(intake);
  return { intake, config, call: caller(intake), keys: await keysFor(intake, demoCountyId) };
}

afterAll(async () => {
  await Promise.all(apps.map((intake) => intake.close()));
});

const demoTotal = () => {
  const doc = demoDoc();
  return 1 + doc.towns.length + doc.villages.length + doc.stations.length + doc.couriers.length + doc.vehicles.length;
};

async function rowCount(intake: Intake, table: 'masterdata' | 'village_stations'): Promise<number> {
  const { rows } = await intake.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

/** A demo village served by an active village station, and that station. */
function servedVillage(): { code: string; stationId: string } {
  const station = demoDoc().stations.find((s) => s.kind === 'village' && s.active !== false) as { id: string; villageCodes: string[] };
  return { code: station.villageCodes[0]!, stationId: station.id };
}

describe('importing a whole county as JSON', () => {
  let demo: Awaited<ReturnType<typeof freshIntake>>;
  beforeAll(async () => {
    demo = await freshIntake();
  });

  it('imports the demo county: counts, coverage, village codes resolving, one event per record', async () => {
    const doc = demoDoc();
    const res = await demo.call('POST', '/import/county', demo.keys.admin, doc);
    expect(res.statusCode, res.body).toBe(200);
    const outcome = res.json();
    expect(outcome.counts.village).toEqual({ inDocument: doc.villages.length, created: doc.villages.length, changed: 0, unchanged: 0, deactivated: 0 });
    expect(outcome.counts.station.created).toBe(doc.stations.length);
    expect(outcome.counts.county.created).toBe(1);
    expect(outcome.events).toBe(demoTotal());
    expect(outcome.summary.villages.covered / outcome.summary.villages.total).toBeGreaterThanOrEqual(0.8);
    expect(outcome.summary.stations.center).toBe(1);

    expect(await rowCount(demo.intake, 'masterdata')).toBe(demoTotal());
    const village = servedVillage();
    expect(await stationOfVillage(demo.intake, demoCountyId, village.code)).toBe(village.stationId);

    const events = await masterDataEvents(demo.intake, demoCountyId);
    expect(events).toHaveLength(demoTotal());
    expect(new Set(events.map((e) => e.key)).size).toBe(demoTotal());
    expect(events.map((e) => e.key)).toEqual(expect.arrayContaining([`${demoCountyId}/county:${demoCountyId}`, `${demoCountyId}/station:${village.stationId}`, `${demoCountyId}/village:${village.code}`, `${demoCountyId}/courier:zto`]));
    const station = events.find((e) => e.key === `${demoCountyId}/station:${village.stationId}`)!;
    expect(station.type).toBe('masterdata.station_upserted');
    expect(station.data).toMatchObject({ countyId: demoCountyId, id: village.stationId, villageCodes: expect.arrayContaining([village.code]) });
  });

  it('changes nothing when the same county is imported again', async () => {
    const before = (await masterDataEvents(demo.intake, demoCountyId)).length;
    const res = await demo.call('POST', '/import/county', demo.keys.admin, demoDoc());
    expect(res.statusCode).toBe(200);
    expect(res.json().events).toBe(0);
    expect(res.json().counts.station).toMatchObject({ created: 0, changed: 0, unchanged: demoDoc().stations.length, deactivated: 0 });
    expect((await masterDataEvents(demo.intake, demoCountyId)).length).toBe(before);
  });

  it('replaces the county: a changed record is published, an absent one deactivated and no longer resolving', async () => {
    const doc = demoDoc();
    const village = servedVillage();
    doc.stations = doc.stations.filter((station) => station.id !== village.stationId);
    doc.towns[0] = { ...doc.towns[0], name: '城关街道' };
    const res = await demo.call('POST', '/import/county', demo.keys.admin, doc);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts.station).toMatchObject({ deactivated: 1, created: 0, changed: 0 });
    expect(res.json().counts.town).toMatchObject({ changed: 1 });
    expect(res.json().events).toBe(2);
    expect(await stationOfVillage(demo.intake, demoCountyId, village.code)).toBeUndefined();
    const stored = await demo.call('GET', `/stations/${village.stationId}`, demo.keys.operator);
    expect(stored.json()).toMatchObject({ id: village.stationId, active: false });
    expect(stored.headers.etag).toBe('"2"');
    const last = (await masterDataEvents(demo.intake, demoCountyId)).slice(-2);
    expect(last.map((e) => e.type).sort()).toEqual(['masterdata.station_deactivated', 'masterdata.town_upserted']);
  });

  it('replays an import sent again with the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'import-demo-again' };
    const first = await demo.call('POST', '/import/county', demo.keys.admin, demoDoc(), headers);
    expect(first.statusCode, first.body).toBe(200);
    const events = (await masterDataEvents(demo.intake, demoCountyId)).length;
    const replay = await demo.call('POST', '/import/county', demo.keys.admin, demoDoc(), headers);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect((await masterDataEvents(demo.intake, demoCountyId)).length).toBe(events);
  });

  it('reports every problem of a JSON document by part, row and field', async () => {
    const doc = demoDoc();
    doc.villages[3] = { ...doc.villages[3], townId: 'town-999' };
    doc.stations[5] = { ...doc.stations[5], location: { lat: 'north', lng: 106.9 } };
    const res = await demo.call('POST', '/import/county', demo.keys.admin, doc);
    expect(res.statusCode).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe('IMPORT_INVALID');
    expect(error.details).toEqual([
      { path: 'villages:4:townId', file: 'villages', row: 4, field: 'townId', reason: 'unknown town town-999' },
      { path: 'stations:6:location.lat', file: 'stations', row: 6, field: 'location.lat', reason: 'Invalid input: expected number, received string' },
    ]);
  });

  it('is the admin’s, for the admin’s own county', async () => {
    expect((await demo.call('POST', '/import/county', demo.keys.operator, demoDoc())).statusCode).toBe(403);
    expect((await demo.call('POST', '/import/county', demo.keys.bureau, demoDoc())).statusCode).toBe(403);
    const other = await demo.call('POST', '/import/county', demo.keys.admin, miniCounty(freshCountyId()));
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN');
  });
});

describe('importing a whole county as CSV files', () => {
  let demo: Awaited<ReturnType<typeof freshIntake>>;
  beforeAll(async () => {
    demo = await freshIntake();
  });

  it('reports every problem in every file and imports nothing', async () => {
    const files = demoCsv();
    const lines = (name: string) => files[name]!.split('\n');
    const villages = lines('villages.csv');
    villages[2] = villages[2]!.replace(/,town-\d+,/, ',town-999,');
    const stations = lines('stations.csv');
    stations[3] = stations[3]!.replace(/,(\d+\.\d+),(\d+\.\d+),/, ',north,$2,');
    const vehicles = lines('vehicles.csv');
    vehicles[1] = vehicles[1]!.replace(',center,center,', ',center,nowhere,');
    const broken = { ...files, 'villages.csv': villages.join('\n'), 'stations.csv': stations.join('\n'), 'vehicles.csv': vehicles.join('\n') };

    const res = await demo.call('POST', '/import/county/csv', demo.keys.admin, { files: broken });
    expect(res.statusCode, res.body).toBe(422);
    const details = res.json().error.details as { file: string; row: number; field: string }[];
    expect(details.map(({ file, row, field }) => [file, row, field])).toEqual([
      ['villages.csv', 2, 'town_id'],
      ['stations.csv', 3, 'lat'],
      ['vehicles.csv', 1, 'depot_station_id'],
    ]);
    expect(await rowCount(demo.intake, 'masterdata')).toBe(0);
    expect(await rowCount(demo.intake, 'village_stations')).toBe(0);
    // The outbox holds only the key events of the keys the suite issued.
    const { rows } = await demo.intake.pool.query(`SELECT 1 FROM outbox WHERE payload->>'type' NOT LIKE 'access.%'`);
    expect(rows).toEqual([]);
  });

  it('imports the demo county from its six files, the same records as from JSON', async () => {
    const res = await demo.call('POST', '/import/county/csv', demo.keys.admin, { files: demoCsv() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().events).toBe(demoTotal());
    expect(res.json().counts.vehicle.created).toBe(demoDoc().vehicles.length);
    const village = servedVillage();
    expect(await stationOfVillage(demo.intake, demoCountyId, village.code)).toBe(village.stationId);
    const again = await demo.call('POST', '/import/county', demo.keys.admin, demoDoc());
    expect(again.json().events).toBe(0);
  });

  it('reports NUL in a cell by file, row and column, a lone surrogate by file and row', async () => {
    const files = demoCsv();
    const towns = files['towns.csv']!.split('\n');
    towns[1] = towns[1]!.replace('城关镇', '城关\u0000镇');
    const withNul = await demo.call('POST', '/import/county/csv', demo.keys.admin, { files: { ...files, 'towns.csv': towns.join('\n') } });
    expect(withNul.statusCode, withNul.body).toBe(422);
    expect(withNul.json().error.details).toEqual([
      { path: 'towns.csv:1:name', file: 'towns.csv', row: 1, field: 'name', reason: 'must not contain NUL, control characters or unpaired surrogates' },
    ]);
    // Parsing would turn a lone surrogate into U+FFFD unnoticed: the file is refused as no text.
    const couriers = files['couriers.csv']!.split('\n');
    couriers[2] = couriers[2]!.replace('中通', '中\uD800通');
    const withSurrogate = await demo.call('POST', '/import/county/csv', demo.keys.admin, { files: { ...files, 'couriers.csv': couriers.join('\n') } });
    expect(withSurrogate.statusCode, withSurrogate.body).toBe(422);
    expect(withSurrogate.json().error.details).toEqual([
      { path: 'couriers.csv:2', file: 'couriers.csv', row: 2, field: null, reason: 'not text: holds an unpaired surrogate' },
    ]);
  });

  it('refuses a CSV body that is not files by name', async () => {
    const res = await demo.call('POST', '/import/county/csv', demo.keys.admin, { files: { 'county.csv': 42 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.files.county.csv');
  });
});

describe('import progress', () => {
  it('is reported after each chunk of records written', async () => {
    const { intake, config } = await freshIntake();
    const countyId = freshCountyId();
    const result = validateCountyImport(miniCounty(countyId));
    if (!result.ok) throw new Error('the mini county is invalid');
    const progress: ImportProgress[] = [];
    await withTransaction(intake.pool, (tx) =>
      importCounty(tx, { outbox: createOutbox({ topicPrefix: config.TOPIC_PREFIX }), source: 'intake', now: () => new Date() }, result.plan, { chunkSize: 5, onProgress: (p) => progress.push(p) }),
    );
    expect(progress).toEqual([
      { countyId, imported: 5, total: 14 },
      { countyId, imported: 10, total: 14 },
      { countyId, imported: 14, total: 14 },
    ]);
  });
});
