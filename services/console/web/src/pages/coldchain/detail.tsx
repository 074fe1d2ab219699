/**
 * One container over a period: its readings as a line per sensor, the profile's range as a band (markArea between
 * min and max °C), its excursions shaded (markArea x-ranges), and the excursions listed with the goods' resolution
 * (`POST /coldchain/excursions/:id/resolution`).
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { Chart, type ChartOption } from '../../chart';
import { ErrorNote, Field, FormError, Loading, useAsync } from '../../components';
import { formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { m } from './messages';
import type { Excursion, Profile, Reading, Resolution } from './types';

const PERIODS = { p6h: 6, p24h: 24, p7d: 24 * 7 } as const;
type Period = keyof typeof PERIODS;
const LIMIT = 10_000;

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

export function ContainerDetail({ containerId, profile, profileError, onChanged }: { containerId: string; profile: Profile | undefined; profileError: unknown; onChanged: () => void }) {
  const { api, principal } = useSession();
  // Drivers read; the center's staff decide what becomes of the goods (the API's roles).
  const canResolve = principal.role === 'admin' || principal.role === 'operator';
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const [period, setPeriod] = useState<Period>('p6h');
  const data = useAsync(
    async (signal) => {
      const to = new Date();
      const from = new Date(to.getTime() - PERIODS[period] * 3_600_000);
      const range = { containerId, from: from.toISOString(), to: to.toISOString() };
      const [readings, excursions] = await Promise.all([
        api.get<{ readings: Reading[]; truncated: boolean }>('coldchain', '/coldchain/readings', { signal, query: { ...range, limit: LIMIT } }),
        api.get<{ excursions: Excursion[] }>('coldchain', '/coldchain/excursions', { signal, query: { ...range, limit: 100 } }),
      ]);
      return { from, to, readings: readings.readings, truncated: readings.truncated, excursions: excursions.excursions };
    },
    [containerId, period],
    60_000,
  );

  const option = useMemo<ChartOption | undefined>(() => {
    const d = data.data;
    if (!d) return undefined;
    const bySensor = new Map<string, [string, number][]>();
    for (const r of d.readings) {
      const list = bySensor.get(r.sensorId) ?? [];
      list.push([r.measuredAt, r.temperatureC]);
      bySensor.set(r.sensorId, list);
    }
    const band = profile ? [[{ yAxis: profile.minC, itemStyle: { color: 'rgba(26,127,55,0.10)' } }, { yAxis: profile.maxC }]] : [];
    const shaded = d.excursions
      .filter((e) => e.state !== 'superseded')
      .map((e) => [{ xAxis: e.startedAt, itemStyle: { color: 'rgba(198,40,40,0.16)' } }, { xAxis: e.endedAt ?? d.to.toISOString() }]);
    const sensors = [...bySensor.entries()];
    const series = (sensors.length > 0 ? sensors : [['—', [] as [string, number][]] as const]).map(([sensorId, points], index) => ({
      type: 'line',
      name: sensorId,
      data: points,
      showSymbol: false,
      sampling: 'lttb',
      lineStyle: { width: 1.5 },
      ...(index === 0 ? { markArea: { silent: true, data: [...band, ...shaded] } } : {}),
      ...(index === 0 && profile
        ? { markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#1a7f37' }, label: { formatter: '{c} °C' }, data: [{ yAxis: profile.minC }, { yAxis: profile.maxC }] } }
        : {}),
    }));
    return {
      animation: false,
      grid: { left: 44, right: 56, top: 36, bottom: 40 },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v} °C`, axisPointer: { label: { formatter: (p: { value: number }) => f.dateTime(new Date(p.value).toISOString()) } } },
      xAxis: {
        type: 'time',
        min: d.from.toISOString(),
        max: d.to.toISOString(),
        // In the county's zone, not the browser's.
        axisLabel: { hideOverlap: true, formatter: (v: number) => (period === 'p7d' ? f.dateTime(new Date(v).toISOString()) : f.time(new Date(v).toISOString())) },
      },
      yAxis: {
        type: 'value',
        name: '°C',
        min: (v: { min: number }) => Math.floor(Math.min(v.min, profile ? profile.minC : v.min) - 1),
        max: (v: { max: number }) => Math.ceil(Math.max(v.max, profile ? profile.maxC : v.max) + 1),
      },
      series,
    };
  }, [data.data, profile, lang]);

  return (
    <section class="card" data-testid="container-detail" data-container-id={containerId}>
      <header class="card-head">
        <h2>{t('readingsOf', { id: containerId })}</h2>
        <div class="card-actions period" role="group" aria-label={t('period')}>
          {(Object.keys(PERIODS) as Period[]).map((p) => (
            <button key={p} type="button" class={p === period ? '' : 'secondary'} aria-pressed={p === period} onClick={() => setPeriod(p)}>
              {t(p)}
            </button>
          ))}
        </div>
      </header>
      {profile ? (
        <p class="small band-note" data-testid="band">
          <span class="band-swatch" /> {t('band', { min: profile.minC, max: profile.maxC, profile: (lang === 'zh-CN' ? profile.nameZh : null) ?? profile.name, minutes: profile.toleratedMinutes })}
        </p>
      ) : profileError ? (
        <p class="muted small">{profileError instanceof ApiError && profileError.status === 403 ? t('noBandRole') : t('noBand')}</p>
      ) : null}
      <ErrorNote error={data.error} onRetry={data.reload} />
      {!data.data && !data.error ? <Loading /> : null}
      {data.data && option ? (
        <>
          {data.data.truncated ? <p class="warn small">{t('truncated', { n: f.number(LIMIT) })}</p> : null}
          {data.data.readings.length === 0 ? <p class="muted small">{t('noReadings')}</p> : null}
          <Chart option={option} height={300} testId="readings-chart" />
          <Excursions
            excursions={data.data.excursions}
            canResolve={canResolve}
            onChanged={() => {
              data.reload();
              onChanged();
            }}
            newKey={newKey}
          />
        </>
      ) : null}
    </section>
  );
}

function Excursions({ excursions, canResolve, onChanged, newKey }: { excursions: Excursion[]; canResolve: boolean; onChanged: () => void; newKey: () => string }) {
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const shown = excursions.filter((e) => e.state !== 'superseded');
  return (
    <div>
      <h3>{t('excursions')}</h3>
      {shown.length === 0 ? <p class="muted small">{t('noExcursions')}</p> : null}
      <ul class="excursions">
        {shown.map((e) => (
          <li key={e.excursionId} data-testid="excursion" data-excursion-id={e.excursionId}>
            <div>
              <span class={`badge ${e.severity === 'critical' || e.severity === 'major' ? 'bad' : 'warn'}`}>{t(`severity_${e.severity}`)}</span>{' '}
              {f.dateTime(e.startedAt)} – {e.endedAt ? f.dateTime(e.endedAt) : t('ongoing')} · {t(`side_${e.side}`)} · {t('minutes')} {f.number(e.minutesOutOfRange, 1)} · {f.number(e.minC, 1)}/
              {f.number(e.maxC, 1)} °C · {t('parcels', { n: e.parcelIds.length })}
              {e.resolution ? (
                <>
                  {' '}
                  · <span class="badge ok">{t(`resolution_${e.resolution}`)}</span>
                </>
              ) : null}
            </div>
            {canResolve ? <ResolveForm excursionId={e.excursionId} current={e.resolution} onDone={onChanged} newKey={newKey} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ResolveForm({ excursionId, current, onDone, newKey }: { excursionId: string; current: Resolution | null; onDone: () => void; newKey: () => string }) {
  const { api } = useSession();
  const t = useT(m);
  const [resolution, setResolution] = useState<Resolution>(current === 'released' ? 'downgraded' : 'released');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.post('coldchain', `/coldchain/excursions/${encodeURIComponent(excursionId)}/resolution`, { resolution, ...(comment ? { comment } : {}) }, { headers: { 'idempotency-key': newKey() } });
      setComment('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form-row inline-form" onSubmit={submit}>
      <Field label={t('resolution')} name="resolution" error={error}>
        <select aria-label={t('resolution')} value={resolution} onChange={(e) => setResolution(e.currentTarget.value as Resolution)}>
          {(['released', 'downgraded', 'discarded'] as const).map((r) => (
            <option key={r} value={r}>
              {t(`resolution_${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('comment')} name="comment" error={error}>
        <input value={comment} onInput={(e) => setComment(e.currentTarget.value)} maxLength={1000} />
      </Field>
      <button type="submit" class="secondary" disabled={busy}>
        {t('resolve')}
      </button>
      <div class="form-error">
        <FormError error={error} fields={['resolution', 'comment']} />
      </div>
    </form>
  );
}
