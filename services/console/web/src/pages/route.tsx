/**
 * My route (drivers first; the center's admin and operator keys see every route of the county): what the driver's
 * handheld does (services/dispatch README, "Field — the driver's handheld on the road"). The key's routes of a date
 * — today in the county by default, with any route still to drive or on the road of another day — from
 * `GET /dispatch/routes` (a driver's key sees its vehicles' only), one picked, and its sheet with the departure,
 * arrivals, hand-overs, pickups and return (route/sheet.tsx). Phone first: one column at 390 px, the list beside
 * the sheet on a desk's screen. The address keeps the date and route (`#/route?date=2026-11-29&route=rt-…`).
 */
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, Field, Loading, useAsync } from '../components';
import { formats, useLang, useT } from '../i18n';
import { useSession } from '../session';
import { hashQuery, setHashQuery } from './parcels-terms';
import { m } from './route/messages';
import { SheetView } from './route/sheet';
import type { RouteSummary, Station } from './route/types';
import './route/route.css';

const isDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);
/** Above this many routes (a desk's county), a select instead of one big button each. */
const BUTTONS_UP_TO = 4;

/** The sticky current stop sits under the shell's sticky top bar, whose height changes with the width. */
function useTopbarHeight(): void {
  useEffect(() => {
    const bar = document.querySelector<HTMLElement>('.topbar');
    if (!bar || typeof ResizeObserver === 'undefined') return;
    const set = () => document.documentElement.style.setProperty('--topbar-h', `${bar.offsetHeight}px`);
    const observer = new ResizeObserver(set);
    observer.observe(bar);
    set();
    return () => observer.disconnect();
  }, []);
}

export default function RoutePage() {
  const { api, principal } = useSession();
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const today = f.localDate();
  const linked = hashQuery();
  const [date, setDate] = useState(() => linked.get('date') ?? today);
  const [picked, setPicked] = useState<string | null>(() => linked.get('route'));
  useTopbarHeight();
  useEffect(() => setHashQuery('route', { date: date === today ? undefined : date, route: picked ?? undefined }), [date, picked]);

  const routes = useAsync(
    async (signal) => {
      if (!isDate(date)) return [];
      const [ofDay, live] = await Promise.all([
        api.get<{ routes: RouteSummary[] }>('dispatch', '/dispatch/routes', { query: { date }, signal }),
        // Today, also what is still to drive or on the road from another day (a night's departure, tomorrow's early wave).
        date === today ? api.get<{ routes: RouteSummary[] }>('dispatch', '/dispatch/routes', { signal }) : Promise.resolve({ routes: [] }),
      ]);
      const seen = new Set(ofDay.routes.map((r) => r.routeId));
      return [...ofDay.routes, ...live.routes.filter((r) => !seen.has(r.routeId))].sort((a, b) => a.plannedDeparture.localeCompare(b.plannedDeparture) || a.routeId.localeCompare(b.routeId));
    },
    [date],
    60_000,
  );
  const stations = useAsync(async (signal) => new Map((await api.get<{ items: Station[] }>('intake', '/stations', { signal })).items.map((s) => [s.id, s])), [principal.countyId]);

  const list = routes.data ?? [];
  const auto = list.find((r) => r.status === 'departed') ?? list.find((r) => r.status === 'confirmed') ?? (list.length === 1 ? list[0] : undefined);
  const routeId = picked ?? auto?.routeId ?? null;
  const desk = principal.role !== 'driver';

  return (
    <div class="route-page">
      <h1>{t('title')}</h1>
      <div class="route-layout">
        <aside class="route-side">
          <Field label={t('date')} name="date">
            <input
              type="date"
              name="date"
              value={date}
              onInput={(e) => {
                const value = (e.target as HTMLInputElement).value;
                setDate(value || today);
                setPicked(null);
              }}
            />
          </Field>
          <ErrorNote error={routes.error} onRetry={routes.reload} />
          {routes.loading && !routes.data ? (
            <Loading />
          ) : list.length === 0 ? (
            <p class="muted" data-testid="no-routes">
              {desk ? t('noRoutesDesk') : t('noRoutes')}
            </p>
          ) : list.length > BUTTONS_UP_TO ? (
            <Field label={t('routes')} name="route">
              <select name="route" value={routeId ?? ''} onChange={(e) => setPicked((e.target as HTMLSelectElement).value || null)}>
                {routeId ? null : <option value="">{t('pick')}</option>}
                {list.map((r) => (
                  <option key={r.routeId} value={r.routeId}>
                    {`${r.vehicleId} · ${r.waveId} · ${f.time(r.plannedDeparture)} · ${t(`status_${r.status}`)}${r.date !== date ? ` · ${r.date}` : ''}`}
                  </option>
                ))}
              </select>
            </Field>
          ) : (
            <ul class="route-list" aria-label={t('routes')}>
              {list.map((r) => (
                <li key={r.routeId}>
                  <button type="button" class="route-item" aria-pressed={r.routeId === routeId} data-testid="route-item" data-route-id={r.routeId} data-status={r.status} onClick={() => setPicked(r.routeId)}>
                    <span class="route-item-head">
                      <strong>
                        {r.vehicleId} · {r.waveId}
                      </strong>
                      <span class={`badge ${r.status === 'departed' ? 'warn' : r.status === 'returned' ? 'ok' : r.status === 'cancelled' ? 'bad' : ''}`}>{t(`status_${r.status}`)}</span>
                    </span>
                    <span class="small">
                      {r.date !== date ? `${r.date} · ` : ''}
                      {t('departs', { time: f.time(r.plannedDeparture) })}
                    </span>
                    <span class="muted small">{t('routeMeta', { stops: r.stops, deliveries: r.deliveries, pickups: r.pickups })}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </aside>
        <div class="route-main">
          {routeId ? <SheetView key={routeId} routeId={routeId} stations={stations.data ?? new Map()} onChanged={routes.reload} /> : list.length > 0 ? <p class="muted">{t('pick')}</p> : null}
        </div>
      </div>
    </div>
  );
}
