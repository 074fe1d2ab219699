/**
 * Waves (admin, operator): pick a date and one of the county's waves (intake's `GET /counties/:id`), plan it
 * (`POST /dispatch/waves/:date/:waveId/plans` with a fresh Idempotency-Key), list its plans, and open one
 * (waves/plan.tsx) to see its routes over the stations (intake's `GET /stations`, coordinates) and edit it.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorNote, Field, Loading, useAsync } from '../components';
import { formats, useLang, useT } from '../i18n';
import { useSession } from '../session';
import { m } from './waves/messages';
import { hashQuery, setHashQuery } from './parcels-terms';
import { PlanPanel } from './waves/plan';
import type { Plan, PlanSummary, Station, Vehicle, Wave } from './waves/types';
import './waves/waves.css';

interface County {
  id: string;
  timeZone: string;
  waves: Wave[];
}

const DATE_KEY = 'console.waves.date';
const WAVE_KEY = 'console.waves.wave';

function freshKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
}

export default function WavesPage() {
  const { api, principal } = useSession();
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  // A link names the date and wave (`#/waves?date=2026-11-29&wave=am`); otherwise the ones picked stay for the
  // browser session (a reload keeps the operator where it was), and the address follows what is picked.
  const linked = hashQuery();
  const [date, setDate] = useState(() => linked.get('date') ?? sessionStorage.getItem(DATE_KEY) ?? f.localDate());
  const [waveId, setWaveId] = useState(() => linked.get('wave') ?? sessionStorage.getItem(WAVE_KEY) ?? '');
  useEffect(() => {
    if (date) sessionStorage.setItem(DATE_KEY, date);
    if (waveId) sessionStorage.setItem(WAVE_KEY, waveId);
    setHashQuery('waves', { date, wave: waveId });
  }, [date, waveId]);
  const [planId, setPlanId] = useState<string | null>(null);
  const [planning, setPlanning] = useState(false);
  const [planError, setPlanError] = useState<unknown>(undefined);

  const county = useAsync((signal) => api.get<County>('intake', `/counties/${encodeURIComponent(principal.countyId)}`, { signal }), [principal.countyId]);
  const network = useAsync(
    async (signal) => {
      const [stations, vehicles] = await Promise.all([
        api.get<{ items: Station[] }>('intake', '/stations', { signal }),
        api.get<{ items: Vehicle[] }>('intake', '/vehicles', { signal }),
      ]);
      return { stations: new Map(stations.items.map((s) => [s.id, s])), vehicles: new Map(vehicles.items.map((v) => [v.id, v])) };
    },
    [principal.countyId],
  );
  const waves = county.data?.waves ?? [];
  useEffect(() => {
    if (waves[0] && !waves.some((w) => w.id === waveId)) setWaveId(waves[0].id);
  }, [waves.length]);

  const plans = useAsync(
    async (signal) => (waveId && /^\d{4}-\d{2}-\d{2}$/.test(date) ? (await api.get<{ plans: PlanSummary[] }>('dispatch', `/dispatch/waves/${date}/${encodeURIComponent(waveId)}/plans`, { signal })).plans : []),
    [date, waveId],
  );
  // Open the wave's live plan (a confirmed one, else the newest draft) unless the operator picked one.
  useEffect(() => {
    const list = plans.data ?? [];
    if (planId && list.some((p) => p.planId === planId)) return;
    const pick = list.find((p) => p.status === 'confirmed') ?? [...list].reverse().find((p) => p.status === 'draft') ?? list[list.length - 1];
    setPlanId(pick?.planId ?? null);
  }, [plans.data]);

  async function plan() {
    setPlanning(true);
    setPlanError(undefined);
    try {
      const created = await api.post<Plan>('dispatch', `/dispatch/waves/${date}/${encodeURIComponent(waveId)}/plans`, undefined, { headers: { 'idempotency-key': freshKey() } });
      setPlanId(created.planId);
      plans.reload();
    } catch (err) {
      setPlanError(err);
    } finally {
      setPlanning(false);
    }
  }

  const stations = useMemo(() => network.data?.stations ?? new Map<string, Station>(), [network.data]);
  const vehicles = useMemo(() => network.data?.vehicles ?? new Map<string, Vehicle>(), [network.data]);

  return (
    <div class="waves-page">
      <h1>{t('title')}</h1>
      <ErrorNote error={county.error} onRetry={county.reload} />
      <ErrorNote error={network.error} onRetry={network.reload} />
      <section class="card">
        <form
          class="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            void plan();
          }}
        >
          <Field label={t('date')} name="date" error={planError}>
            <input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} required />
          </Field>
          <Field label={t('wave')} name="waveId" error={planError}>
            <select aria-label={t('wave')} value={waveId} onChange={(e) => setWaveId(e.currentTarget.value)}>
              {waves.map((w) => (
                <option key={w.id} value={w.id}>
                  {t('waveOption', { id: w.id, name: w.name ? ` ${w.name}` : '', cutoff: w.cutoff, departure: w.departure })}
                </option>
              ))}
            </select>
          </Field>
          <div class="control">
            <button type="submit" disabled={planning || !waveId || !date}>
              {planning ? t('planning') : t('plan')}
            </button>
          </div>
        </form>
        <ErrorNote error={planError} />
      </section>

      <section class="card">
        <header class="card-head">
          <h2>{t('plans')}</h2>
        </header>
        <ErrorNote error={plans.error} onRetry={plans.reload} />
        {plans.data === undefined && !plans.error ? <Loading /> : null}
        {plans.data && plans.data.length === 0 ? <p class="muted">{t('noPlans')}</p> : null}
        {plans.data && plans.data.length > 0 ? (
          <div class="table-wrap">
            <table data-testid="plans">
              <thead>
                <tr>
                  <th>{t('planId')}</th>
                  <th>{t('status')}</th>
                  <th class="num hide-phone">{t('revision')}</th>
                  <th class="hide-phone">{t('origin')}</th>
                  <th class="num">{t('routes')}</th>
                  <th class="num">{t('parcels')}</th>
                  <th class="num hide-phone">{t('cost')}</th>
                  <th class="num">{t('costPerParcel')}</th>
                  <th class="hide-phone">{t('createdAt')}</th>
                </tr>
              </thead>
              <tbody>
                {[...plans.data].reverse().map((p) => (
                  <tr key={p.planId} class={p.planId === planId ? 'selected' : ''} data-testid="plan-row" data-plan-id={p.planId}>
                    <td>
                      <button type="button" class="link" onClick={() => setPlanId(p.planId)} aria-pressed={p.planId === planId}>
                        {p.planId}
                      </button>
                    </td>
                    <td>
                      <span class={`badge ${p.status === 'confirmed' ? 'ok' : p.status === 'draft' ? 'warn' : ''}`}>{t(`status_${p.status}`)}</span>
                    </td>
                    <td class="num hide-phone">{p.revision}</td>
                    <td class="hide-phone">{t(`origin_${p.origin}`)}</td>
                    <td class="num">{p.routes}</td>
                    <td class="num">{f.number(p.parcels)}</td>
                    <td class="num hide-phone">{f.yuan(p.cost)}</td>
                    <td class="num">{f.yuan(p.costPerParcel)}</td>
                    <td class="hide-phone">{f.dateTime(p.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      {planId ? <PlanPanel planId={planId} stations={stations} vehicles={vehicles} onChanged={plans.reload} /> : plans.data?.length ? <p class="muted">{t('choosePlan')}</p> : null}
    </div>
  );
}
