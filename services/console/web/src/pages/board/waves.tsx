/**
 * The day's waves (the county's wave times, intake `GET /counties/:id`), each with its latest plan (dispatch
 * `GET /dispatch/waves/:date/:waveId/plans`) and the routes of the day (`GET /dispatch/routes?date=`), with the
 * routes of other days still on the road (`GET /dispatch/routes`).
 */
import { Card, ErrorNote, Loading, useAsync } from '../../components';
import { defineMessages, formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { REFRESH_MS } from '../parcels-terms';

const m = defineMessages(
  {
    title: '当日波次与线路',
    wave: '波次 {id}',
    departure: '发车 {time}，截单 {cutoff}',
    noPlan: '尚未编排',
    planLine: '{routes} 条线路 · {parcels} 件 · 未排入 {unplanned} 件 · 每件 {cost}',
    status_draft: '草稿',
    status_confirmed: '已确认',
    status_cancelled: '已取消',
    status_superseded: '已被取代',
    routes: '线路',
    vehicle: '车辆',
    status: '状态',
    stops: '停靠点',
    deliveries: '派送',
    pickups: '揽收',
    plannedReturn: '计划返回',
    noRoutes: '这一天没有线路。',
    otherDay: '（{date}）',
    route_confirmed: '已确认',
    route_departed: '在途',
    route_returned: '已返回',
    route_cancelled: '已取消',
    route_planned: '已计划',
    openWave: '打开波次页',
  },
  {
    title: 'Waves and routes of the day',
    wave: 'Wave {id}',
    departure: 'departs {time}, cut-off {cutoff}',
    noPlan: 'Not planned yet',
    planLine: '{routes} routes · {parcels} parcels · {unplanned} unplanned · {cost} a parcel',
    status_draft: 'draft',
    status_confirmed: 'confirmed',
    status_cancelled: 'cancelled',
    status_superseded: 'superseded',
    routes: 'Routes',
    vehicle: 'Vehicle',
    status: 'Status',
    stops: 'Stops',
    deliveries: 'Deliveries',
    pickups: 'Pickups',
    plannedReturn: 'Planned return',
    noRoutes: 'No routes on this day.',
    otherDay: '({date})',
    route_confirmed: 'confirmed',
    route_departed: 'on the road',
    route_returned: 'returned',
    route_cancelled: 'cancelled',
    route_planned: 'planned',
    openWave: 'Open the waves page',
  },
);

interface County {
  waves: { id: string; departure: string; cutoff: string }[];
}
interface PlanSummary {
  planId: string;
  status: string;
  routes: number;
  parcels: number;
  unplanned: number;
  costPerParcel: number | null;
  updatedAt: string;
}
interface FieldRoute {
  routeId: string;
  date: string;
  waveId: string;
  vehicleId: string;
  status: string;
  plannedReturn: string | null;
  stops: number;
  deliveries: number;
  pickups: number;
}

const badgeOf = (status: string) => (status === 'returned' || status === 'confirmed' ? 'ok' : status === 'cancelled' ? 'bad' : status === 'departed' || status === 'draft' ? 'warn' : '');

export function Waves({ date }: { date: string }) {
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const { api, principal } = useSession();
  const waves = useAsync(
    async (signal) => {
      const county = await api.get<County>('intake', `/counties/${principal.countyId}`, { signal });
      return Promise.all(
        county.waves.map(async (w) => {
          const { plans } = await api.get<{ plans: PlanSummary[] }>('dispatch', `/dispatch/waves/${date}/${w.id}/plans`, { signal });
          const latest = plans.find((p) => p.status === 'confirmed') ?? plans.at(-1) ?? null;
          return { ...w, plan: latest };
        }),
      );
    },
    [date],
    REFRESH_MS,
  );
  const routes = useAsync(
    async (signal) => {
      const [ofDay, live] = await Promise.all([
        api.get<{ routes: FieldRoute[] }>('dispatch', '/dispatch/routes', { query: { date }, signal }),
        api.get<{ routes: FieldRoute[] }>('dispatch', '/dispatch/routes', { signal }),
      ]);
      const seen = new Set(ofDay.routes.map((r) => r.routeId));
      const all = [...ofDay.routes, ...live.routes.filter((r) => !seen.has(r.routeId))];
      return all.sort((a, b) => a.date.localeCompare(b.date) || a.waveId.localeCompare(b.waveId) || a.routeId.localeCompare(b.routeId, undefined, { numeric: true }));
    },
    [date],
    REFRESH_MS,
  );
  const statusText = (s: string) => (['confirmed', 'departed', 'returned', 'cancelled', 'planned'].includes(s) ? t(`route_${s}` as 'route_confirmed') : s);
  return (
    <Card
      title={t('title')}
      actions={
        <a href="#/waves" class="small">
          {t('openWave')}
        </a>
      }
    >
      <ErrorNote error={waves.error ?? routes.error} onRetry={() => (waves.reload(), routes.reload())} />
      {waves.data ? (
        <div class="wave-cards" data-testid="waves">
          {waves.data.map((w) => (
            <div class="wave-card" key={w.id}>
              <h3>
                <span>{t('wave', { id: w.id })}</span>
                {w.plan ? <span class={`badge ${badgeOf(w.plan.status)}`}>{t(`status_${w.plan.status}` as 'status_draft') ?? w.plan.status}</span> : null}
              </h3>
              <p class="muted">{t('departure', { time: w.departure, cutoff: w.cutoff })}</p>
              <p>
                {w.plan
                  ? t('planLine', { routes: w.plan.routes, parcels: f.number(w.plan.parcels), unplanned: f.number(w.plan.unplanned), cost: f.yuan(w.plan.costPerParcel) })
                  : t('noPlan')}
              </p>
            </div>
          ))}
        </div>
      ) : waves.error ? null : (
        <Loading />
      )}
      {routes.data ? (
        routes.data.length === 0 ? (
          <p class="muted">{t('noRoutes')}</p>
        ) : (
          <div class="table-wrap">
            <table data-testid="routes">
              <thead>
                <tr>
                  <th>{t('routes')}</th>
                  <th>{t('vehicle')}</th>
                  <th>{t('status')}</th>
                  <th class="num">{t('stops')}</th>
                  <th class="num">{t('deliveries')}</th>
                  <th class="num">{t('pickups')}</th>
                  <th>{t('plannedReturn')}</th>
                </tr>
              </thead>
              <tbody>
                {routes.data.map((r) => (
                  <tr key={r.routeId}>
                    <td>
                      {r.routeId.replace(/^rt-\d{4}-\d{2}-\d{2}-/, '')}
                      {r.date !== date ? <span class="muted small"> {t('otherDay', { date: r.date })}</span> : null}
                    </td>
                    <td>{r.vehicleId}</td>
                    <td>
                      <span class={`badge ${badgeOf(r.status)}`}>{statusText(r.status)}</span>
                    </td>
                    <td class="num">{r.stops}</td>
                    <td class="num">{r.deliveries}</td>
                    <td class="num">{r.pickups}</td>
                    <td>{f.time(r.plannedReturn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </Card>
  );
}
