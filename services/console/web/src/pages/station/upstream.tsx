/** The station's upstream parcels registered today (intake `GET /parcels?direction=upstream&stationId=&from=`), with their state. */
import { useState } from 'preact/hooks';
import { Card, ErrorNote, Loading, useAsync } from '../../components';
import { formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { dayStart, term, terms, type Courier, type ParcelPage, type ParcelSummary } from '../parcels-terms';
import { m } from './messages';

const PAGE = 30;
/** Parcels arrive and produce is collected while the page is open: read again each minute. */
const REFRESH_MS = 60_000;
const tone: Record<string, string> = { booked: 'warn', collected: '', at_center: 'ok', handed_over: 'ok', lost: 'bad' };

export function Upstream({ stationId, couriers, version }: { stationId: string; couriers: Courier[] | undefined; version: number }) {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const { api } = useSession();
  const [pages, setPages] = useState(0);
  const today = f.localDate();
  const list = useAsync(
    async (signal) => {
      const items: ParcelSummary[] = [];
      let cursor: string | undefined;
      let next: string | null = null;
      for (let i = 0; i <= pages; i++) {
        const page = await api.get<ParcelPage>('intake', '/parcels', { query: { stationId, direction: 'upstream', from: dayStart(today), limit: PAGE, cursor }, signal });
        items.push(...page.items);
        next = page.nextCursor;
        if (!next) break;
        cursor = next;
      }
      // newest first: what was just booked is on top
      return { items: items.reverse(), next };
    },
    [stationId, today, pages, version],
    REFRESH_MS,
  );
  const courierName = (id: string) => couriers?.find((c) => c.id === id)?.name ?? id;
  const items = list.data?.items ?? [];
  return (
    <Card title={t('upstream')} actions={list.data ? <span class="badge">{items.length}{list.data.next ? '+' : ''}</span> : null}>
      <p class="muted small">{t('upstreamHint')}</p>
      <ErrorNote error={list.error} onRetry={list.reload} />
      {!list.data ? (
        list.error ? null : <Loading />
      ) : items.length === 0 ? (
        <p class="muted">{t('noUpstream')}</p>
      ) : (
        <ul class="st-list" data-testid="upstream-today">
          {items.map((p) => (
            <li key={p.parcelId} class="st-item" data-testid="upstream-parcel" data-waybill={p.waybill}>
              <div class="st-item-main static">
                <span class="st-item-text">
                  <span class="st-waybill">{p.waybill}</span>
                  <span class="muted small">
                    {courierName(p.courierId)} · {f.time(p.createdAt)}
                  </span>
                </span>
                <span class={`badge ${tone[p.state] ?? ''}`} data-testid="upstream-state">
                  {term(tt, p.state)}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      {list.data?.next ? (
        <button type="button" class="secondary st-more" onClick={() => setPages(pages + 1)}>
          {t('more')}
        </button>
      ) : null}
    </Card>
  );
}
