/**
 * A pickup of produce booked at the station (intake `POST /bookings`: courierId, product, coldChainProfileId?,
 * weightKg, count, readyAt?; stationId for center staff, a station key's own otherwise): the API's field errors
 * next to the fields, the booking made shown with its waybill and a link to print its trace label.
 */
import { useState } from 'preact/hooks';
import { Card, Field, FormError, useAsync } from '../../components';
import { formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { term, terms, type Courier, type ParcelView } from '../parcels-terms';
import { m, uuid } from './messages';

// The station is the page's, not a field: its error (an unknown station) is shown above the button.
const FIELDS = ['courierId', 'product', 'coldChainProfileId', 'weightKg', 'count', 'readyAt'] as const;

interface Form {
  courierId: string;
  product: string;
  coldChainProfileId: string;
  weightKg: string;
  count: string;
  readyAt: string;
}
const EMPTY: Form = { courierId: '', product: '', coldChainProfileId: '', weightKg: '', count: '1', readyAt: '' };

/** A number as typed, or the text itself when it is none, so the API names what is wrong with it. */
const numeric = (text: string): number | string | undefined => (text.trim() === '' ? undefined : Number.isFinite(Number(text)) ? Number(text) : text);

export function Booking({ stationId, couriers, onBooked }: { stationId: string; couriers: Courier[] | undefined; onBooked: () => void }) {
  const t = useT(m);
  const tt = useT(terms);
  const { lang } = useLang();
  const f = formats(lang);
  const { api, principal } = useSession();
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<ParcelView | null>(null);
  // The profiles' ids where this key may read them (center staff); a station key types one.
  const profiles = useAsync(
    (signal) => (principal.role === 'admin' || principal.role === 'operator' ? api.get<{ items: { id: string; nameZh?: string; name: string }[] }>('coldchain', '/coldchain/profiles', { signal }) : Promise.resolve({ items: [] })),
    [],
  );
  const set = (field: keyof Form) => (e: Event) => setForm({ ...form, [field]: (e.target as HTMLInputElement).value });

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const body = {
      ...(form.courierId ? { courierId: form.courierId } : {}),
      ...(principal.role === 'station' ? {} : { stationId }),
      product: form.product.trim(),
      ...(form.coldChainProfileId.trim() ? { coldChainProfileId: form.coldChainProfileId.trim() } : {}),
      weightKg: numeric(form.weightKg),
      count: numeric(form.count),
      // datetime-local is the county's wall clock (Asia/Shanghai, +08:00 all year)
      ...(form.readyAt ? { readyAt: `${form.readyAt.length === 16 ? `${form.readyAt}:00` : form.readyAt}+08:00` } : {}),
    };
    try {
      const parcel = await api.post<ParcelView>('intake', '/bookings', body, { headers: { 'idempotency-key': uuid() } });
      setMade(parcel);
      setForm({ ...EMPTY, courierId: form.courierId });
      onBooked();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const contract = made?.contract as { product?: string; weightKg?: number; count?: number } | undefined;
  return (
    <Card title={t('booking')}>
      {made ? (
        <div class="st-booked" data-testid="booked" role="status">
          <p class="st-booked-title">
            {t('booked')} <span data-testid="booked-waybill">{made.waybill}</span>
          </p>
          <p class="muted small">
            {contract?.product} · {f.number(contract?.weightKg ?? null, 1)} kg × {contract?.count ?? '—'} · {term(tt, made.state)}
          </p>
          <div class="st-buttons two">
            <a class="st-btn button-link" href="#/labels">
              {t('printLabel')}
            </a>
            <button type="button" class="st-btn secondary" onClick={() => setMade(null)}>
              {t('bookAnother')}
            </button>
          </div>
        </div>
      ) : null}
      <form class="st-form" onSubmit={submit} noValidate data-testid="booking-form" hidden={made !== null}>
        <p class="muted small">{t('bookingHint')}</p>
        <Field label={t('courier')} name="courierId" error={error}>
          <select name="courierId" value={form.courierId} onChange={set('courierId')}>
            <option value="">{t('chooseCourier')}</option>
            {(couriers ?? []).filter((c) => c.active).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('product')} name="product" error={error}>
          <input name="product" value={form.product} placeholder={t('productPlaceholder')} maxLength={100} onInput={set('product')} />
        </Field>
        <div class="st-pair">
          <Field label={t('weight')} name="weightKg" error={error}>
            <input name="weightKg" inputMode="decimal" value={form.weightKg} onInput={set('weightKg')} />
          </Field>
          <Field label={t('count')} name="count" error={error}>
            <input name="count" inputMode="numeric" value={form.count} onInput={set('count')} />
          </Field>
        </div>
        <Field label={t('profile')} name="coldChainProfileId" error={error}>
          <input name="coldChainProfileId" list="st-profiles" value={form.coldChainProfileId} placeholder={t('profileHint')} autoComplete="off" onInput={set('coldChainProfileId')} />
          <datalist id="st-profiles">
            {(profiles.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {lang === 'en' ? p.name : p.nameZh ?? p.name}
              </option>
            ))}
          </datalist>
        </Field>
        <Field label={t('readyAt')} name="readyAt" error={error}>
          <input name="readyAt" type="datetime-local" value={form.readyAt} onInput={set('readyAt')} />
        </Field>
        <FormError error={error} fields={FIELDS} />
        <button type="submit" class="st-btn st-submit" disabled={busy}>
          {t('book')}
        </button>
      </form>
    </Card>
  );
}
