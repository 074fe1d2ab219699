/**
 * The bureau's summary of a county day, as `npm start` prints it and `npm run demo:once` reports it: read from sla's
 * `GET /v1/metrics` and the alert lists (sla's `GET /sla/alerts`, coldchain's `GET /coldchain/alarms`) with an admin key.
 */
import { ok } from './http.js';

export interface ServiceUrls {
  intake: string;
  dispatch: string;
  coldchain: string;
  sla: string;
  /** The operator console (services/console), when it runs. */
  console?: string;
}

export interface DaySummary {
  day: string;
  parcels: { downstream: number; upstream: number; total: number };
  /** Per leg, the on-time rate in percent (null when no parcel finished the leg). */
  onTimePct: { center_to_town: number | null; town_to_village: number | null; center_to_village: number | null; village_to_center: number | null };
  coveragePct: { villages: number | null; towns: number | null; povertyRegisteredVillages: number | null };
  cost: {
    perParcelYuan: number | null;
    surveyedPerParcelYuan: number | null;
    counterfactualPerParcelYuan: number | null;
    reductionVsSurveyedPct: number | null;
    reductionVsCounterfactualPct: number | null;
  };
  coldChain: { records: number; compliancePct: number | null };
  alerts: { sla: number; coldchain: number; total: number };
}

const pct = (rate: number | null | undefined) => (rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10);

