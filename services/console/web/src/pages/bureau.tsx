/**
 * The bureau dashboard (`#/bureau`, bureau and admin keys): sla's `GET /v1/metrics?from&to&groupBy=day` over a
 * chosen period — on-time rate per leg with p50/p90, coverage against the plan's targets, cost per parcel against
 * both baselines, station activity, cold-chain compliance, the rolling windows' trends, a chart by day and a breakdown
 * by courier, town or direction — and the monthly report (`GET /v1/reports/monthly`) as a JSON or CSV download.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Card, ErrorNote, Field, Loading, useAsync } from '../components';
import { defineMessages, formats, useLang, useT } from '../i18n';
import { useSession } from '../session';
import { Breakdown } from './bureau/breakdown';
import { Figures, type Metrics } from './bureau/figures';
import { MonthlyReport } from './bureau/report';
import { addDays, hashQuery, setHashQuery } from './parcels-terms';
import './board/board.css';
import './bureau/bureau.css';

const m = defineMessages(
  {
    title: '商务局看板',
    period: '统计期间',
    thisMonth: '本月',
    last7: '最近 7 天',
    last30: '最近 30 天',
    last90: '最近 90 天',
    custom: '自定义',
    from: '开始日期',
    to: '结束日期',
    apply: '查询',
  },
  {
    title: 'Bureau dashboard',
    period: 'Period',
    thisMonth: 'This month',
    last7: 'Last 7 days',
    last30: 'Last 30 days',
    last90: 'Last 90 days',
    custom: 'Custom',
    from: 'From',
    to: 'To',
    apply: 'Show',
  },
);

type Preset = 'thisMonth' | 'last7' | 'last30' | 'last90' | 'custom';

function rangeOf(preset: Preset, today: string): { from: string; to: string } {
  switch (preset) {
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'last90':
      return { from: addDays(today, -89), to: today };
    default:
      return { from: `${today.slice(0, 7)}-01`, to: today };
  }
}

export default function Bureau() {
  const t = useT(m);
  const { lang } = useLang();
  const today = formats(lang).localDate();
  const { api } = useSession();
  const [initial] = useState(() => {
    const q = hashQuery();
    const from = q.get('from');
    const to = q.get('to');
    return from && to ? { preset: 'custom' as Preset, from, to } : { preset: 'thisMonth' as Preset, ...rangeOf('thisMonth', today) };
  });
  const [preset, setPreset] = useState<Preset>(initial.preset);
  const [form, setForm] = useState({ from: initial.from, to: initial.to });
  const [period, setPeriod] = useState({ from: initial.from, to: initial.to });
  const metrics = useAsync((signal) => api.get<Metrics>('sla', '/v1/metrics', { query: { from: period.from, to: period.to, groupBy: 'day' }, signal }), [period.from, period.to]);

  const show = (next: { from: string; to: string }, p: Preset) => {
    setForm(next);
    setPeriod(next);
    setHashQuery('bureau', p === 'custom' ? next : {});
  };
  const choose = (p: Preset) => {
    setPreset(p);
    if (p !== 'custom') show(rangeOf(p, today), p);
  };
  const fieldError = metrics.error instanceof ApiError && metrics.error.details.some((d) => d.path.startsWith('querystring.')) ? metrics.error : undefined;

  return (
    <div class="bureau">
      <h1>{t('title')}</h1>
      <form
        class="card period"
        noValidate
        data-testid="period"
        onSubmit={(e) => {
          e.preventDefault();
          setPreset('custom');
          show(form, 'custom');
        }}
      >
        <Field label={t('period')} name="preset">
          <select name="preset" value={preset} onChange={(e) => choose((e.target as HTMLSelectElement).value as Preset)}>
            {(['thisMonth', 'last7', 'last30', 'last90', 'custom'] as const).map((p) => (
              <option key={p} value={p}>
                {t(p)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('from')} name="from" error={fieldError}>
          <input type="date" name="from" value={form.from} onInput={(e) => (setPreset('custom'), setForm({ ...form, from: (e.target as HTMLInputElement).value }))} />
        </Field>
        <Field label={t('to')} name="to" error={fieldError}>
          <input type="date" name="to" value={form.to} onInput={(e) => (setPreset('custom'), setForm({ ...form, to: (e.target as HTMLInputElement).value }))} />
        </Field>
        <button type="submit">{t('apply')}</button>
      </form>
      {fieldError ? null : <ErrorNote error={metrics.error} onRetry={metrics.reload} />}
      {metrics.data && !metrics.error ? <Figures metrics={metrics.data} /> : metrics.loading ? <Loading /> : null}
      {metrics.data && !metrics.error ? <Breakdown from={period.from} to={period.to} /> : null}
      <Card>
        <MonthlyReport defaultMonth={today.slice(0, 7)} />
      </Card>
    </div>
  );
}
