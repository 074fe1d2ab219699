import {
  isServiceDue,
  masterDataEventDefinitions,
  masterDataKey,
  openingOn,
  type ServiceFrequency,
} from '@county/contracts';
import { describe, expect, it } from 'vitest';
import { countyCsvFiles } from '../../../demo/county-csv.js';
import { generateCounty } from '../../../demo/generate-county.js';
import { validateCountyCsv, validateCountyImport, type CountyImportResult, type ImportError } from '../src/masterdata/domain/import/index.js';
import { demoCsv, demoDoc, miniDoc, type ImportDoc } from './fixtures/import-fixtures.js';

const errorsOf = (result: CountyImportResult): ImportError[] => (result.ok ? [] : result.errors);

/** The one error a broken document has, with its file, row and field. */
function onlyError(doc: ImportDoc): ImportError {
  const errors = errorsOf(validateCountyImport(doc));
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

describe('the demo county', () => {
  it('validates with no error as JSON and as CSV, into the same plan', () => {
    const fromJson = validateCountyImport(demoDoc());
    const fromCsv = validateCountyCsv(demoCsv());
    expect(errorsOf(fromJson)).toEqual([]);
    expect(errorsOf(fromCsv)).toEqual([]);
    expect(fromCsv).toEqual(fromJson);
  });

  it('is a real-sized county meeting the plans’ coverage targets', () => {
    const result = validateCountyImport(demoDoc());
    if (!result.ok) throw new Error('the demo county is invalid');
    const { summary } = result.plan;
    expect(summary.towns.withStation).toBe(summary.towns.total);
    expect(summary.villages.total).toBeGreaterThanOrEqual(100);
    expect(summary.villages.covered / summary.villages.total).toBeGreaterThanOrEqual(0.8);
    expect(summary.villages.covered).toBeLessThan(summary.villages.total);
    expect(summary.stations.center).toBe(1);
    expect(summary.couriers).toBeGreaterThanOrEqual(5);
    expect(summary.vehicles.refrigerated).toBeGreaterThan(0);
  });

  it('is what demo/generate-county.ts writes (regenerate with npx tsx demo/generate-county.ts)', () => {
    const county = generateCounty();
    expect(JSON.parse(JSON.stringify(county))).toEqual(demoDoc());
    expect(countyCsvFiles(county)).toEqual(demoCsv());
  });
});

describe('a county import with several problems', () => {
  it('reports every one at once, by file, row and field', () => {
    const doc = demoDoc();
    doc.county.waves = [{ id: 'am', departure: '07:00', cutoff: '25:00' }];
    doc.towns[2] = { ...doc.towns[2], name: '' };
    doc.villages[4] = { ...doc.villages[4], townId: 'town-999' };
    doc.stations[5] = { ...doc.stations[5], location: { lat: 106.9, lng: 30.3 } };
    doc.couriers.push({ ...doc.couriers[0] });
    doc.vehicles[3] = { ...doc.vehicles[3], colour: 'white' };

    const errors = errorsOf(validateCountyImport(doc));

    expect(errors.map(({ file, row, field }) => ({ file, row, field }))).toEqual([
      { file: 'county', row: 1, field: 'waves.0.cutoff' },
      { file: 'towns', row: 3, field: 'name' },
      { file: 'villages', row: 5, field: 'townId' },
      { file: 'stations', row: 6, field: 'location.lat' },
      { file: 'stations', row: 6, field: 'location.lng' },
      { file: 'couriers', row: 6, field: 'id' },
      { file: 'vehicles', row: 4, field: 'colour' },
    ]);
    expect(errors.map((error) => error.reason)).toEqual([
      'a time of day HH:MM, 00:00–23:59',
      'required',
      'unknown town town-999',
      'latitude within China: 3.8–53.6',
      'longitude within China: 73.4–135.1',
      'duplicate ems, also in row 1',
      'unknown property',
    ]);
  });

  it('still checks the references of a record that has other problems', () => {
    const doc = miniDoc();
    doc.stations[2] = { ...doc.stations[2], coldStorageM3: -1, villageCodes: ['511623102202', '511623102299'] };
    expect(errorsOf(validateCountyImport(doc))).toEqual([
      { file: 'stations', row: 3, field: 'coldStorageM3', reason: 'not negative' },
      { file: 'stations', row: 3, field: 'villageCodes.1', reason: 'unknown village 511623102299' },
    ]);
  });

  it('does not blame the villages of a town whose own record is invalid', () => {
    const doc = miniDoc();
    doc.towns[1] = { ...doc.towns[1], name: 42 };
    expect(errorsOf(validateCountyImport(doc))).toEqual([
      { file: 'towns', row: 2, field: 'name', reason: 'Invalid input: expected string, received number' },
    ]);
  });

  it('names the parts that are missing or unknown', () => {
    const { couriers: _couriers, ...doc } = { ...miniDoc(), depots: [] };
    expect(errorsOf(validateCountyImport(doc))).toEqual([
      { file: 'depots', row: null, field: null, reason: expect.stringContaining('not part of a county import') },
      { file: 'couriers', row: null, field: null, reason: 'required' },
      { file: 'vehicles', row: 2, field: 'owner.courierId', reason: 'unknown courier sf' },
    ]);
    expect(errorsOf(validateCountyImport([]))).toEqual([{ file: '$', row: null, field: null, reason: expect.any(String) }]);
  });
});

describe('the rules across records', () => {
  it('refuses records that bring their own county id', () => {
    const doc = miniDoc();
    doc.towns[0] = { ...doc.towns[0], countyId: 'cn-500237' };
    expect(onlyError(doc)).toMatchObject({ file: 'towns', row: 1, field: 'countyId' });
  });

  it('finds duplicate ids in every file', () => {
    const doc = miniDoc();
    doc.towns.push({ ...doc.towns[0], code: '511623103' });
    doc.villages.push({ ...doc.villages[3] });
    doc.stations.push({ ...doc.stations[1], villageCodes: [] });
    doc.couriers.push({ ...doc.couriers[0] });
    doc.vehicles.push({ ...doc.vehicles[0], plate: '川X·99999' });
    const errors = errorsOf(validateCountyImport(doc));
    expect(errors.map(({ file, row, field, reason }) => [file, row, field, reason])).toEqual([
      ['towns', 3, 'id', 'duplicate town-101, also in row 1'],
      ['villages', 5, 'code', 'duplicate 511623102203, also in row 4'],
      ['stations', 4, 'id', 'duplicate ts-102, also in row 2'],
      ['couriers', 3, 'id', 'duplicate zto, also in row 1'],
      ['vehicles', 3, 'id', 'duplicate van-01, also in row 1'],
    ]);
  });

  it('finds a second vehicle with the same plate', () => {
    const doc = miniDoc();
    doc.vehicles[1] = { ...doc.vehicles[1], plate: doc.vehicles[0]!.plate };
    expect(onlyError(doc)).toMatchObject({ file: 'vehicles', row: 2, field: 'plate', reason: 'duplicate 川X·12345, also in row 1' });
  });

  it('checks village codes against the county’s and the town’s codes', () => {
    const outOfCounty = miniDoc();
    outOfCounty.villages[0] = { ...outOfCounty.villages[0], code: '511602101201' };
    outOfCounty.stations[1] = { ...outOfCounty.stations[1] };
    expect(errorsOf(validateCountyImport(outOfCounty))).toContainEqual({
      file: 'villages', row: 1, field: 'code', reason: 'not a village of county 511623',
    });

    const otherTown = miniDoc();
    otherTown.villages[0] = { ...otherTown.villages[0], townId: 'town-102' };
    expect(onlyError(otherTown)).toMatchObject({ file: 'villages', row: 1, field: 'code', reason: 'not a village of town town-102 (code 511623102)' });
  });

  it('checks a town’s code against the county’s', () => {
    const doc = miniDoc();
    doc.towns[0] = { ...doc.towns[0], code: '500237101' };
    expect(errorsOf(validateCountyImport(doc))).toContainEqual({ file: 'towns', row: 1, field: 'code', reason: 'not a town of county 511623' });
  });

  it('requires a village’s town to exist', () => {
    const doc = miniDoc();
    doc.villages[1] = { ...doc.villages[1], townId: 'town-404' };
    expect(onlyError(doc)).toEqual({ file: 'villages', row: 2, field: 'townId', reason: 'unknown town town-404' });
  });

  it('requires a station’s town to exist', () => {
    const doc = miniDoc();
    doc.stations[1] = { ...doc.stations[1], townId: 'town-404' };
    expect(onlyError(doc)).toEqual({ file: 'stations', row: 2, field: 'townId', reason: 'unknown town town-404' });
  });

  it('requires a station’s villages to exist and to be in its town', () => {
    const doc = miniDoc();
    doc.stations[1] = { ...doc.stations[1], villageCodes: ['511623101201', '511623102299'] };
    expect(errorsOf(validateCountyImport(doc))).toEqual([
      {
        file: 'stations', row: 2, field: 'villageCodes.0',
        reason: 'village 511623101201 is in town town-101, not in the station’s town town-102',
      },
      { file: 'stations', row: 2, field: 'villageCodes.1', reason: 'unknown village 511623102299' },
    ]);
  });

  it('lets one village station only serve a village', () => {
    const doc = miniDoc();
    doc.stations.push({ ...doc.stations[2], id: 'vs-102203', villageCodes: ['511623102203'] });
    expect(onlyError(doc)).toEqual({
      file: 'stations', row: 4, field: 'villageCodes.0',
      reason: 'village 511623102203 is served by village station vs-102202 already (row 3)',
    });
  });

  it('lets an inactive station keep the villages its replacement now serves', () => {
    const doc = miniDoc();
    doc.stations.push({ ...doc.stations[2], id: 'vs-old', villageCodes: ['511623102203'], active: false });
    expect(errorsOf(validateCountyImport(doc))).toEqual([]);
  });

  it('requires exactly one center, and an active one', () => {
    const none = miniDoc();
    none.stations = none.stations.slice(1);
    none.vehicles = none.vehicles.slice(1);
    expect(onlyError(none)).toEqual({ file: 'stations', row: null, field: 'kind', reason: 'no center: exactly one station has kind center' });

    const two = miniDoc();
    two.stations.push({ ...two.stations[0], id: 'center-2' });
    expect(onlyError(two)).toEqual({ file: 'stations', row: 4, field: 'kind', reason: 'a second center; the center is center (row 1)' });

    const inactive = miniDoc();
    inactive.stations[0] = { ...inactive.stations[0], active: false };
    inactive.vehicles = inactive.vehicles.slice(1);
    expect(onlyError(inactive)).toMatchObject({ file: 'stations', row: 1, field: 'active' });
  });

  it('requires a vehicle’s depot to exist and to be the center or a town station', () => {
    const unknown = miniDoc();
    unknown.vehicles[0] = { ...unknown.vehicles[0], depotStationId: 'depot-9' };
    expect(onlyError(unknown)).toEqual({ file: 'vehicles', row: 1, field: 'depotStationId', reason: 'unknown station depot-9' });

    const village = miniDoc();
    village.vehicles[0] = { ...village.vehicles[0], depotStationId: 'vs-102202' };
    expect(onlyError(village)).toMatchObject({ file: 'vehicles', row: 1, field: 'depotStationId', reason: expect.stringContaining('a village station') });
  });

  it('requires a courier’s vehicle to name an existing courier', () => {
    const doc = miniDoc();
    doc.vehicles[1] = { ...doc.vehicles[1], owner: { kind: 'courier', courierId: 'yto' } };
    expect(onlyError(doc)).toEqual({ file: 'vehicles', row: 2, field: 'owner.courierId', reason: 'unknown courier yto' });
  });

  it('refuses active records that lean on inactive ones', () => {
    const doc = miniDoc();
    doc.couriers[1] = { ...doc.couriers[1], active: false };
    doc.villages[3] = { ...doc.villages[3], active: false };
    expect(errorsOf(validateCountyImport(doc))).toEqual([
      { file: 'stations', row: 3, field: 'villageCodes.1', reason: 'village 511623102203 is inactive' },
      { file: 'vehicles', row: 2, field: 'owner.courierId', reason: 'courier sf is inactive' },
    ]);
  });
});

describe('record rules', () => {
  it('needs a town for town and village stations and a village for a village station', () => {
    const doc = miniDoc();
    const { townId: _townId, ...withoutTown } = doc.stations[1]!;
    doc.stations[1] = withoutTown;
    doc.stations[2] = { ...doc.stations[2], villageCodes: [] };
    doc.villages = doc.villages.filter((village) => village.code !== '511623102202' && village.code !== '511623102203');
    expect(errorsOf(validateCountyImport(doc))).toEqual([
      { file: 'stations', row: 2, field: 'townId', reason: 'required for a town station' },
      { file: 'stations', row: 3, field: 'villageCodes', reason: 'a village station serves at least one village' },
    ]);
  });

  it('needs a refrigerated vehicle’s compartment, within its capacity', () => {
    const doc = miniDoc();
    doc.vehicles[0] = { ...doc.vehicles[0], refrigeratedCapacityKg: 500 };
    const { refrigeratedCapacityM3: _m3, ...reefer } = doc.vehicles[1]!;
    doc.vehicles[1] = { ...reefer, refrigeratedCapacityKg: 2000 };
    expect(errorsOf(validateCountyImport(doc))).toEqual([
      { file: 'vehicles', row: 1, field: 'refrigeratedCapacityKg', reason: 'only for a refrigerated vehicle' },
      { file: 'vehicles', row: 2, field: 'refrigeratedCapacityKg', reason: 'at most the vehicle’s capacity, 1500 kg' },
      { file: 'vehicles', row: 2, field: 'refrigeratedCapacityM3', reason: 'required for a refrigerated vehicle' },
    ]);
  });

  it('reads village codes, opening hours and frequencies strictly', () => {
    const doc = miniDoc();
    doc.villages[0] = { ...doc.villages[0], code: '511623101000' };
    doc.stations[1] = { ...doc.stations[1], openingHours: { daily: '19:00-07:30' } };
    doc.stations[2] = { ...doc.stations[2], serviceFrequency: { kind: 'every_n_days', everyDays: 2 } };
    const errors = errorsOf(validateCountyImport(doc)).filter((error) => error.file !== 'stations' || error.row !== 1);
    expect(errors).toEqual([
      { file: 'villages', row: 1, field: 'code', reason: 'a town’s code padded with 000, not a village’s' },
      { file: 'stations', row: 2, field: 'openingHours.daily', reason: 'HH:MM-HH:MM within one day, e.g. 08:00-18:00, opening before closing' },
      { file: 'stations', row: 3, field: 'serviceFrequency.anchorDate', reason: 'required' },
    ]);
  });
});

describe('what an import plan publishes', () => {
  it('is each record as its upserted event carries it, keyed by entity', () => {
    const result = validateCountyImport(miniDoc());
    if (!result.ok) throw new Error('the mini county is invalid');
    const { county, towns, villages, stations, couriers, vehicles } = result.plan;
    const events = masterDataEventDefinitions;
    expect(events['masterdata.county_upserted'].data.parse(county)).toEqual(county);
    for (const town of towns) expect(events['masterdata.town_upserted'].data.parse(town)).toEqual(town);
    for (const village of villages) expect(events['masterdata.village_upserted'].data.parse(village)).toEqual(village);
    for (const station of stations) expect(events['masterdata.station_upserted'].data.parse(station)).toEqual(station);
    for (const courier of couriers) expect(events['masterdata.courier_upserted'].data.parse(courier)).toEqual(courier);
    for (const vehicle of vehicles) expect(events['masterdata.vehicle_upserted'].data.parse(vehicle)).toEqual(vehicle);
    expect(masterDataKey('county', county)).toBe('cn-511623/county:cn-511623');
    expect(masterDataKey('village', villages[0]!)).toBe('cn-511623/village:511623101201');
    expect(masterDataKey('vehicle', vehicles[1]!)).toBe('cn-511623/vehicle:sf-reefer-01');
  });

  it('deactivates with the full record, inactive', () => {
    const station = { ...miniDoc().stations[2], countyId: 'cn-511623' };
    const deactivated = masterDataEventDefinitions['masterdata.station_deactivated'].data;
    expect(deactivated.safeParse({ ...station, active: false }).success).toBe(true);
    expect(deactivated.safeParse(station).success).toBe(false);
  });
});

describe('a station’s calendar', () => {
  it('is due every n days counted from its anchor, in both directions', () => {
    const everyTwo: ServiceFrequency = { kind: 'every_n_days', everyDays: 2, anchorDate: '2026-01-05' };
    const due = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-05', '2026-01-06', '2026-03-01', '2026-03-02'].map((date) => isServiceDue(everyTwo, date));
    expect(due).toEqual([true, false, true, true, false, false, true]);
    expect(isServiceDue({ kind: 'weekdays', weekdays: ['mon', 'wed', 'fri'] }, '2026-01-07')).toBe(true);
    expect(isServiceDue({ kind: 'weekdays', weekdays: ['mon', 'wed', 'fri'] }, '2026-01-08')).toBe(false);
    expect(isServiceDue({ kind: 'daily' }, '2026-01-08')).toBe(true);
  });

  it('opens per weekday or daily', () => {
    expect(openingOn({ daily: '08:00-18:00' }, 'sun')).toEqual({ open: 480, close: 1080 });
    expect(openingOn({ mon: '08:00-18:00', sat: '09:00-12:00' }, 'sat')).toEqual({ open: 540, close: 720 });
    expect(openingOn({ mon: '08:00-18:00' }, 'sun')).toBeUndefined();
  });
});
