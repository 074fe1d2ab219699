import type { Queryable } from '@county/platform';
import { Gauge, type Registry } from 'prom-client';
import { addDays } from './domain/query.js';
import { readMetrics } from './read-metrics.js';

/**
 * The bureau's figures as Prometheus gauges on `/metrics` (README "Metrics"): each county's last 30 county days
 * (today included), as `GET /v1/metrics?from=<today−29>&to=<today>&groupBy=courier` answers them. Labels are the
 * county, the leg (4) and the courier (the county's couriers): bounded. Figures are computed at most every
 * `ttlMs` (a scrape in between gets the same snapshot).
 */
export const GAUGE_WINDOW_DAYS = 30;

type Snapshot = { countyId: string; m: Awaited<ReturnType<typeof readMetrics>> }[];

export function registerGauges(registry: Registry, deps: { pool: Queryable; now: () => Date }, ttlMs = 15_000): void {
  let cached: { at: number; value: Promise<Snapshot> } | undefined;
  const snapshot = (): Promise<Snapshot> => {
    const at = Date.now();
    if (!cached || at - cached.at > ttlMs) {
      const value = (async () => {
        const { rows } = await deps.pool.query<{ county_id: string; time_zone: string }>(`SELECT county_id, time_zone FROM sla_counties ORDER BY county_id`);
        const out: Snapshot = [];
        for (const r of rows) {
          const today = new Intl.DateTimeFormat('en-CA', { timeZone: r.time_zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(deps.now());
          out.push({ countyId: r.county_id, m: await readMetrics(deps, r.county_id, addDays(today, -(GAUGE_WINDOW_DAYS - 1)), today, 'courier', { groupPercentiles: false }) });
        }
        return out;
      })();
      value.catch(() => (cached = undefined));
      cached = { at, value };
    }
    return cached.value;
  };

  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge<string>, s: Snapshot) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        fill(this, s);
      },
    });
  const set = (g: Gauge<string>, labels: Record<string, string>, v: number | null) => {
    if (v !== null) g.set(labels, v);
  };

  gauge('sla_parcels_downstream', 'Downstream parcels received at the county center in the last 30 county days', ['county', 'courier'], (g, s) => {
    for (const { countyId, m } of s) for (const x of m.groups) g.set({ county: countyId, courier: x.key }, x.volumes.downstream);
  });
  gauge('sla_parcels_upstream', 'Upstream parcels collected at villages in the last 30 county days', ['county', 'courier'], (g, s) => {
    for (const { countyId, m } of s) for (const x of m.groups) g.set({ county: countyId, courier: x.key }, x.volumes.upstream);
  });
  gauge('sla_leg_on_time_ratio', 'Share of measured legs within the county SLA, last 30 county days', ['county', 'leg', 'courier'], (g, s) => {
    for (const { countyId, m } of s) for (const x of m.groups) for (const l of x.legs) set(g, { county: countyId, leg: l.key, courier: x.key }, l.onTimeRate);
  });
  gauge('sla_leg_breaches', 'Measured legs over the county SLA, last 30 county days', ['county', 'leg', 'courier'], (g, s) => {
    for (const { countyId, m } of s) for (const x of m.groups) for (const l of x.legs) g.set({ county: countyId, leg: l.key, courier: x.key }, l.breaches);
  });
  const seconds = (minutes: number | null) => (minutes === null ? null : minutes * 60);
  gauge('sla_leg_duration_p50_seconds', 'Median leg duration in seconds, last 30 county days', ['county', 'leg'], (g, s) => {
    for (const { countyId, m } of s) for (const l of m.totals.legs) set(g, { county: countyId, leg: l.key }, seconds(l.p50Minutes));
  });
  gauge('sla_leg_duration_p90_seconds', '90th percentile leg duration in seconds, last 30 county days', ['county', 'leg'], (g, s) => {
    for (const { countyId, m } of s) for (const l of m.totals.legs) set(g, { county: countyId, leg: l.key }, seconds(l.p90Minutes));
  });
  gauge('sla_village_coverage_ratio', 'Share of active administrative villages served at their station frequency, last 30 county days', ['county'], (g, s) => {
    for (const { countyId, m } of s) set(g, { county: countyId }, m.coverage.villages.rate);
  });
  gauge('sla_town_coverage_ratio', 'Share of active towns whose town station was served at its frequency, last 30 county days', ['county'], (g, s) => {
    for (const { countyId, m } of s) set(g, { county: countyId }, m.coverage.towns.rate);
  });
  gauge('sla_poverty_village_coverage_ratio', 'Share of formerly poverty-registered villages covered, last 30 county days', ['county'], (g, s) => {
    for (const { countyId, m } of s) set(g, { county: countyId }, m.coverage.povertyRegisteredVillages.rate);
  });
  gauge('sla_cost_per_parcel_yuan', 'Consolidated plans cost per parcel in yuan, last 30 county days', ['county'], (g, s) => {
    for (const { countyId, m } of s) set(g, { county: countyId }, m.cost.costPerParcelYuan);
  });
  gauge('sla_cost_reduction_vs_surveyed_ratio', 'Cost per parcel reduction against the surveyed baseline (0.2 is 20 percent), last 30 county days', ['county'], (g, s) => {
    for (const { countyId, m } of s) set(g, { county: countyId }, m.cost.reductionVsSurveyedPct === null ? null : m.cost.reductionVsSurveyedPct / 100);
  });
  gauge('sla_cost_reduction_vs_counterfactual_ratio', 'Cost per parcel reduction against the per-courier counterfactual, last 30 county days', ['county'], (g, s) => {
    for (const { countyId, m } of s) set(g, { county: countyId }, m.cost.reductionVsCounterfactualPct === null ? null : m.cost.reductionVsCounterfactualPct / 100);
  });
  gauge('sla_cold_chain_compliance_ratio', 'Share of cold-chain parcels compliant (latest revision), last 30 county days', ['county', 'courier'], (g, s) => {
    for (const { countyId, m } of s) for (const x of m.groups) set(g, { county: countyId, courier: x.key }, x.coldChainCompliance.rate);
  });
  gauge('sla_village_stations_meeting_thresholds', 'Village stations meeting the activity thresholds in the current month', ['county'], (g, s) => {
    for (const { countyId, m } of s) {
      const last = m.stationActivity.byMonth.at(-1);
      if (last) g.set({ county: countyId }, last.meeting);
    }
  });
  gauge('sla_village_stations', 'Active village stations in the current month', ['county'], (g, s) => {
    for (const { countyId, m } of s) {
      const last = m.stationActivity.byMonth.at(-1);
      if (last) g.set({ county: countyId }, last.stations);
    }
  });
}
