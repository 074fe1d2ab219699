import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvFiles } from '../src/masterdata/domain/import/csv/columns.js';
import { parseCountyCsv, validateCountyCsv, validateCountyImport, type CountyImportResult, type ImportError } from '../src/masterdata/domain/import/index.js';
import { miniCsv, miniDoc } from './fixtures/import-fixtures.js';

const errorsOf = (result: CountyImportResult): ImportError[] => (result.ok ? [] : result.errors);

/** The mini county's CSV files with one file changed. */
function withFile(name: string, change: (text: string) => string): Record<string, string> {
  const files = miniCsv();
  files[name] = change(files[name] ?? '');
  return files;
}

const replace = (from: string, to: string) => (text: string) => {
  if (!text.includes(from)) throw new Error(`fixture has no ${from}`);
  return text.replace(from, to);
};

describe('CSV files of a county', () => {
  it('read into the same plan as the JSON document (BOM, CRLF, Chinese, quoted commas, 是/否)', () => {
    const fromCsv = validateCountyCsv(miniCsv());
    expect(errorsOf(fromCsv)).toEqual([]);
    expect(fromCsv).toEqual(validateCountyImport(miniDoc()));
    if (!fromCsv.ok) return;
    expect(fromCsv.plan.stations[0]?.address).toBe('城关镇工业园区物流大道8号, 共配中心');
    expect(fromCsv.plan.stations[2]).toMatchObject({
      name: '桃园村电商服务站（含石桥村, 代收点）',
      villageCodes: ['511623102202', '511623102203'],
      openingHours: { mon: '08:00-18:00', tue: '08:00-18:00', sat: '09:00-12:00' },
      serviceFrequency: { kind: 'every_n_days', everyDays: 2, anchorDate: '2026-01-05' },
    });
    expect(fromCsv.plan.villages.map((village) => village.povertyRegistered)).toEqual([false, true, false, false]);
  });

  it('read the same with or without a byte-order mark', () => {
    const withoutBom = withFile('towns.csv', (text) => text.replace(/^\uFEFF/, ''));
    expect(validateCountyCsv(withoutBom)).toEqual(validateCountyCsv(miniCsv()));
  });

  it('give the JSON document and the origin of each record', () => {
    const parsed = parseCountyCsv(miniCsv());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.doc.stations[1]).toMatchObject({ id: 'ts-102', location: { lat: 30.41, lng: 106.97 } });
    expect(parsed.origin.file('stations')).toBe('stations.csv');
    expect(parsed.origin.field('stations', ['location', 'lat'])).toBe('lat');
    expect(parsed.origin.field('stations', ['villageCodes', 1])).toBe('villages');
    expect(parsed.origin.field('vehicles', ['owner', 'courierId'])).toBe('owner');
  });
});

