/**
 * One plan: its cost beside the counterfactual, its routes drawn over the stations and listed with vehicle, stops,
 * load against capacity, ETAs, return and cost; and, while it is a draft, the operator's edits — move a stop,
 * lock/unlock a route, re-plan keeping locks, confirm — each sent at the revision read, with the API's refusal
 * (a stale revision's 409, a move it cannot take) shown beside the control that sent it.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Api } from '../../api';
import { ErrorNote, Field, FormError, Loading, Stat, useAsync } from '../../components';
import { formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { RouteMap, type MapLabels } from './map';
import { m } from './messages';
import { colourOf, type Plan, type Route, type Station, type Vehicle, type WaveCosts } from './types';

type Fmt = ReturnType<typeof formats>;

export function PlanPanel({ planId, stations, vehicles, onChanged }: { planId: string; stations: Map<string, Station>; vehicles: Map<string, Vehicle>; onChanged: () => void }) {
  const { api } = useSession();
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const loaded = useAsync((signal) => api.get<Plan>('dispatch', `/dispatch/plans/${encodeURIComponent(planId)}`, { signal }), [planId]);
  const [edited, setEdited] = useState<Plan | undefined>(undefined);
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    setEdited(undefined);
    setErrors({});
  }, [planId]);
  const plan = edited && edited.planId === planId ? edited : loaded.data;

  const costs = useAsync(
    async (signal) =>
      plan?.status === 'confirmed' ? api.get<WaveCosts>('dispatch', `/dispatch/waves/${plan.date}/${encodeURIComponent(plan.waveId)}/costs`, { signal }) : undefined,
    [plan?.planId, plan?.status],
  );

  const labels = useMemo<MapLabels>(
    () => ({ stations: t('stations'), center: t('center'), route: (r: Route) => t('routeLabel', { key: r.routeKey, vehicle: r.vehicleId }) }),
    [lang],
  );

  if (!plan) return loaded.error ? <ErrorNote error={loaded.error} onRetry={loaded.reload} /> : <Loading />;

  const draft = plan.status === 'draft';
  async function run(control: string, call: (api: Api, revision: number) => Promise<Plan>) {
    if (!plan) return;
    setBusy(control);
    setErrors((e) => ({ ...e, [control]: undefined }));
    try {
      const next = await call(api, plan.revision);
      setEdited(next);
      setErrors({});
      onChanged();
    } catch (err) {
      setErrors((e) => ({ ...e, [control]: err }));
    } finally {
      setBusy(null);
    }
  }
  const path = `/dispatch/plans/${encodeURIComponent(plan.planId)}`;
  const toggleLock = (route: Route) =>
    run(`lock:${route.routeKey}`, (a, revision) =>
      route.locked ? a.del<Plan>('dispatch', `${path}/locks`, { body: { revision, routeKey: route.routeKey } }) : a.post<Plan>('dispatch', `${path}/locks`, { revision, routeKey: route.routeKey }),
    );

  return (
    <div class="plan" data-testid="plan" data-plan-id={plan.planId} data-status={plan.status} data-revision={plan.revision}>
      <div class="plan-head">
        <h2>
          {t('planId')} {plan.planId}{' '}
          <span class={`badge ${plan.status === 'confirmed' ? 'ok' : plan.status === 'draft' ? 'warn' : ''}`} data-testid="plan-status">
            {t(`status_${plan.status}`)}
          </span>{' '}
          <span class="muted small">
            {t('revision')} {plan.revision} · {plan.mode}
          </span>
          <button
            type="button"
            class="link"
            onClick={() => {
              setEdited(undefined);
              setErrors({});
              loaded.reload();
            }}
          >
            {t('refresh')}
          </button>
        </h2>
        {plan.status === 'confirmed' ? <p class="ok small">{t('confirmedBy', { by: plan.confirmedBy ?? '—', at: f.dateTime(plan.confirmedAt) })}</p> : null}
        {!draft && plan.status !== 'confirmed' ? <p class="muted small">{t('readOnly')}</p> : null}
      </div>

      <CostStats plan={plan} costs={costs.data} f={f} />
      <ErrorNote error={costs.error} />

      {draft ? (
        <div class="plan-actions">
          <div class="control">
            <button type="button" class="secondary" disabled={busy !== null} onClick={() => run('replan', (a, revision) => a.post<Plan>('dispatch', `${path}/replan`, { revision }))}>
              {busy === 'replan' ? t('planning') : t('replan')}
            </button>
            <ErrorNote error={errors.replan} />
          </div>
          <div class="control">
            <button type="button" disabled={busy !== null} onClick={() => run('confirm', (a, revision) => a.post<Plan>('dispatch', `${path}/confirm`, { revision }))}>
              {t('confirm')}
            </button>
            <ErrorNote error={errors.confirm} />
          </div>
        </div>
      ) : null}

      <div class="waves-layout">
        <section class="waves-routes" aria-label={t('routes')}>
          {plan.routes.map((route, index) => (
            <RouteCard
              key={route.routeKey}
              route={route}
              index={index}
              vehicle={vehicles.get(route.vehicleId)}
              stations={stations}
              f={f}
              draft={draft}
              busy={busy !== null}
              error={errors[`lock:${route.routeKey}`]}
              onLock={() => toggleLock(route)}
            />
          ))}
          {plan.unplanned.length > 0 ? <Unplanned unplanned={plan.unplanned} /> : null}
        </section>
        <section class="waves-map card">
          <h2>{t('map')}</h2>
          <RouteMap routes={plan.routes} stations={stations} labels={labels} height={420} />
        </section>
      </div>

      {draft && plan.routes.length > 0 ? <MoveForm plan={plan} stations={stations} busy={busy !== null} error={errors.move} onMove={(body) => run('move', (a, revision) => a.post<Plan>('dispatch', `${path}/moves`, { kind: 'stop', revision, ...body }))} /> : null}
    </div>
  );
}

function CostStats({ plan, costs, f }: { plan: Plan; costs: WaveCosts | undefined; f: Fmt }) {
  const t = useT(m);
  const mine = costs ? costs.cost.total : plan.consolidated.cost.total;
  const theirs = costs ? costs.counterfactual.cost.total : plan.counterfactual.cost.total;
  const pct = costs ? costs.reductionVsCounterfactualPct : plan.reductionVsCounterfactualPct;
  const perParcel = costs ? costs.costPerParcel : plan.consolidated.costPerParcel;
  const surveyed = costs ? costs.surveyedCostPerParcel : plan.surveyedCostPerParcel;
  const vsSurveyed = costs ? costs.reductionVsSurveyedPct : plan.reductionVsSurveyedPct;
  return (
    <div data-testid="costs">
      {costs ? <p class="muted small">{t('confirmedCosts')}</p> : null}
      <div class="stats">
        <Stat label={t('planCost')} value={f.yuan(mine)} hint={t('perParcel', { v: f.yuan(perParcel) })} />
        <Stat label={t('counterfactual')} value={f.yuan(theirs)} hint={t('perParcel', { v: f.yuan(costs ? costs.counterfactual.costPerParcel : plan.counterfactual.costPerParcel) })} />
        <Stat label={t('saving')} value={f.yuan(theirs - mine)} hint={t('savingHint', { pct: f.pct(pct) })} />
        <Stat label={t('costPerParcel')} value={f.yuan(perParcel)} hint={vsSurveyed >= 0 ? t('belowSurveyed', { pct: f.pct(vsSurveyed), base: f.yuan(surveyed) }) : t('aboveSurveyed', { pct: f.pct(-vsSurveyed), base: f.yuan(surveyed) })} />
      </div>
    </div>
  );
}

function RouteCard(props: {
  route: Route;
  index: number;
  vehicle: Vehicle | undefined;
  stations: Map<string, Station>;
  f: Fmt;
  draft: boolean;
  busy: boolean;
  error: unknown;
  onLock: () => void;
}) {
  const { route, index, vehicle, stations, f, draft, busy, error, onLock } = props;
  const t = useT(m);
  const peakKg = Math.max(0, ...route.stops.map((s) => s.loadKgAfter));
  const peakM3 = Math.max(0, ...route.stops.map((s) => s.loadM3After));
  const over = vehicle ? peakKg > vehicle.capacityKg || peakM3 > vehicle.capacityM3 : false;
  const name = (id: string) => stations.get(id)?.name ?? id;
  return (
    <article class="card route-card" data-testid="route" data-route-key={route.routeKey} data-locked={route.locked ? 'true' : 'false'}>
      <header class="card-head">
        <h3 class="route-title">
          <span class="swatch" style={{ background: colourOf(index) }} />
          {route.routeKey} · {route.vehicleId}
          {vehicle?.plate ? <span class="muted small"> {vehicle.plate}</span> : null} <span class="badge">{t(`tier_${route.tier}`)}</span>
          {route.locked ? <span class="badge warn">{t('locked')}</span> : null}
        </h3>
        {draft ? (
          <div class="control">
            <button type="button" class="secondary" disabled={busy} onClick={onLock}>
              {route.locked ? t('unlock') : t('lock')}
            </button>
          </div>
        ) : null}
      </header>
      <ErrorNote error={error} />
      <dl class="route-facts">
        <div>
          <dt>{t('stops')}</dt>
          <dd>{route.stops.length}</dd>
        </div>
        <div>
          <dt>{t('parcels')}</dt>
          <dd>{route.parcels.length}</dd>
        </div>
        <div>
          <dt>{t('load')}</dt>
          <dd class={over ? 'bad' : ''} title={t('loadHint', { kg: f.number(peakKg), capKg: f.number(vehicle?.capacityKg), m3: f.number(peakM3, 2), capM3: f.number(vehicle?.capacityM3, 1) })}>
            {f.number(peakKg)}/{vehicle ? f.number(vehicle.capacityKg) : '—'} kg · {f.number(peakM3, 2)}/{vehicle ? f.number(vehicle.capacityM3, 1) : '—'} m³
          </dd>
        </div>
        <div>
          <dt>{t('departure')}</dt>
          <dd>{f.time(route.plannedDeparture)}</dd>
        </div>
        <div>
          <dt>{t('return')}</dt>
          <dd>{f.time(route.plannedReturn)}</dd>
        </div>
        <div>
          <dt>{t('distance')}</dt>
          <dd>{t('km', { n: f.number(route.distanceKm, 1) })}</dd>
        </div>
        <div>
          <dt>{t('cost')}</dt>
          <dd>{f.yuan(route.cost.total)}</dd>
        </div>
      </dl>
      <details>
        <summary>
          {t('stops')} ({route.stops.length})
        </summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th class="num">{t('seq')}</th>
                <th>{t('station')}</th>
                <th>{t('eta')}</th>
                <th class="num">{t('deliveries')}</th>
                <th class="num">{t('pickups')}</th>
                <th class="num">{t('loadAfter')}</th>
              </tr>
            </thead>
            <tbody>
              {route.stops.map((stop) => (
                <tr key={stop.stationId} data-testid="stop" data-station-id={stop.stationId}>
                  <td class="num">{stop.sequence}</td>
                  <td>
                    {name(stop.stationId)} {stop.locked ? <span class="badge warn">{t('locked')}</span> : null}
                  </td>
                  <td>{f.time(stop.plannedArrival)}</td>
                  <td class="num">{stop.deliveries.length}</td>
                  <td class="num">{stop.pickups.length}</td>
                  <td class="num">{f.number(stop.loadKgAfter)} kg</td>
                </tr>
              ))}
              <tr>
                <td />
                <td>{name(route.depotStationId)}</td>
                <td>{f.time(route.plannedReturn)}</td>
                <td colSpan={3} />
              </tr>
            </tbody>
          </table>
        </div>
      </details>
    </article>
  );
}

function MoveForm({ plan, stations, busy, error, onMove }: { plan: Plan; stations: Map<string, Station>; busy: boolean; error: unknown; onMove: (body: { stationId: string; fromRouteKey: string; toRouteKey: string; position?: number }) => void }) {
  const t = useT(m);
  const stops = plan.routes.flatMap((r) => r.stops.map((s) => ({ routeKey: r.routeKey, stationId: s.stationId, sequence: s.sequence })));
  const [picked, setStop] = useState('');
  const [pickedTo, setTo] = useState('');
  // After an edit the picked stop may have moved: fall back to the first stop (and route) the plan has now.
  const stop = stops.some((s) => `${s.routeKey}|${s.stationId}` === picked) ? picked : stops[0] ? `${stops[0].routeKey}|${stops[0].stationId}` : '';
  const to = plan.routes.some((r) => r.routeKey === pickedTo) ? pickedTo : (plan.routes.find((r) => !stop.startsWith(`${r.routeKey}|`))?.routeKey ?? plan.routes[0]?.routeKey ?? '');
  const [position, setPosition] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    const [fromRouteKey, stationId] = stop.split('|') as [string, string];
    const n = position.trim() === '' ? undefined : Number(position);
    onMove({ stationId, fromRouteKey, toRouteKey: to, ...(n === undefined ? {} : { position: n }) });
  };
  return (
    <form class="card" onSubmit={submit} data-testid="move-form">
      <h2>{t('moveTitle')}</h2>
      <div class="form-row">
        <Field label={t('moveStop')} name="stationId" error={error}>
          <select aria-label={t('moveStop')} value={stop} onChange={(e) => setStop(e.currentTarget.value)}>
            {stops.map((s) => (
              <option key={`${s.routeKey}|${s.stationId}`} value={`${s.routeKey}|${s.stationId}`}>
                {s.routeKey} #{s.sequence} · {stations.get(s.stationId)?.name ?? s.stationId}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('toRoute')} name="toRouteKey" error={error}>
          <select aria-label={t('toRoute')} value={to} onChange={(e) => setTo(e.currentTarget.value)}>
            {plan.routes.map((r) => (
              <option key={r.routeKey} value={r.routeKey}>
                {r.routeKey} · {r.vehicleId}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('position')} name="position" error={error}>
          <input type="number" min={1} step={1} value={position} onInput={(e) => setPosition(e.currentTarget.value)} />
        </Field>
        <div class="control">
          <button type="submit" disabled={busy || !stop || !to}>
            {t('move')}
          </button>
        </div>
      </div>
      <FormError error={error} fields={['stationId', 'toRouteKey', 'position', 'fromRouteKey']} />
    </form>
  );
}

/** The parcels the plan left, counted by the planner's reason (each parcel's detail is in the API's plan). */
function Unplanned({ unplanned }: { unplanned: Plan['unplanned'] }) {
  const t = useT(m);
  const byReason = new Map<string, number>();
  for (const u of unplanned) byReason.set(u.reason, (byReason.get(u.reason) ?? 0) + 1);
  return (
    <details class="card unplanned" data-testid="unplanned">
      <summary>{t('unplannedList', { n: unplanned.length })}</summary>
      <ul>
        {[...byReason.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([reason, n]) => (
            <li key={reason}>
              <code>{reason}</code>: {n}
            </li>
          ))}
      </ul>
    </details>
  );
}
