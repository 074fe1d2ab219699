/** The period's figures from `GET /v1/metrics` (services/sla/src/metrics/read-metrics.ts gives the shape). */
import { useMemo } from 'preact/hooks';
import { Card, Stat } from '../../components';
import { Chart, type ChartOption } from '../../chart';
import { defineMessages, formats, useLang, useT } from '../../i18n';
import { addDays, legKeys, term, terms } from '../parcels-terms';

interface Share {
  numerator: number;
  denominator: number;
  rate: number | null;
}
interface Leg {
  key: string;
  measured: number;
  onTime: number;
  onTimeRate: number | null;
  p50Minutes: number | null;
  p90Minutes: number | null;
  breaches: number;
}
interface Block {
  key?: string;
  volumes: { downstream: number; upstream: number };
  legs: Leg[];
  breaches: number;
  coldChainCompliance: Share & { records: number };
}
interface Trend {
  current: number | null;
  previous: number | null;
  change: number | null;
  direction: 'up' | 'down' | 'flat' | null;
}
export interface Metrics {
  from: string;
  to: string;
  asOf: string;
  totals: Block;
  groups: (Block & { key: string })[];
  coverage: Record<'villages' | 'towns' | 'povertyRegisteredVillages', Share & { target: number; met: boolean }>;
  cost: {
    waves: number;
    parcels: number;
    costPerParcelYuan: number | null;
    counterfactualCostPerParcelYuan: number | null;
    surveyedCostPerParcelYuan: number | null;
    reductionVsCounterfactualPct: number | null;
    reductionVsSurveyedPct: number | null;
    targetReductionPct: number;
    met: boolean | null;
  };
  stationActivity: {
    thresholds: { upstreamParcels: number; upstreamValueYuan: number; downstreamValueYuan: number };
    byMonth: { month: string; stations: number; meeting: number }[];
  };
  rollingWindows: { window: string; from: string; to: string; previousFrom: string; previousTo: string; downstream: Trend; upstream: Trend; onTimeRate: (Trend & { key: string })[] }[];
}

const m = defineMessages(
  {
    downstream: '下行包裹',
    upstream: '上行包裹',
    costPerParcel: '每件成本',
    reduction: '较调查基数降低',
    compliance: '冷链合规率',
    records: '{n} 条记录',
    target: '目标 {target}',
    met: '达标',
    notMet: '未达标',
    onTime: '各环节准时率',
    leg: '环节',
    measured: '已测量',
    rate: '准时率',
    breaches: '超时',
    trend7: '近 7 天',
    coverage: '覆盖率',
    coverageRule: '按要求频次送达才计入：服务站在本期内每个应送日期都有线路交接（每日或隔日）。本期包含尚无配送数据的日期时，覆盖率会偏低。',
    villages: '行政村覆盖率',
    towns: '乡镇覆盖率',
    poverty: '建档立卡贫困村覆盖率',
    cost: '成本对比',
    ours: '共同配送',
    surveyed: '项目实施前基数',
    counterfactual: '各快递自行配送',
    vsSurveyed: '较基数降低 {pct}（目标 ≥ {target}）',
    vsCounterfactual: '较各自配送降低 {pct}',
    waves: '{waves} 个波次 · {parcels} 件',
    stations: '村级服务站活跃度',
    meeting: '{meeting} / {stations} 个服务站达到标准',
    thresholds: '标准：每月上行 ≥ {up} 件、上行货值 ≥ {upValue}、下行货值 ≥ {downValue}',
    trends: '滚动趋势',
    window: '窗口',
    vsPrevious: '与前一窗口相比',
    byDay: '按日',
    onTimeAll: '准时率（全部环节）',
    asOf: '数据截至 {at}',
    minutes: '{n} 分',
  },
  {
    downstream: 'Downstream parcels',
    upstream: 'Upstream parcels',
    costPerParcel: 'Cost per parcel',
    reduction: 'Reduction vs surveyed',
    compliance: 'Cold-chain compliance',
    records: '{n} records',
    target: 'target {target}',
    met: 'met',
    notMet: 'not met',
    onTime: 'On-time rate by leg',
    leg: 'Leg',
    measured: 'Measured',
    rate: 'On time',
    breaches: 'Late',
    trend7: 'Last 7 days',
    coverage: 'Coverage',
    coverageRule: 'A station counts when a route handed over there on every date of the period it is due (daily or every second day); a period that includes days with no deliveries recorded yet shows low coverage.',
    villages: 'Villages covered',
    towns: 'Towns covered',
    poverty: 'Formerly poverty-registered villages covered',
    cost: 'Cost against the baselines',
    ours: 'Co-distribution',
    surveyed: 'Pre-project baseline',
    counterfactual: 'Each courier alone',
    vsSurveyed: '{pct} under the baseline (target ≥ {target})',
    vsCounterfactual: '{pct} under each courier alone',
    waves: '{waves} waves · {parcels} parcels',
    stations: 'Village station activity',
    meeting: '{meeting} of {stations} stations meet the thresholds',
    thresholds: 'Thresholds a month: ≥ {up} upstream parcels, ≥ {upValue} upstream value, ≥ {downValue} downstream value',
    trends: 'Rolling trends',
    window: 'Window',
    vsPrevious: 'against the window before',
    byDay: 'By day',
    onTimeAll: 'On time (all legs)',
    asOf: 'Figures as of {at}',
    minutes: '{n} min',
  },
);