/** The day's figures (county day `day`, both ends included) from the bureau's endpoint and the alert lists. */
export async function readSummary(urls: ServiceUrls, adminKey: string, day: string, timeZoneOffset = '+08:00'): Promise<DaySummary> {
  const metrics = await ok(`${urls.sla}/v1/metrics?from=${day}&to=${day}`, adminKey);
  const leg = (key: string) => pct(metrics.totals.legs.find((l: { key: string }) => l.key === key)?.onTimeRate);
  const from = new Date(`${day}T00:00:00${timeZoneOffset}`);
  const to = new Date(from.getTime() + 2 * 86_400_000); // the day and the late uploads after it
  const slaAlerts = await slaAlertCount(urls, adminKey, from, to);
  let coldchainAlarms = 0;
  let cursor: string | undefined;
  do {
    const page = await ok<{ alarms: unknown[]; next: string | null }>(
      `${urls.coldchain}/coldchain/alarms?from=${from.toISOString()}&to=${to.toISOString()}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      adminKey,
    );
    coldchainAlarms += page.alarms.length;
    cursor = page.next ?? undefined;
  } while (cursor);
  const { downstream, upstream } = metrics.totals.volumes as { downstream: number; upstream: number };
  return {
    day,
    parcels: { downstream, upstream, total: downstream + upstream },
    onTimePct: { center_to_town: leg('center_to_town'), town_to_village: leg('town_to_village'), center_to_village: leg('center_to_village'), village_to_center: leg('village_to_center') },
    coveragePct: { villages: pct(metrics.coverage.villages.rate), towns: pct(metrics.coverage.towns.rate), povertyRegisteredVillages: pct(metrics.coverage.povertyRegisteredVillages.rate) },
    cost: {
      perParcelYuan: metrics.cost.costPerParcelYuan ?? null,
      surveyedPerParcelYuan: metrics.cost.surveyedCostPerParcelYuan ?? null,
      counterfactualPerParcelYuan: metrics.cost.counterfactualCostPerParcelYuan ?? null,
      reductionVsSurveyedPct: metrics.cost.reductionVsSurveyedPct ?? null,
      reductionVsCounterfactualPct: metrics.cost.reductionVsCounterfactualPct ?? null,
    },
    coldChain: { records: metrics.totals.coldChainCompliance.records, compliancePct: pct(metrics.totals.coldChainCompliance.rate) },
    alerts: { sla: slaAlerts, coldchain: coldchainAlarms, total: slaAlerts + coldchainAlarms },
  };
}

/**
 * sla's alerts raised in [from, to): its list answers up to 1,000, newest first, and has no cursor, so the pages go
 * back in time — each up to the oldest instant seen, that instant included again, alerts counted once by id.
 */
async function slaAlertCount(urls: ServiceUrls, adminKey: string, from: Date, to: Date): Promise<number> {
  const seen = new Set<string>();
  let before = to.getTime();
  for (;;) {
    const page = await ok<{ items: { alertId: string; raisedAt: string }[] }>(
      `${urls.sla}/sla/alerts?from=${from.toISOString()}&to=${new Date(before).toISOString()}&limit=1000`,
      adminKey,
    );
    const fresh = page.items.filter((a) => !seen.has(a.alertId));
    for (const a of page.items) seen.add(a.alertId);
    if (page.items.length < 1000 || fresh.length === 0) return seen.size;
    const oldest = Math.min(...page.items.map((a) => Date.parse(a.raisedAt)));
    if (oldest <= from.getTime()) return seen.size;
    before = oldest + 1;
  }
}

const show = (value: number | null, unit = '') => (value === null ? '—' : `${value}${unit}`);

/** The summary as the console shows it, then where to look next. */
export function formatSummary(s: DaySummary, urls: ServiceUrls): string {
  const lines = [
    `The county's day ${s.day}, as the commerce bureau sees it:`,
    `  parcels             ${s.parcels.total} (${s.parcels.downstream} to the villages, ${s.parcels.upstream} from them)`,
    `  on time             center→town ${show(s.onTimePct.center_to_town, ' %')}, town→village ${show(s.onTimePct.town_to_village, ' %')}, ` +
      `center→village ${show(s.onTimePct.center_to_village, ' %')}, village→center ${show(s.onTimePct.village_to_center, ' %')}`,
    `  coverage            villages ${show(s.coveragePct.villages, ' %')}, towns ${show(s.coveragePct.towns, ' %')}, formerly poverty-registered villages ${show(s.coveragePct.povertyRegisteredVillages, ' %')}`,
    `  cost per parcel     ${show(s.cost.perParcelYuan, ' yuan')} against ${show(s.cost.surveyedPerParcelYuan, ' yuan')} surveyed (${show(s.cost.reductionVsSurveyedPct, ' %')} less) ` +
      `and ${show(s.cost.counterfactualPerParcelYuan, ' yuan')} if each courier delivered alone (${show(s.cost.reductionVsCounterfactualPct, ' %')} less)`,
    `  cold chain          ${show(s.coldChain.compliancePct, ' %')} of ${s.coldChain.records} produce parcels within their profile`,
    `  alerts raised       ${s.alerts.total} (${s.alerts.sla} SLA, ${s.alerts.coldchain} cold-chain alarms)`,
    '',
    'Explore it:',
    ...(urls.console ? [`  the console           ${urls.console}   (sign in with the admin key; the bureau's dashboard at ${urls.console}/#/bureau)`] : []),
    `  the bureau's figures  ${urls.sla}/v1/metrics?from=${s.day}&to=${s.day}   (and /v1/reports/monthly?month=${s.day.slice(0, 7)})`,
    ...(['intake', 'dispatch', 'coldchain', 'sla'] as const).map((name) => `  ${`${name} API docs`.padEnd(21)} ${urls[name]}/docs`),
  ];
  return `${lines.join('\n')}\n`;
}

export interface BenchLine {
  bench: string;
  value: number;
  unit: string;
}

/** The summary as `{"bench": NAME, "value": N, "unit": U}` lines (a figure nobody measured is left out). */
export function benchLines(s: DaySummary, extra: { unaccountedParcels: number; seconds: number }): BenchLine[] {
  const lines: [string, number | null, string][] = [
    ['demo.parcels', s.parcels.total, 'parcels'],
    ['demo.unaccounted_parcels', extra.unaccountedParcels, 'parcels'],
    ['demo.ontime.center_to_town_pct', s.onTimePct.center_to_town, '%'],
    ['demo.ontime.town_to_village_pct', s.onTimePct.town_to_village, '%'],
    ['demo.ontime.center_to_village_pct', s.onTimePct.center_to_village, '%'],
    ['demo.coverage.villages_pct', s.coveragePct.villages, '%'],
    ['demo.coverage.towns_pct', s.coveragePct.towns, '%'],
    ['demo.cost_per_parcel_yuan', s.cost.perParcelYuan, 'yuan'],
    ['demo.cost_reduction_vs_surveyed_pct', s.cost.reductionVsSurveyedPct, '%'],
    ['demo.cost_reduction_vs_counterfactual_pct', s.cost.reductionVsCounterfactualPct, '%'],
    ['demo.coldchain.compliance_pct', s.coldChain.compliancePct, '%'],
    ['demo.alerts', s.alerts.total, 'alerts'],
    ['demo.seconds', Math.round(extra.seconds * 10) / 10, 's'],
  ];
  return lines.filter((l): l is [string, number, string] => l[1] !== null).map(([bench, value, unit]) => ({ bench, value, unit }));
}
