/**
 * Parcel look-up (`#/parcels`): by a courier's waybill (intake `GET /parcels/by-waybill/:courierId/:waybill`) or by
 * parcel id (`GET /parcels/:parcelId`), with intake's timeline, the SLA view (sla `GET /sla/parcels/:id`, center
 * staff only) and the cold-chain compliance record (coldchain `GET /coldchain/parcels/:id/compliance`) when the
 * parcel has one. A station or courier key sees what intake lets it see: another's parcel is "not found".
 * Addressable: `#/parcels?courier=ems&waybill=…` or `#/parcels?id=…`.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorNote, Field, FormError, Loading, useAsync } from '../components';
import { defineMessages, useT } from '../i18n';
import { useSession } from '../session';
import { ParcelDetail } from './parcels/detail';
import { hashQuery, loadMasterdata, setHashQuery, UUID, type ParcelView } from './parcels-terms';
import './parcels/parcels.css';

const m = defineMessages(
  {
    title: '包裹查询',
    courier: '快递公司',
    anyCourier: '（按包裹 ID 查询时不用选）',
    waybill: '运单号或包裹 ID',
    search: '查询',
    required: '请输入运单号或包裹 ID',
    courierRequired: '按运单号查询需选择快递公司',
    notFound: '没有找到包裹：{what}。请检查运单号和快递公司（当前密钥只能查到它有权查看的包裹）。',
    hint: '输入快递面单上的运单号并选择快递公司，或粘贴包裹 ID。',
  },
  {
    title: 'Parcel look-up',
    courier: 'Courier',
    anyCourier: '(not needed for a parcel id)',
    waybill: 'Waybill or parcel id',
    search: 'Look up',
    required: 'Enter a waybill number or a parcel id',
    courierRequired: 'Choose the courier to look a waybill up',
    notFound: 'No parcel found: {what}. Check the waybill and the courier (this key finds only the parcels it may see).',
    hint: 'Enter the waybill number from the courier’s label and choose the courier, or paste a parcel id.',
  },
);

interface Query {
  courierId: string;
  text: string;
}

const fieldError = (path: string, reason: string) => new ApiError(400, 'VALIDATION_FAILED', reason, [{ path, reason }], 'intake');

export default function Parcels() {
  const t = useT(m);
  const { api, principal } = useSession();
  const boundCourier = principal.role === 'courier' ? principal.courierId ?? '' : '';
  const initial = (): Query | null => {
    const q = hashQuery();
    const id = q.get('id');
    if (id) return { courierId: '', text: id };
    const waybill = q.get('waybill');
    return waybill ? { courierId: boundCourier || (q.get('courier') ?? ''), text: waybill } : null;
  };
  const [form, setForm] = useState<Query>(() => initial() ?? { courierId: boundCourier, text: '' });
  const [query, setQuery] = useState<Query | null>(initial);
  const [error, setError] = useState<unknown>(undefined);
  const [parcel, setParcel] = useState<ParcelView | null>(null);
  const [busy, setBusy] = useState(false);
  const master = useAsync((signal) => loadMasterdata(api, signal), []);

  useEffect(() => {
    if (!query) return;
    const controller = new AbortController();
    const text = query.text.trim();
    const byId = UUID.test(text);
    setBusy(true);
    setError(undefined);
    const request = byId
      ? api.get<ParcelView>('intake', `/parcels/${encodeURIComponent(text.toLowerCase())}`, { signal: controller.signal })
      : api.get<ParcelView>('intake', `/parcels/by-waybill/${encodeURIComponent(query.courierId)}/${encodeURIComponent(text)}`, { signal: controller.signal });
    request
      .then((p) => setParcel(p))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setParcel(null);
        setError(err);
      })
      .finally(() => !controller.signal.aborted && setBusy(false));
    return () => controller.abort();
  }, [query]);

  function submit(e: Event) {
    e.preventDefault();
    const text = form.text.trim();
    if (!text) return setError(fieldError('waybill', t('required')));
    if (!UUID.test(text) && !form.courierId) return setError(fieldError('courierId', t('courierRequired')));
    setHashQuery('parcels', UUID.test(text) ? { id: text } : { courier: form.courierId, waybill: text });
    setQuery({ ...form, text });
  }

  const notFound = error instanceof ApiError && error.status === 404;
  const what = query ? (UUID.test(query.text.trim()) ? query.text.trim() : `${query.courierId} ${query.text.trim()}`) : '';
  return (
    <div class="parcels">
      <h1>{t('title')}</h1>
      <form class="card" onSubmit={submit} noValidate data-testid="parcel-search">
        <div class="form-row">
          <Field label={t('courier')} name="courierId" error={error}>
            <select name="courierId" value={form.courierId} disabled={Boolean(boundCourier)} onChange={(e) => setForm({ ...form, courierId: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('anyCourier')}</option>
              {(master.data?.couriers ?? (boundCourier ? [{ id: boundCourier, name: boundCourier }] : [])).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('waybill')} name="waybill" error={error}>
            <input name="waybill" value={form.text} autoComplete="off" spellcheck={false} onInput={(e) => setForm({ ...form, text: (e.target as HTMLInputElement).value })} />
          </Field>
          <button type="submit" disabled={busy}>
            {t('search')}
          </button>
        </div>
        <p class="muted small">{t('hint')}</p>
        {notFound ? (
          <p class="note note-error" role="alert" data-testid="not-found">
            {t('notFound', { what })}
          </p>
        ) : (
          <FormError error={error} fields={['waybill', 'courierId', 'parcelId']} />
        )}
      </form>
      {busy ? <Loading /> : null}
      {parcel && !busy ? <ParcelDetail parcel={parcel} stations={master.data?.stations} couriers={master.data?.couriers} /> : null}
      {master.error ? <ErrorNote error={master.error} /> : null}
    </div>
  );
}

