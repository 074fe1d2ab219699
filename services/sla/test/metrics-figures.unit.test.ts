import { describe, expect, it } from 'vitest';
import { flatten, toCsv } from '../src/metrics/domain/csv.js';
import { costFigures, coverage, meetsThresholds, servedAtFrequency, trend, type CoverageStation } from '../src/metrics/domain/figures.js';
import { metricsQuerySchema, monthRange, monthsOf } from '../src/metrics/domain/query.js';

const station = (id: string, kind: CoverageStation['kind'], villageCodes: string[], freq: CoverageStation['serviceFrequency'] = { kind: 'daily' }): CoverageStation => ({
  stationId: id,
  kind,
  townId: 'town-1',
  villageCodes,
  serviceFrequency: freq,
  active: true,
});

describe('the metrics query', () => {
  const issues = (q: unknown) => {
    const r = metricsQuerySchema.safeParse(q);
    return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };
  it('names the field that is wrong and why', () => {
    expect(issues({ from: '2026-06-01', to: '2026-06-30', groupBy: 'courier' })).toEqual([]);
    expect(issues({ from: '2026-6-1', to: '2026-06-30' })[0]?.path).toBe('from');
    expect(issues({ from: '2026-06-30', to: '2026-06-01' })).toEqual([{ path: 'to', message: 'not before from (2026-06-30)' }]);
    expect(issues({ from: '2025-01-01', to: '2026-06-01' })).toEqual([{ path: 'to', message: 'at most 366 days after from' }]);
    expect(issues({ from: '2026-06-01', to: '2026-06-30', groupBy: 'vehicle' })[0]?.path).toBe('groupBy');
    expect(issues({ to: '2026-06-30' })[0]?.path).toBe('from');
  });
  it('knows a month’s days and the months of a period', () => {
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthsOf('2026-11-20', '2027-01-03')).toEqual(['2026-11', '2026-12', '2027-01']);
  });
});

describe('coverage', () => {
  it('counts a station served only when a route handed over on every date it was due', () => {
    const everyOther = station('v', 'village', ['1'], { kind: 'every_n_days', everyDays: 2, anchorDate: '2026-06-01' });
    expect(servedAtFrequency(everyOther, '2026-06-01', '2026-06-04', new Set(['2026-06-01', '2026-06-03']))).toBe(true);
    expect(servedAtFrequency(everyOther, '2026-06-01', '2026-06-04', new Set(['2026-06-01', '2026-06-02']))).toBe(false);
    expect(servedAtFrequency(station('d', 'village', ['1']), '2026-06-01', '2026-06-02', new Set(['2026-06-01']))).toBe(false);
  });
  it('shares villages, towns and formerly poverty-registered villages against the plans’ targets', () => {
    const result = coverage({
      from: '2026-06-01',
      to: '2026-06-01',
      towns: [{ townId: 'town-1', active: true }, { townId: 'town-2', active: true }],
      villages: [
        { code: '1', townId: 'town-1', povertyRegistered: true, active: true },
        { code: '2', townId: 'town-1', povertyRegistered: false, active: true },
        { code: '3', townId: 'town-2', povertyRegistered: true, active: true },
        { code: '4', townId: 'town-2', povertyRegistered: false, active: false },
      ],
      stations: [station('t1', 'town', ['2']), station('v1', 'village', ['1']), station('v3', 'village', ['3'])],
      servedDates: new Map([['t1', new Set(['2026-06-01'])], ['v1', new Set(['2026-06-01'])]]),
    });
    expect(result.villages).toMatchObject({ numerator: 2, denominator: 3, rate: 0.666667, met: false });
    expect(result.towns).toMatchObject({ numerator: 1, denominator: 2, rate: 0.5, met: false });
    expect(result.povertyRegisteredVillages).toMatchObject({ numerator: 1, denominator: 2, rate: 0.5 });
  });
});

describe('cost per parcel', () => {
  it('divides total cost by total parcels and weights the surveyed baseline by parcels', () => {
    const c = costFigures([
      { parcels: 100, costYuan: 150, counterfactualCostYuan: 250, surveyedCostPerParcelYuan: 2.6 },
      { parcels: 300, costYuan: 450, counterfactualCostYuan: 600, surveyedCostPerParcelYuan: 2 },
    ]);
    expect(c).toMatchObject({ parcels: 400, costPerParcelYuan: 1.5, counterfactualCostPerParcelYuan: 2.125, surveyedCostPerParcelYuan: 2.15 });
    expect(c.reductionVsSurveyedPct).toBeCloseTo((1 - 600 / 860) * 100, 4);
    expect(c.met).toBe(true);
    expect(costFigures([]).costPerParcelYuan).toBeNull();
  });
});

describe('station activity', () => {
  it('meets the thresholds with 100 parcels or 1,000 yuan up, and 2,000 yuan down', () => {
    const s = { stationId: 's', month: '2026-06' };
    expect(meetsThresholds({ ...s, upstreamParcels: 100, upstreamValueYuan: 0, downstreamValueYuan: 2000 })).toBe(true);
    expect(meetsThresholds({ ...s, upstreamParcels: 3, upstreamValueYuan: 1000, downstreamValueYuan: 2000 })).toBe(true);
    expect(meetsThresholds({ ...s, upstreamParcels: 99, upstreamValueYuan: 999.99, downstreamValueYuan: 5000 })).toBe(false);
    expect(meetsThresholds({ ...s, upstreamParcels: 500, upstreamValueYuan: 0, downstreamValueYuan: 1999.99 })).toBe(false);
  });
});

describe('trends and CSV', () => {
  it('says which way a figure moved against the previous window', () => {
    expect(trend(0.9, 0.8)).toMatchObject({ direction: 'up', change: 0.1 });
    expect(trend(3, 3).direction).toBe('flat');
    expect(trend(null, 3).direction).toBeNull();
  });
  it('writes one line per figure, named by its path, keyed arrays by their key', () => {
    const body = { a: { b: 1, c: null }, legs: [{ key: 'x', rate: 0.5 }], note: 'a,"b"' };
    expect(flatten(body)).toEqual([['a.b', 1], ['a.c', null], ['legs.x.key', 'x'], ['legs.x.rate', 0.5], ['note', 'a,"b"']]);
    expect(toCsv(body)).toBe('figure,value\na.b,1\na.c,\nlegs.x.key,x\nlegs.x.rate,0.5\nnote,"a,""b"""\n');
  });
});
