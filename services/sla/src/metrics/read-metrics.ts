import type { Queryable } from '@county/platform';
import { costFigures, coverage, round, share, stationActivity, targets, trend } from './domain/figures.js';
import { addDays, monthRange, type GroupBy } from './domain/query.js';
import { complianceRows, coverageData, dailyTotals, legs, stationMonths, timeZoneOf, volumesAndLegs, waveCosts, type DayRow, type LegRow, type VolumeRow } from './store.js';

/** The rolling windows the bureau watches, in days, each against the window just before it. */
export const windows = [7, 30, 90] as const;

function legFigures(rows: LegRow[]) {
  return legs.map((leg) => {
    const r = rows.find((x) => x.leg === leg);
    const measured = r?.measured ?? 0;
    const onTime = r?.onTime ?? 0;
    return { key: leg, measured, onTime, onTimeRate: share(onTime, measured).rate, p50Minutes: r?.p50 ?? null, p90Minutes: r?.p90 ?? null, breaches: measured - onTime };
  });
}

function block(key: string | null, volumes: VolumeRow[], legRows: LegRow[], compliance: { key: string; records: number; compliant: number }[]) {
  const v = volumes.find((x) => x.key === key);
  const l = legFigures(legRows.filter((x) => x.key === key));
  const c = compliance.find((x) => x.key === (key ?? 'all'));
  return {
    volumes: { downstream: v?.downstream ?? 0, upstream: v?.upstream ?? 0 },
    legs: l,
    breaches: l.reduce((n, x) => n + x.breaches, 0),
    coldChainCompliance: { ...share(c?.compliant ?? 0, c?.records ?? 0), records: c?.records ?? 0 },
  };
}

function windowFigures(days: DayRow[], from: string, to: string) {
  const of = days.filter((d) => d.day >= from && d.day <= to);
  return {
    from,
    to,
    downstream: of.reduce((n, d) => n + d.downstream, 0),
    upstream: of.reduce((n, d) => n + d.upstream, 0),
    legs: Object.fromEntries(
      legs.map((leg) => {
        const measured = of.reduce((n, d) => n + d.legs[leg].measured, 0);
        const onTime = of.reduce((n, d) => n + d.legs[leg].onTime, 0);
        return [leg, share(onTime, measured).rate];
      }),
    ) as Record<(typeof legs)[number], number | null>,
  };
}

/** The 7-, 30- and 90-day windows ending on `to`, each against the window of as many days just before it. */
function rollingWindows(days: DayRow[], to: string) {
  return windows.map((n) => {
    const cur = windowFigures(days, addDays(to, -(n - 1)), to);
    const prev = windowFigures(days, addDays(to, -(2 * n - 1)), addDays(to, -n));
    return {
      window: `${n}d`,
      from: cur.from,
      to: cur.to,
      previousFrom: prev.from,
      previousTo: prev.to,
      downstream: trend(cur.downstream, prev.downstream),
      upstream: trend(cur.upstream, prev.upstream),
      onTimeRate: legs.map((leg) => ({ key: leg, ...trend(cur.legs[leg], prev.legs[leg]) })),
    };
  });
}

export interface MetricsDeps {
  pool: Queryable;
  now: () => Date;
}

/** `GET /v1/metrics`: every figure of the period for the caller's county, broken down when asked (README "Metrics"). */
export async function readMetrics(deps: MetricsDeps, countyId: string, from: string, to: string, groupBy?: GroupBy, options: { groupPercentiles?: boolean } = {}) {
  const asOf = deps.now().toISOString();
  const tz = await timeZoneOf(deps.pool, countyId);
  const longest = Math.max(...windows);
  const [vl, compliance, complianceTotal, costs, cov, stations, days] = await Promise.all([
    volumesAndLegs(deps.pool, countyId, from, to, tz, groupBy, options),
    groupBy ? complianceRows(deps.pool, countyId, from, to, groupBy) : Promise.resolve([]),
    complianceRows(deps.pool, countyId, from, to),
    waveCosts(deps.pool, countyId, from, to),
    coverageData(deps.pool, countyId, from, to),
    stationMonths(deps.pool, countyId, from, to),
    dailyTotals(deps.pool, countyId, addDays(to, -(2 * longest - 1)), to),
  ]);
  const totalKey = groupBy ? null : 'all';
  const keys = groupBy ? [...new Set([...vl.volumes.map((v) => v.key), ...compliance.map((c) => c.key)].filter((k): k is string => k !== null))].sort() : [];
  return {
    countyId,
    from,
    to,
    timeZone: tz,
    groupBy: groupBy ?? null,
    asOf,
    totals: block(totalKey, vl.volumes, vl.legs, complianceTotal),
    groups: keys.map((key) => ({ key, ...block(key, vl.volumes, vl.legs, compliance) })),
    coverage: coverage({ from, to, ...cov }),
    cost: costFigures(costs),
    stationActivity: stationActivity(stations),
    rollingWindows: rollingWindows(days, to),
  };
}

/** `GET /v1/reports/monthly`: the programme's indicators for a month, each with its target where the plans set one. */
export async function readMonthlyReport(deps: MetricsDeps, countyId: string, month: string) {
  const { from, to } = monthRange(month);
  const m = await readMetrics(deps, countyId, from, to);
  const activity = m.stationActivity.byMonth.find((x) => x.month === month) ?? { stations: 0, meeting: 0 };
  const indicator = (key: string, value: number | null, target: number | null = null, met: boolean | null = null) => ({ key, value, target, met });
  return {
    countyId,
    month,
    from,
    to,
    asOf: m.asOf,
    indicators: [
      indicator('parcels_downstream', m.totals.volumes.downstream),
      indicator('parcels_upstream', m.totals.volumes.upstream),
      ...m.totals.legs.flatMap((l) => [indicator(`on_time_rate_${l.key}`, l.onTimeRate), indicator(`breaches_${l.key}`, l.breaches)]),
      indicator('village_coverage_rate', m.coverage.villages.rate, targets.villageCoverage, m.coverage.villages.met),
      indicator('town_coverage_rate', m.coverage.towns.rate, targets.townCoverage, m.coverage.towns.met),
      indicator('poverty_registered_village_coverage_rate', m.coverage.povertyRegisteredVillages.rate, targets.villageCoverage, m.coverage.povertyRegisteredVillages.met),
      indicator('cost_per_parcel_yuan', m.cost.costPerParcelYuan),
      indicator('surveyed_cost_per_parcel_yuan', m.cost.surveyedCostPerParcelYuan),
      indicator('counterfactual_cost_per_parcel_yuan', m.cost.counterfactualCostPerParcelYuan),
      indicator('cost_reduction_vs_surveyed_pct', m.cost.reductionVsSurveyedPct, targets.costReductionPct, m.cost.met),
      indicator('cost_reduction_vs_counterfactual_pct', m.cost.reductionVsCounterfactualPct),
      indicator('cold_chain_compliance_rate', m.totals.coldChainCompliance.rate),
      indicator('village_stations', activity.stations),
      indicator('village_stations_meeting_thresholds', activity.meeting),
      indicator('village_stations_meeting_thresholds_rate', activity.stations === 0 ? null : round(activity.meeting / activity.stations, 6)),
    ],
  };
}
