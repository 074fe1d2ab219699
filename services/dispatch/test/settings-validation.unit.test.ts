import { describe, expect, it } from 'vitest';
import { fixedLineBodySchema, lineOverlaps, lineReferenceIssues } from '../src/settings/domain/lines.js';
import { matrixIssues, packTable, unknownStationIssues, unpackTable, type TravelMatrixBody } from '../src/settings/domain/matrix.js';
import { dispatchSettingsSchema, settingsDefaults } from '../src/settings/domain/settings.js';
import { stationRecord, vehicleRecord } from './readmodel-events.js';

describe('dispatch settings', () => {
  it('take their defaults for every field left out', () => {
    expect(dispatchSettingsSchema.parse({})).toEqual(settingsDefaults);
    expect(dispatchSettingsSchema.parse({ mode: 'two_tier', roadFactor: 1.3 })).toEqual({ ...settingsDefaults, mode: 'two_tier', roadFactor: 1.3 });
  });

  it('refuse values a county cannot mean, naming the field', () => {
    const result = dispatchSettingsSchema.safeParse({ roadFactor: 0.8, averageSpeedKmh: 0, seed: 1.5, mode: 'teleport', extra: 1 });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['', 'averageSpeedKmh', 'mode', 'roadFactor', 'seed']);
  });
});

describe('a fixed line', () => {
  const line = { name: 'Line 1', stationIds: ['st-t1', 'st-v1'], vehicleId: 'van-1', weekdays: [1, 3, 5] };

  it('lists each station and weekday once, weekdays 1–7', () => {
    const result = fixedLineBodySchema.safeParse({ ...line, stationIds: ['st-v1', 'st-v1'], weekdays: [0, 8, 3, 3] });
    expect(result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'stationIds.1: st-v1 is listed twice',
      'weekdays.0: ISO weekday 1 (Monday) … 7 (Sunday)',
      'weekdays.1: ISO weekday 1 (Monday) … 7 (Sunday)',
      'weekdays.3: weekday 3 is listed twice',
    ]);
  });

  it('names stations and vehicles the county cannot run it with', () => {
    const stations = new Map([
      ['center', stationRecord('cn-1', 'center', 'center')],
      ['st-t1', stationRecord('cn-1', 'st-t1', 'town', { active: false })],
    ]);
    const issues = lineReferenceIssues({ ...line, stationIds: ['center', 'st-t1', 'st-x'] }, stations, vehicleRecord('cn-1', 'van-1', { active: false }));
    expect(issues).toEqual([
      { path: 'body.stationIds.0', reason: 'center is the center, where a line starts and ends: list its stops' },
      { path: 'body.stationIds.1', reason: 'station st-t1 is out of service' },
      { path: 'body.stationIds.2', reason: 'no station st-x in this county' },
      { path: 'body.vehicleId', reason: 'vehicle van-1 is out of service' },
    ]);
    expect(lineReferenceIssues(line, stations, undefined)).toContainEqual({ path: 'body.vehicleId', reason: 'no vehicle van-1 in this county' });
  });

  it('may not serve a station another line serves on the same weekday', () => {
    const other = { id: 'l2', name: 'Line 2', stationIds: ['st-v1'], vehicleId: 'van-2', weekdays: [2, 3] };
    expect(lineOverlaps({ ...line, id: 'l1' }, [other])).toEqual([{ path: 'body.stationIds.1', reason: 'st-v1 is on line l2 on weekday(s) 3 already' }]);
    expect(lineOverlaps({ ...line, id: 'l1', weekdays: [1] }, [other])).toEqual([]);
    expect(lineOverlaps({ ...line, id: 'l2' }, [other])).toEqual([]);
  });
});

describe('a travel matrix', () => {
  const square = (n: number, value = 1) => Array.from({ length: n }, () => Array.from({ length: n }, () => value));
  const body = (overrides: Partial<TravelMatrixBody> = {}): TravelMatrixBody => ({
    stationIds: ['a', 'b', 'c'],
    distanceKm: square(3),
    durationMinutes: square(3),
    ...overrides,
  });

  it('is square in the stations’ size, of finite numbers ≥ 0, each station once', () => {
    expect(matrixIssues(body())).toEqual([]);
    const distanceKm = square(3);
    distanceKm[1]![2] = -4;
    const durationMinutes: unknown[][] = [[0, 1, 2], [0, 1], [0, 'x', 2]];
    expect(matrixIssues(body({ stationIds: ['a', 'b', 'a'], distanceKm, durationMinutes }))).toEqual([
      { path: 'body.stationIds.2', reason: 'a is listed twice (also at 0)' },
      { path: 'body.distanceKm.1.2', reason: 'not negative (from b to a)' },
      { path: 'body.durationMinutes.1', reason: '2 numbers for 3 stations: the matrix must be square' },
      { path: 'body.durationMinutes.2.1', reason: 'a number' },
    ]);
    expect(matrixIssues(body({ distanceKm: square(2) }))[0]).toEqual({ path: 'body.distanceKm', reason: '2 rows for 3 stations: one row per station' });
  });

  it('wrong everywhere, is answered with its first problems', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `s${i}`);
    const issues = matrixIssues({ stationIds: ids, distanceKm: square(50, -1), durationMinutes: square(50) });
    expect(issues).toHaveLength(21);
    expect(issues.at(-1)).toEqual({ path: 'body', reason: 'and 2480 more problem(s) like these' });
  });

  it('names the stations the county does not have', () => {
    expect(unknownStationIssues(['a', 'zz', 'b'], new Set(['a', 'b']))).toEqual([{ path: 'body.stationIds.1', reason: 'no station zz in this county' }]);
  });

  it('is stored as float64 and read back as it was', () => {
    const table = [
      [0, 12.345678901234],
      [13.5, 0],
    ];
    expect(unpackTable(packTable(table), 2)).toEqual(table);
  });
});