describe('problems in CSV files', () => {
  it('are all reported at once, by file, row and column', () => {
    const files = miniCsv();
    files['county.csv'] = replace('am=07:00/05:30', 'am=07:00/5:30')(files['county.csv']!);
    files['villages.csv'] = replace('511623102201,青山村,town-102,是', '511623102201,青山村,town-102,也许')(files['villages.csv']!);
    files['stations.csv'] = replace('30.41,106.97', '130.41,106.97')(files['stations.csv']!);
    files['stations.csv'] = replace(',511623102201,true', ',511623102209,true')(files['stations.csv']!);
    files['vehicles.csv'] = replace(',sf,ts-102,', ',yto,ts-102,')(files['vehicles.csv']!);
    files['vehicles.csv'] = replace('van-01,面包车,川X·12345,1000', 'van-01,面包车,川X·12345,1 000')(files['vehicles.csv']!);

    expect(errorsOf(validateCountyCsv(files))).toEqual([
      { file: 'county.csv', row: 1, field: 'waves', reason: 'a time of day HH:MM, 00:00–23:59' },
      { file: 'villages.csv', row: 2, field: 'poverty_registered', reason: 'expected true/false or 是/否, got “也许”' },
      { file: 'stations.csv', row: 2, field: 'lat', reason: 'latitude within China: 3.8–53.6' },
      { file: 'stations.csv', row: 2, field: 'villages', reason: 'unknown village 511623102209' },
      { file: 'vehicles.csv', row: 1, field: 'capacity_kg', reason: 'expected a number such as 12.5, got “1 000”' },
      { file: 'vehicles.csv', row: 2, field: 'owner', reason: 'unknown courier yto' },
    ]);
  });

  it('count rows from the line under the header, blank lines included', () => {
    const files = withFile('villages.csv', (text) => replace('511623102203,石桥村,town-102,FALSE', '\n511623102203,石桥村,town-102,maybe')(text));
    expect(errorsOf(validateCountyCsv(files))).toEqual([
      { file: 'villages.csv', row: 5, field: 'poverty_registered', reason: 'expected true/false or 是/否, got “maybe”' },
    ]);
  });

  it('include a missing required column, once rather than on every row', () => {
    const files = withFile('towns.csv', (text) => text.replace('id,code,name', 'id,code,town_name').replace(/城关镇|石门镇/g, 'x'));
    expect(errorsOf(validateCountyCsv(files))).toEqual([
      { file: 'towns.csv', row: null, field: 'town_name', reason: expect.stringContaining('unknown column') },
      { file: 'towns.csv', row: null, field: 'name', reason: 'missing required column' },
    ]);
  });

  it('include a column given twice', () => {
    const files = withFile('couriers.csv', (text) => text.replace('id,brand,name', 'id,brand,name,brand').replace(/\r\n(\w+),(\w+),(.+)/g, '\r\n$1,$2,$3,$2'));
    expect(errorsOf(validateCountyCsv(files))).toEqual([{ file: 'couriers.csv', row: null, field: 'brand', reason: 'column appears twice' }]);
  });

  it('include a row whose values do not line up with the header, once', () => {
    const files = withFile('stations.csv', replace('"石门镇中心街12号"', '石门镇中心街12号, 邮局旁'));
    expect(errorsOf(validateCountyCsv(files))).toEqual([
      { file: 'stations.csv', row: 2, field: null, reason: '15 values for 14 columns (a comma in a value that is not in quotes?)' },
    ]);
  });

  it('include cells that cannot be read, by column', () => {
    const files = withFile('stations.csv', (text) =>
      replace('07:30-19:00,30,daily', '07:30-19:00,30,weekly')(replace('mon=08:00-18:00;tue=08:00-18:00', 'mon 08:00-18:00;tue=08:00-18:00')(text)),
    );
    expect(errorsOf(validateCountyCsv(files))).toEqual([
      { file: 'stations.csv', row: 2, field: 'frequency', reason: expect.stringContaining('expected daily, every_2_days') },
      { file: 'stations.csv', row: 3, field: 'opening_hours', reason: expect.stringContaining('expected 08:00-18:00') },
    ]);
  });

  it('include a second county row', () => {
    const files = withFile('county.csv', (text) => text + text.split('\r\n')[1] + '\r\n');
    expect(errorsOf(validateCountyCsv(files))).toEqual([
      { file: 'county.csv', row: 2, field: null, reason: 'a second county; county.csv holds one' },
    ]);
  });

  it('include missing, unknown, non-UTF-8 and malformed files, and stop there', () => {
    const files = miniCsv();
    delete files['couriers.csv'];
    files['notes.csv'] = 'anything';
    files['towns.csv'] = 'id,code,name\ntown-101,511623101,\uFFFD\uFFFD\uFFFD\n';
    files['villages.csv'] = replace('"桃园村"', '"桃园村')(files['villages.csv']!);
    const errors = errorsOf(validateCountyCsv(files));
    expect(errors).toEqual([
      { file: 'towns.csv', row: null, field: null, reason: 'not UTF-8: save it as “CSV UTF-8”' },
      { file: 'villages.csv', row: expect.any(Number), field: null, reason: expect.stringContaining('not valid CSV') },
      { file: 'couriers.csv', row: null, field: null, reason: 'missing file' },
      { file: 'notes.csv', row: null, field: null, reason: expect.stringContaining('not a county import file') },
    ]);
    expect(parseCountyCsv(files)).toEqual({ ok: false, errors });
  });
});

describe('the CSV columns README.md documents', () => {
  it('are the columns the reader reads, required as it requires them', () => {
    const readme = readFileSync(new URL('../src/masterdata/domain/import/README.md', import.meta.url), 'utf8');
    for (const { name, columns } of Object.values(csvFiles)) {
      const section = readme.split(`### ${name}`)[1]?.split('### ')[0] ?? '';
      const documented = [...section.matchAll(/^\| `([a-z0-9_]+)` \| [^|]+ \| (yes|no) \|/gm)].map(([, column, required]) => [column, required]);
      expect(documented, name).toEqual(columns.map((column) => [column.name, column.required ? 'yes' : 'no']));
    }
  });
});
