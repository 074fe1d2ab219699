/**
 * The parcels waiting at the station (intake `GET /parcels?stationId=&state=at_station`, 30 a page), found by
 * waybill (in the loaded pages, else `GET /parcels/by-waybill/:courierId/:waybill` for each courier), and the
 * keeper's scans on one or several of them: delivered, refused (with its reason), address unknown, damaged —
 * one `POST /scans/batch`, each scan with a fresh `scanId`, `occurredAt` now and the station; a scan the API
 * refuses keeps its reason on its parcel.
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { Card, ErrorNote, Field, FormError, Loading, useAsync } from '../../components';
import { formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { term, terms, type Courier, type ParcelPage, type ParcelSummary, type ParcelView } from '../parcels-terms';
import { m, uuid } from './messages';

const PAGE = 30;
/** Parcels arrive and produce is collected while the page is open: read again each minute. */
const REFRESH_MS = 60_000;
const ACTIONS = ['deliver', 'refused', 'address_unknown', 'damaged'] as const;
type Action = (typeof ACTIONS)[number];

/** One item of `POST /scans/batch`'s answer. */
type BatchItem =
  | { index: number; result: 'applied' | 'recorded' | 'confirming' | 'duplicate'; parcelId: string; state: string; exception: { kind: string } | null }
  | { index: number; result: 'rejected'; code: string; path?: string; reason: string; reasonZh: string; parcelId?: string };

interface Outcome {
  ok: boolean;
  text: string;
}

