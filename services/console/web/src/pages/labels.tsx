/**
 * Trace labels (`#/labels`, admin, operator, station): the recent upstream parcels (intake `GET /parcels?direction=
 * upstream`, a station key its own), a selection, and their labels from the console (`POST /api/console/labels`
 * `{ parcelIds }` → `{ labels: [{ parcelId, code, url, svg }], errors? }`): QR code, waybill, product and origin
 * village, printable two to a row, each with a link to its public trace page `/t/<code>`.
 */
import { useState } from 'preact/hooks';
import { Card, ErrorNote, Field, FormError, Loading, useAsync } from '../components';
import { defineMessages, formats, useLang, useT } from '../i18n';
import { useSession } from '../session';
import { loadMasterdata, term, terms, upstreamStates, type ParcelPage, type ParcelSummary, type ParcelView } from './parcels-terms';
import './board/board.css';
import './labels/labels.css';

const PAGE = 50;

const m = defineMessages(
  {
    title: '溯源标签',
    state: '状态',
    any: '全部',
    list: '最近的上行包裹',
    waybill: '运单号',
    courier: '快递公司',
    origin: '始发村服务站',
    registered: '登记时间',
    selectAll: '全选',
    make: '生成标签（{n}）',
    more: '加载更多',
    none: '没有上行包裹。',
    sheet: '标签',
    print: '打印标签',
    open: '打开溯源页',
    failed: '{n} 个包裹未能生成标签：',
    product: '品名',
    village: '产地',
    hint: '选中包裹后生成标签；打印时只打印标签，每行两个。',
  },
  {
    title: 'Trace labels',
    state: 'State',
    any: 'Any',
    list: 'Recent upstream parcels',
    waybill: 'Waybill',
    courier: 'Courier',
    origin: 'Origin village station',
    registered: 'Registered',
    selectAll: 'Select all',
    make: 'Make labels ({n})',
    more: 'More',
    none: 'No upstream parcels.',
    sheet: 'Labels',
    print: 'Print the labels',
    open: 'Open the trace page',
    failed: '{n} parcels got no label:',
    product: 'Product',
    village: 'Origin',
    hint: 'Select parcels and make their labels; printing prints the labels only, two to a row.',
  },
);

/** One parcel's answer: its label (status 200) or why it has none (the platform's error shape). */
type LabelResult =
  | { parcelId: string; status: 200; code: string; url: string; svg: string }
  | { parcelId: string; status: number; error: { code: string; message: string; details: { path: string; reason: string }[] } };
type Label = Extract<LabelResult, { status: 200 }>;
type LabelError = Exclude<LabelResult, { status: 200 }>;
interface Made {
  labels: (Label & { parcel: ParcelSummary | undefined; product: string | null })[];
  errors: LabelError[];
}

