/**
 * Cold chain (admin, operator, driver): every container the key may see with its current temperature and state
 * (`GET /coldchain/containers/live`, refreshed), its kind and profile (`GET /coldchain/containers`, profiles from
 * `GET /coldchain/profiles`, which drivers read too); pick one for its readings chart
 * and excursions (coldchain/detail.tsx); the alarms to acknowledge and clear (coldchain/alarms.tsx). A driver
 * sees what the API returns for its key: its vehicles' containers.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorNote, Loading, useAsync } from '../components';
import { formats, useLang, useT } from '../i18n';
import { useSession } from '../session';
import { Alarms } from './coldchain/alarms';
import { ContainerDetail } from './coldchain/detail';
import { m } from './coldchain/messages';
import type { Container, LiveContainer, Profile } from './coldchain/types';
import './coldchain/coldchain.css';

const REFRESH_MS = 15_000;

export default function ColdChainPage() {
  const { api } = useSession();
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const live = useAsync((signal) => api.get<{ asOf: string; containers: LiveContainer[] }>('coldchain', '/coldchain/containers/live', { signal }), [], REFRESH_MS);
  const catalogue = useAsync((signal) => api.get<{ items: Container[] }>('coldchain', '/coldchain/containers', { signal }), []);
  const profiles = useAsync((signal) => api.get<{ items: Profile[] }>('coldchain', '/coldchain/profiles', { signal }), []);
  const [selected, setSelected] = useState<string | null>(null);

  const containers = useMemo(() => new Map((catalogue.data?.items ?? []).map((c) => [c.containerId, c])), [catalogue.data]);
  const profileById = useMemo(() => new Map((profiles.data?.items ?? []).map((p) => [p.id, p])), [profiles.data]);
  const rows = live.data?.containers ?? [];
  useEffect(() => {
    if (!selected && rows.length > 0) setSelected((rows.find((r) => r.state === 'excursion') ?? rows[0])!.containerId);
  }, [rows.length]);

  const profileOf = (containerId: string): Profile | undefined => {
    const id = rows.find((r) => r.containerId === containerId)?.profileId ?? containers.get(containerId)?.profileId;
    return id ? profileById.get(id) : undefined;
  };

  return (
    <div class="coldchain-page">
      <h1>{t('title')}</h1>
      <section class="card">
        <header class="card-head">
          <h2>{t('containers')}</h2>
          {live.data ? <span class="muted small">{t('asOf', { at: f.time(live.data.asOf) })}</span> : null}
        </header>
        <ErrorNote error={live.error} onRetry={live.reload} />
        {!live.data && !live.error ? <Loading /> : null}
        {live.data && rows.length === 0 ? <p class="muted">{t('none')}</p> : null}
        {rows.length > 0 ? (
          <div class="table-wrap">
            <table data-testid="containers">
              <thead>
                <tr>
                  <th>{t('container')}</th>
                  <th class="hide-phone">{t('kind')}</th>
                  <th class="hide-phone">{t('profile')}</th>
                  <th class="num">{t('temperature')}</th>
                  <th>{t('state')}</th>
                  <th class="hide-phone">{t('measuredAt')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const c = containers.get(row.containerId);
                  const p = row.profileId ? profileById.get(row.profileId) : undefined;
                  const badge = row.state === 'in_range' ? 'ok' : row.state === 'excursion' ? 'bad' : 'warn';
                  return (
                    <tr key={row.containerId} class={row.containerId === selected ? 'selected' : ''} data-testid="container-row" data-container-id={row.containerId} data-state={row.state}>
                      <td>
                        <button type="button" class="link" aria-pressed={row.containerId === selected} onClick={() => setSelected(row.containerId)}>
                          {row.containerId}
                        </button>
                      </td>
                      <td class="hide-phone">{c ? t(`kind_${c.kind}`) : '—'}</td>
                      <td class="hide-phone">{p ? `${(lang === 'zh-CN' ? p.nameZh : null) ?? p.name} (${p.minC}–${p.maxC} °C)` : (row.profileId ?? '—')}</td>
                      <td class="num">{row.temperatureC === null ? '—' : `${f.number(row.temperatureC, 1)} °C`}</td>
                      <td>
                        <span class={`badge ${badge}`}>{t(`state_${row.state}`)}</span>
                        {row.openExcursion ? <span class="small muted"> {t('minutes')} {f.number(row.openExcursion.minutesOutOfRange, 0)}</span> : null}
                      </td>
                      <td class="hide-phone">{f.dateTime(row.measuredAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      {selected ? (
        <ContainerDetail containerId={selected} profile={profileOf(selected)} profileError={profiles.error} onChanged={live.reload} />
      ) : rows.length > 0 ? (
        <p class="muted">{t('pick')}</p>
      ) : null}

      <Alarms refreshMs={REFRESH_MS} onChanged={live.reload} />
    </div>
  );
}