export function Waiting({ stationId, couriers }: { stationId: string; couriers: Courier[] | undefined }) {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const { api } = useSession();
  const [pages, setPages] = useState(0);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<{ waybill: string; parcels: ParcelView[] } | null>(null);
  const [finding, setFinding] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [outcomes, setOutcomes] = useState<Map<string, Outcome>>(new Map());
  const [summary, setSummary] = useState<{ text: string; bad: boolean } | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const list = useAsync(
    async (signal) => {
      const items: ParcelSummary[] = [];
      let cursor: string | undefined;
      let next: string | null = null;
      for (let i = 0; i <= pages; i++) {
        const page = await api.get<ParcelPage>('intake', '/parcels', { query: { stationId, state: 'at_station', direction: 'downstream', limit: PAGE, cursor }, signal });
        items.push(...page.items);
        next = page.nextCursor;
        if (!next) break;
        cursor = next;
      }
      return { items, next };
    },
    [stationId, pages],
    REFRESH_MS,
  );

  const courierName = (id: string) => couriers?.find((c) => c.id === id)?.name ?? id;
  const needle = q.trim().toLowerCase();
  const loaded = list.data?.items ?? [];
  const items: ParcelSummary[] = found ? found.parcels : needle ? loaded.filter((p) => p.waybill.toLowerCase().includes(needle)) : loaded;
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  /** The waybill in the county: every courier's, as a keeper does not always know which courier's label it is. */
  async function find(e: Event) {
    e.preventDefault();
    const waybill = q.trim();
    if (!waybill) return setFound(null);
    setFinding(true);
    try {
      const ids = (couriers ?? []).map((c) => c.id);
      const answers = await Promise.allSettled(ids.map((c) => api.get<ParcelView>('intake', `/parcels/by-waybill/${encodeURIComponent(c)}/${encodeURIComponent(waybill)}`)));
      const down = answers.find((a): a is PromiseRejectedResult => a.status === 'rejected' && !(a.reason instanceof ApiError && a.reason.status === 404));
      if (down) throw down.reason;
      setFound({ waybill, parcels: answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : [])) });
      setError(undefined);
    } catch (err) {
      setError(err);
    } finally {
      setFinding(false);
    }
  }

  async function scan(kind: Action) {
    const why = reason.trim();
    if (kind === 'refused' && !why) {
      setError(new ApiError(400, 'VALIDATION_FAILED', t('reasonRequired'), [{ path: 'reason', reason: t('reasonRequired') }], 'intake'));
      return;
    }
    const ids = items.map((p) => p.parcelId).filter((id) => selected.has(id));
    if (ids.length === 0) return;
    setBusy(true);
    setError(undefined);
    setSummary(null);
    const occurredAt = new Date().toISOString();
    const scans = ids.map((parcelId) => ({
      scanId: uuid(),
      kind,
      parcel: { parcelId },
      occurredAt,
      stationId,
      ...(kind !== 'deliver' && why ? { reason: why } : {}),
    }));
    try {
      const answer = await api.post<{ results: BatchItem[]; summary: Record<string, number> }>('intake', '/scans/batch', { scans }, { headers: { 'idempotency-key': uuid() } });
      const next = new Map(outcomes);
      for (const r of answer.results) {
        const parcelId = ids[r.index]!;
        next.set(parcelId, r.result === 'rejected' ? { ok: false, text: lang === 'en' ? r.reason : r.reasonZh } : { ok: true, text: `${t('applied')}: ${t(kind)}` });
      }
      const bad = answer.results.filter((r) => r.result === 'rejected').length;
      setOutcomes(next);
      setSummary({ text: bad ? t('doneSome', { ok: ids.length - bad, bad }) : t('done', { n: ids.length }), bad: bad > 0 });
      setSelected(new Set(ids.filter((id) => next.get(id)?.ok === false)));
      setReason('');
      // A parcel found by waybill stays in view, as it is now: a refusal is read on it.
      if (found) {
        const fresh = await Promise.all(found.parcels.map((p) => api.get<ParcelView>('intake', `/parcels/${p.parcelId}`).catch(() => p)));
        setFound({ ...found, parcels: fresh });
      }
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const allChecked = items.length > 0 && items.every((p) => selected.has(p.parcelId));
  const chosen = items.filter((p) => selected.has(p.parcelId)).length;
  return (
    <Card title={t('waiting')} actions={list.data ? <span class="badge" data-testid="waiting-count">{loaded.length}{list.data.next ? '+' : ''}</span> : null}>
      <p class="muted small">{t('waitingHint')}</p>
      <form class="st-search" onSubmit={find} role="search">
        <label class="st-search-field">
          <span class="field-label">{t('search')}</span>
          <input
            name="waybill"
            type="search"
            inputMode="text"
            autoComplete="off"
            spellcheck={false}
            value={q}
            onInput={(e) => (setQ((e.target as HTMLInputElement).value), setFound(null))}
          />
        </label>
        <button type="submit" class="secondary" disabled={finding}>
          {t('searchButton')}
        </button>
        {q ? (
          <button type="button" class="secondary" onClick={() => (setQ(''), setFound(null))}>
            {t('clear')}
          </button>
        ) : null}
      </form>
      <ErrorNote error={list.error} onRetry={list.reload} />
      {found && found.parcels.length === 0 ? (
        <p class="note note-error" role="alert" data-testid="waybill-not-found">
          {t('notFound', { waybill: found.waybill })}
        </p>
      ) : null}
      {found
        ? found.parcels
            .filter((p) => p.state !== 'at_station')
            .map((p) => (
              <p class="note note-unavailable" key={p.parcelId}>
                {t('foundElsewhere', { waybill: p.waybill, state: term(tt, p.state) })}
              </p>
            ))
        : null}
      {!list.data && !found ? (
        list.error ? null : <Loading />
      ) : items.length === 0 ? (
        found ? null : <p class="muted">{needle ? t('noMatch', { q: q.trim() }) : t('none')}</p>
      ) : (
        <>
          <label class="st-select-all">
            <input type="checkbox" checked={allChecked} onChange={(e) => setSelected((e.target as HTMLInputElement).checked ? new Set(items.map((p) => p.parcelId)) : new Set())} />
            <span>{t('selectAll')}</span>
          </label>
          <ul class="st-list" data-testid="waiting-parcels">
            {items.map((p) => {
              const outcome = outcomes.get(p.parcelId);
              return (
                <li key={p.parcelId} class={selected.has(p.parcelId) ? 'st-item selected' : 'st-item'} data-testid="waiting-parcel" data-waybill={p.waybill}>
                  <label class="st-item-main">
                    <input type="checkbox" aria-label={p.waybill} checked={selected.has(p.parcelId)} onChange={() => toggle(p.parcelId)} />
                    <span class="st-item-text">
                      <span class="st-waybill">{p.waybill}</span>
                      <span class="muted small">
                        {courierName(p.courierId)} · {p.state !== 'at_station' ? term(tt, p.state) : p.exception ? t('exceptionSince', { time: f.dateTime(p.exception.since) }) : t('since', { time: f.dateTime(p.updatedAt) })}
                      </span>
                    </span>
                    {p.exception ? <span class="badge warn">{t(`exception_${p.exception.kind}` as 'exception_refused')}</span> : null}
                  </label>
                  {outcome ? (
                    <p class={outcome.ok ? 'st-outcome ok' : 'st-outcome bad'} role={outcome.ok ? undefined : 'alert'} data-testid={outcome.ok ? 'scan-applied' : 'scan-rejected'}>
                      {outcome.ok ? outcome.text : `${t('rejected')}: ${outcome.text}`}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {list.data?.next && !found && !needle ? (
            <button type="button" class="secondary st-more" onClick={() => setPages(pages + 1)}>
              {t('more')}
            </button>
          ) : null}
        </>
      )}
      {summary ? (
        <p class={summary.bad ? 'note note-error' : 'note st-summary'} role="status" data-testid="scan-summary">
          {summary.text}
        </p>
      ) : null}
      <div class={chosen ? 'st-actions open' : 'st-actions'} data-testid="scan-actions">
        <div class="st-actions-head">{t('selected', { n: chosen })}</div>
        <Field label={t('reason')} name="reason" error={error}>
          <input name="reason" value={reason} placeholder={t('reasonHint')} maxLength={500} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        </Field>
        <div class="st-buttons">
          {ACTIONS.map((kind) => (
            <button key={kind} type="button" class={kind === 'deliver' ? 'st-btn' : 'st-btn secondary'} disabled={busy || chosen === 0} onClick={() => void scan(kind)}>
              {t(kind)}
            </button>
          ))}
        </div>
        <FormError error={error} fields={['reason']} />
      </div>
    </Card>
  );
}