export default function Labels() {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const { api } = useSession();
  const [state, setState] = useState('');
  const [pages, setPages] = useState<string[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [made, setMade] = useState<Made | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const master = useAsync((signal) => loadMasterdata(api, signal), []);
  const list = useAsync(
    async (signal) => {
      const items: ParcelSummary[] = [];
      let cursor: string | undefined;
      let next: string | null = null;
      for (let i = 0; i <= pages.length; i++) {
        const page = await api.get<ParcelPage>('intake', '/parcels', { query: { direction: 'upstream', state: state || undefined, limit: PAGE, cursor }, signal });
        items.push(...page.items);
        next = page.nextCursor;
        if (!next) break;
        cursor = next;
      }
      return { items, next };
    },
    [state, pages.length],
  );
  const stations = master.data?.stations;
  const stationName = (id: string | null) => (id ? stations?.get(id)?.name ?? id : '—');
  const items = list.data?.items ?? [];
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  async function make() {
    setBusy(true);
    setError(undefined);
    try {
      const parcelIds = [...selected];
      const answer = await api.post<{ labels: LabelResult[] }>('console', '/labels', { parcelIds });
      const labels = answer.labels.filter((l): l is Label => l.status === 200 && 'svg' in l);
      const errors = answer.labels.filter((l): l is LabelError => l.status !== 200);
      const byId = new Map(items.map((p) => [p.parcelId, p]));
      // The product is in the parcel's contract (intake): not in the list's summaries.
      const views = await Promise.all(labels.map((l) => api.get<ParcelView>('intake', `/parcels/${l.parcelId}`).catch(() => undefined)));
      setMade({
        labels: labels.map((l, i) => {
          const product = views[i]?.contract.product;
          return { ...l, parcel: byId.get(l.parcelId) ?? views[i], product: typeof product === 'string' ? product : null };
        }),
        errors,
      });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="labels-page">
      <h1 class="no-print">{t('title')}</h1>
      <div class="no-print">
        <Card
          title={t('list')}
          actions={
            <>
            <button type="button" disabled={busy || selected.size === 0} onClick={() => void make()}>
              {t('make', { n: selected.size })}
            </button>
            <label class="inline-field">
              <span>{t('state')}</span>
              <select name="state" value={state} onChange={(e) => (setState((e.target as HTMLSelectElement).value), setPages([]), setSelected(new Set()))}>
                <option value="">{t('any')}</option>
                {upstreamStates.map((s) => (
                  <option key={s} value={s}>
                    {term(tt, s)}
                  </option>
                ))}
              </select>
            </label>
            </>
          }
        >
          <p class="muted small">{t('hint')}</p>
          <ErrorNote error={list.error ?? master.error} onRetry={list.reload} />
          {!list.data ? (
            list.error ? null : <Loading />
          ) : items.length === 0 ? (
            <p class="muted">{t('none')}</p>
          ) : (
            <>
              <div class="table-wrap">
                <table data-testid="upstream-parcels">
                  <thead>
                    <tr>
                      <th class="check">
                        <input
                          type="checkbox"
                          aria-label={t('selectAll')}
                          checked={items.length > 0 && items.every((p) => selected.has(p.parcelId))}
                          onChange={(e) => setSelected((e.target as HTMLInputElement).checked ? new Set(items.map((p) => p.parcelId)) : new Set())}
                        />
                      </th>
                      <th>{t('waybill')}</th>
                      <th>{t('courier')}</th>
                      <th>{t('origin')}</th>
                      <th>{t('state')}</th>
                      <th>{t('registered')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((p) => (
                      <tr key={p.parcelId}>
                        <td class="check">
                          <input type="checkbox" aria-label={p.waybill} checked={selected.has(p.parcelId)} onChange={() => toggle(p.parcelId)} />
                        </td>
                        <td>{p.waybill}</td>
                        <td>{p.courierId}</td>
                        <td>{stationName(p.originStationId)}</td>
                        <td>{term(tt, p.state)}</td>
                        <td>{f.dateTime(p.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div class="label-actions" style={{ marginTop: '0.75rem' }}>
                {list.data.next ? (
                  <button type="button" class="secondary" onClick={() => setPages([...pages, list.data!.next!])}>
                    {t('more')}
                  </button>
                ) : null}
              </div>
              <FormError error={error} fields={[]} />
            </>
          )}
        </Card>
      </div>
      {made ? <Sheet made={made} stationName={stationName} waybillOf={(id) => items.find((p) => p.parcelId === id)?.waybill ?? id} /> : null}
    </div>
  );
}

function Sheet({ made, stationName, waybillOf }: { made: Made; stationName: (id: string | null) => string; waybillOf: (parcelId: string) => string }) {
  const t = useT(m);
  const byWaybill = waybillOf;
  return (
    <Card
      title={t('sheet')}
      actions={
        <button type="button" class="no-print" onClick={() => print()}>
          {t('print')}
        </button>
      }
    >
      {made.errors.length ? (
        <div class="note note-error no-print" role="alert">
          <span>
            {t('failed', { n: made.errors.length })} {made.errors.map((e) => `${byWaybill(e.parcelId)}: ${e.error.message}`).join('; ')}
          </span>
        </div>
      ) : null}
      <div class="label-sheet" data-testid="label-sheet">
        {made.labels.map((l) => (
          <div class="trace-label" key={l.parcelId} data-testid="trace-label">
            {/* The console draws the QR code (qrcode, SVG) from the label's own url: markup from our own service. */}
            <div class="qr" dangerouslySetInnerHTML={{ __html: l.svg }} />
            <div class="text">
              <div class="product">{l.product ?? '—'}</div>
              <div>
                {t('village')}: {stationName(l.parcel?.originStationId ?? null)}
              </div>
              <div>{l.parcel?.waybill ?? ''}</div>
              <a class="code" href={l.url} target="_blank" rel="noopener" title={t('open')}>
                /t/{l.code}
              </a>
            </div>
          </div>
        ))}
      </div>
    </Card>
  );
}
