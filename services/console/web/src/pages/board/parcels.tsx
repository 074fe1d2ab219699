/** The day's parcels by state and by courier, counted by intake (`GET /parcels/counts` over the county's day). */
import { useMemo } from 'preact/hooks';
import { Card, ErrorNote, Loading, Stat, useAsync } from '../../components';
import { Chart, type ChartOption } from '../../chart';
import { defineMessages, formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { addDays, allStates, dayStart, REFRESH_MS, term, terms } from '../parcels-terms';

const m = defineMessages(
  {
    title: '当日包裹',
    total: '登记包裹',
    downstream: '下行',
    upstream: '上行',
    exceptions: '异常',
    byState: '按状态',
    byCourier: '按快递公司',
    none: '这一天没有登记的包裹。',
    courier: '快递公司',
    count: '件数',
  },
  {
    title: 'Parcels of the day',
    total: 'Registered',
    downstream: 'Downstream',
    upstream: 'Upstream',
    exceptions: 'Exceptions',
    byState: 'By state',
    byCourier: 'By courier',
    none: 'No parcel was registered on this day.',
    courier: 'Courier',
    count: 'Parcels',
  },
);

/** intake's `GET /parcels/counts`: the parcels registered in the day, by state, direction and courier. */
interface Counts {
  total: number;
  exceptions: number;
  byState: Record<string, number>;
  byDirection: Record<string, number>;
  byCourier: { courierId: string; total: number; byState: Record<string, number>; byDirection: Record<string, number> }[];
}

export function ParcelCounts({ date }: { date: string }) {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const { api } = useSession();
  const counts = useAsync((signal) => api.get<Counts>('intake', '/parcels/counts', { query: { from: dayStart(date), to: dayStart(addDays(date, 1)) }, signal }), [date], REFRESH_MS);
  const data = counts.data;
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
    const couriers = data.byCourier.map((c) => c.courierId).sort();
    const byCourier = new Map(data.byCourier.map((c) => [c.courierId, c]));
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
        data: couriers.map((c) => byCourier.get(c)?.byDirection[d] ?? 0),
        itemStyle: { color: i === 0 ? '#1664ff' : '#1a7f37' },
      })),
    };
  }, [data, lang]);
  return (
    <Card title={`${t('title')} · ${date}`}>
      <ErrorNote error={counts.error} onRetry={counts.reload} />
      {!data ? (
        counts.error ? null : <Loading />
      ) : (
        <>
          <div class="stats" data-testid="parcel-counts">
            <Stat label={t('total')} value={f.number(data.total)} />
            <Stat label={t('downstream')} value={f.number(data.byDirection.downstream ?? 0)} />
            <Stat label={t('upstream')} value={f.number(data.byDirection.upstream ?? 0)} />
            <Stat label={t('exceptions')} value={f.number(data.exceptions)} />
          </div>
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
