/**
 * The day's parcels by state and by courier. intake has no count route: its `GET /parcels` lists parcels
 * registered in a period, 500 a page, so the board reads at most MAX_PAGES pages (15,000 parcels, more than the
 * demo county's 8,000 a day) and says so when the day holds more than it counted.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Card, ErrorNote, Loading, Stat, useAsync } from '../../components';
import { Chart, type ChartOption } from '../../chart';
import { defineMessages, formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { addDays, allStates, dayStart, REFRESH_MS, term, terms, type ParcelPage } from '../parcels-terms';

const PAGE = 500;
const MAX_PAGES = 30;

const m = defineMessages(
  {
    title: '当日包裹',
    total: '登记包裹',
    downstream: '下行',
    upstream: '上行',
    exceptions: '异常',
    byState: '按状态',
    byCourier: '按快递公司',
    partial: '只统计了当日最先登记的 {n} 件（intake 没有汇总接口，看板逐页读取，最多 {n} 件）。',
    none: '这一天没有登记的包裹。',
    courier: '快递公司',
    count: '件数',
    counting: '正在统计… 已读 {n} 件',
  },
  {
    title: 'Parcels of the day',
    total: 'Registered',
    downstream: 'Downstream',
    upstream: 'Upstream',
    exceptions: 'Exceptions',
    byState: 'By state',
    byCourier: 'By courier',
    partial: 'Only the first {n} parcels of the day are counted (intake has no count route; the board reads its pages, {n} at most).',
    none: 'No parcel was registered on this day.',
    courier: 'Courier',
    count: 'Parcels',
    counting: 'Counting… {n} read so far',
  },
);

interface Counts {
  date?: string;
  total: number;
  /** pages read so far */
  pages: number;
  complete: boolean;
  downstream: number;
  upstream: number;
  exceptions: number;
  byState: Record<string, number>;
  byCourier: Record<string, { downstream: number; upstream: number }>;
}

export function ParcelCounts({ date }: { date: string }) {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const { api } = useSession();
  // The first count shows as its pages come in; a refresh replaces the figures once it has counted them all.
  const [progress, setProgress] = useState<Counts | undefined>(undefined);
  const counts = useAsync(
    async (signal) => {
      const c: Counts = { date, total: 0, complete: false, pages: 0, downstream: 0, upstream: 0, exceptions: 0, byState: {}, byCourier: {} };
      let cursor: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        const page = await api.get<ParcelPage>('intake', '/parcels', { query: { from: dayStart(date), to: dayStart(addDays(date, 1)), limit: PAGE, cursor }, signal });
        for (const p of page.items) {
          c.total++;
          c[p.direction]++;
          if (p.exception) c.exceptions++;
          c.byState[p.state] = (c.byState[p.state] ?? 0) + 1;
          const byCourier = (c.byCourier[p.courierId] ??= { downstream: 0, upstream: 0 });
          byCourier[p.direction]++;
        }
        c.pages++;
        if (!page.nextCursor) {
          c.complete = true;
          break;
        }
        cursor = page.nextCursor;
        if (!signal.aborted) setProgress(structuredClone(c));
      }
      return c;
    },
    [date],
    REFRESH_MS,
  );
  useEffect(() => setProgress(undefined), [date]);
  const counting = !counts.data || counts.data.date !== date;
  const data = counting ? progress : counts.data;
  const stateChart = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    const states = allStates.filter((s) => data.byState[s]);
    return {
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: states.map((s) => term(tt, s)), axisLabel: { interval: 0, rotate: states.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', name: t('count'), data: states.map((s) => data.byState[s]), itemStyle: { color: '#1664ff' }, label: { show: true, position: 'top' } }],
    };
  }, [data, lang]);
  const courierChart = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    const couriers = Object.keys(data.byCourier).sort();
    return {
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: couriers },
      yAxis: { type: 'value' },
      series: (['downstream', 'upstream'] as const).map((d, i) => ({
        type: 'bar',
        stack: 'all',
        name: tt(d),
        data: couriers.map((c) => data.byCourier[c]![d]),
        itemStyle: { color: i === 0 ? '#1664ff' : '#1a7f37' },
      })),
    };
  }, [data, lang]);
  return (
    <Card title={`${t('title')} · ${date}`}>
      <ErrorNote error={counts.error} onRetry={counts.reload} />
      {!data ? (
        counts.error && !progress ? null : <Loading />
      ) : (
        <>
          <div class="stats" data-testid="parcel-counts">
            <Stat label={t('total')} value={f.number(data.total)} />
            <Stat label={t('downstream')} value={f.number(data.downstream)} />
            <Stat label={t('upstream')} value={f.number(data.upstream)} />
            <Stat label={t('exceptions')} value={f.number(data.exceptions)} />
          </div>
          {counting ? (
            <p class="muted small" role="status" data-testid="counting">
              {t('counting', { n: f.number(data.total) })}
            </p>
          ) : !data.complete ? (
            <p class="note note-unavailable small">{t('partial', { n: f.number(PAGE * MAX_PAGES) })}</p>
          ) : null}
          {data.total === 0 ? (
            <p class="muted">{t('none')}</p>
          ) : (
            <div class="grid">
              <div>
                <h3 class="small muted">{t('byState')}</h3>
                {stateChart ? <Chart option={stateChart} height={240} testId="chart-states" /> : null}
              </div>
              <div>
                <h3 class="small muted">{t('byCourier')}</h3>
                {courierChart ? <Chart option={courierChart} height={240} testId="chart-couriers" /> : null}
              </div>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