function Arrow({ trend, pct }: { trend: Trend | undefined; pct?: boolean }) {
  const { lang } = useLang();
  const f = formats(lang);
  if (!trend || trend.direction === null || trend.change === null) return <span class="muted">—</span>;
  const sign = trend.direction === 'up' ? '↑' : trend.direction === 'down' ? '↓' : '→';
  const cls = trend.direction === 'up' ? 'trend-up' : trend.direction === 'down' ? 'trend-down' : 'muted';
  const change = pct ? f.pct(trend.change * 100) : f.number(trend.change);
  return <span class={cls} title={`${trend.previous ?? '—'} → ${trend.current ?? '—'}`}>{`${sign} ${change.replace(/^-/, '')}`}</span>;
}

export function Figures({ metrics }: { metrics: Metrics }) {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const pct = (rate: number | null | undefined, digits = 1) => (rate === null || rate === undefined ? '—' : f.pct(rate * 100, digits));
  const { totals, coverage, cost, stationActivity } = metrics;
  const week = metrics.rollingWindows.find((w) => w.window === '7d');
  const activity = stationActivity.byMonth.reduce((a, x) => ({ stations: a.stations + x.stations, meeting: a.meeting + x.meeting }), { stations: 0, meeting: 0 });

  const dayChart = useMemo<ChartOption>(() => {
    const days: string[] = [];
    for (let d = metrics.from; d <= metrics.to && days.length < 400; d = addDays(d, 1)) days.push(d);
    const of = new Map(metrics.groups.map((g) => [g.key, g]));
    const rate = (g: Block | undefined) => {
      if (!g) return null;
      const measured = g.legs.reduce((n, l) => n + l.measured, 0);
      return measured ? Math.round((g.legs.reduce((n, l) => n + l.onTime, 0) / measured) * 1000) / 10 : null;
    };
    return {
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: [{ type: 'value' }, { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' }, splitLine: { show: false } }],
      series: [
        { type: 'bar', stack: 'v', name: t('downstream'), data: days.map((d) => of.get(d)?.volumes.downstream ?? 0), itemStyle: { color: '#1664ff' } },
        { type: 'bar', stack: 'v', name: t('upstream'), data: days.map((d) => of.get(d)?.volumes.upstream ?? 0), itemStyle: { color: '#1a7f37' } },
        { type: 'line', yAxisIndex: 1, name: t('onTimeAll'), data: days.map((d) => rate(of.get(d))), connectNulls: true, itemStyle: { color: '#b45309' } },
      ],
    };
  }, [metrics, lang]);

  const costChart = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `¥${v.toFixed(2)}` },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: [t('counterfactual'), t('surveyed'), t('ours')], axisLabel: { width: 120, overflow: 'break' } },
      series: [
        {
          type: 'bar',
          data: [
            { value: cost.counterfactualCostPerParcelYuan ?? 0, itemStyle: { color: '#9aa1ab' } },
            { value: cost.surveyedCostPerParcelYuan ?? 0, itemStyle: { color: '#b45309' } },
            { value: cost.costPerParcelYuan ?? 0, itemStyle: { color: '#1a7f37' } },
          ],
          label: { show: true, position: 'right', formatter: (p: { value: number }) => `¥${p.value.toFixed(2)}` },
        },
      ],
    }),
    [metrics, lang],
  );

  return (
    <>
      <p class="muted small">{t('asOf', { at: f.dateTime(metrics.asOf) })}</p>
      <div class="stats" data-testid="bureau-figures" style={{ marginBottom: '1rem' }}>
        <Stat label={t('downstream')} value={f.number(totals.volumes.downstream)} />
        <Stat label={t('upstream')} value={f.number(totals.volumes.upstream)} />
        <Stat label={t('costPerParcel')} value={f.yuan(cost.costPerParcelYuan)} />
        <Stat
          label={t('reduction')}
          value={cost.reductionVsSurveyedPct === null ? '—' : f.pct(cost.reductionVsSurveyedPct)}
          hint={cost.met === null ? undefined : `${t('target', { target: f.pct(cost.targetReductionPct, 0) })} · ${cost.met ? t('met') : t('notMet')}`}
        />
        <Stat label={t('compliance')} value={pct(totals.coldChainCompliance.rate)} hint={t('records', { n: f.number(totals.coldChainCompliance.records) })} />
      </div>
      <Card title={t('onTime')}>
          <div class="table-wrap">
            <table data-testid="legs">
              <thead>
                <tr>
                  <th>{t('leg')}</th>
                  <th class="num">{t('measured')}</th>
                  <th class="num">{t('rate')}</th>
                  <th class="num">p50</th>
                  <th class="num">p90</th>
                  <th class="num">{t('trend7')}</th>
                </tr>
              </thead>
              <tbody>
                {legKeys.map((key) => {
                  const l = totals.legs.find((x) => x.key === key);
                  return (
                    <tr key={key}>
                      <td>{term(tt, key)}</td>
                      <td class="num">{f.number(l?.measured ?? 0)}</td>
                      <td class="num">{pct(l?.onTimeRate)}</td>
                      <td class="num">{l?.p50Minutes == null ? '—' : t('minutes', { n: f.number(l.p50Minutes) })}</td>
                      <td class="num">{l?.p90Minutes == null ? '—' : t('minutes', { n: f.number(l.p90Minutes) })}</td>
                      <td class="num">
                        <Arrow trend={week?.onTimeRate.find((x) => x.key === key)} pct />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Card>
      <div class="grid">
        <Card title={t('coverage')}>
          <div data-testid="coverage">
            {(['villages', 'towns', 'povertyRegisteredVillages'] as const).map((k) => {
              const c = coverage[k];
              return (
                <div class="coverage-row" key={k}>
                  <div class="line">
                    <span>{t(k === 'povertyRegisteredVillages' ? 'poverty' : k)}</span>
                    <span>
                      <strong>{pct(c.rate)}</strong> <span class="muted small">({c.numerator}/{c.denominator})</span>{' '}
                      <span class={`badge ${c.met ? 'ok' : 'bad'}`}>{c.met ? t('met') : t('notMet')}</span>
                    </span>
                  </div>
                  <div class="meter" aria-hidden="true">
                    <span style={{ width: `${Math.min(100, (c.rate ?? 0) * 100)}%`, background: c.met ? 'var(--ok)' : 'var(--warn)' }} />
                    <i style={{ left: `${c.target * 100}%` }} />
                  </div>
                  <div class="muted small">{t('target', { target: pct(c.target, 0) })}</div>
                </div>
              );
            })}
            <p class="muted small">{t('coverageRule')}</p>
          </div>
        </Card>
        <Card title={t('cost')}>
          <div data-testid="cost">
            <Chart option={costChart} height={150} />
            <p class={cost.met ? 'ok' : cost.met === false ? 'bad' : ''}>
              {t('vsSurveyed', { pct: cost.reductionVsSurveyedPct === null ? '—' : f.pct(cost.reductionVsSurveyedPct), target: f.pct(cost.targetReductionPct, 0) })}
            </p>
            <p class="muted small">
              {t('vsCounterfactual', { pct: cost.reductionVsCounterfactualPct === null ? '—' : f.pct(cost.reductionVsCounterfactualPct) })} ·{' '}
              {t('waves', { waves: cost.waves, parcels: f.number(cost.parcels) })}
            </p>
          </div>
        </Card>
        <Card title={t('stations')}>
          <div data-testid="stations">
            <p class="stat-value">{t('meeting', { meeting: activity.meeting, stations: activity.stations })}</p>
            {stationActivity.byMonth.length > 1 ? (
              <ul class="list-compact small">
                {stationActivity.byMonth.map((x) => (
                  <li key={x.month}>
                    <span class="grow">{x.month}</span>
                    <span>
                      {x.meeting}/{x.stations}
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
            <p class="muted small">
              {t('thresholds', {
                up: stationActivity.thresholds.upstreamParcels,
                upValue: f.yuan(stationActivity.thresholds.upstreamValueYuan),
                downValue: f.yuan(stationActivity.thresholds.downstreamValueYuan),
              })}
            </p>
          </div>
        </Card>
      </div>
      <Card title={t('trends')}>
        <p class="muted small">{t('vsPrevious')}</p>
        <div class="table-wrap">
          <table data-testid="trends">
            <thead>
              <tr>
                <th>{t('window')}</th>
                <th class="num">{t('downstream')}</th>
                <th class="num">{t('upstream')}</th>
                {legKeys.map((k) => (
                  <th class="num" key={k}>
                    {term(tt, k)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {metrics.rollingWindows.map((w) => (
                <tr key={w.window}>
                  <td>
                    {w.window}
                    <div class="muted small">
                      {w.from.slice(5)} – {w.to.slice(5)}
                    </div>
                  </td>
                  <td class="num">
                    {f.number(w.downstream.current)} <Arrow trend={w.downstream} />
                  </td>
                  <td class="num">
                    {f.number(w.upstream.current)} <Arrow trend={w.upstream} />
                  </td>
                  {legKeys.map((k) => {
                    const r = w.onTimeRate.find((x) => x.key === k);
                    return (
                      <td class="num" key={k}>
                        {pct(r?.current)} <Arrow trend={r} pct />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card title={t('byDay')}>
        <Chart option={dayChart} height={280} testId="chart-days" />
      </Card>
    </>
  );
}
