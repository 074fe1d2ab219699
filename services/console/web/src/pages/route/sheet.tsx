/**
 * A route sheet as the driver works it (`GET /dispatch/routes/:routeId/sheet`): the route's state with its
 * departure and return, the loading order before it leaves, and its stops in driving order — station, ETA, what to
 * hand over and collect (waybills folded away) — each with its arrival, hand-over, pickup and "station closed"
 * buttons. What the route's state does not allow is disabled; every answer reads the sheet again. The current stop
 * stays in view (sticky) while the driver scrolls the others.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorNote, Loading, useAsync } from '../../components';
import { formats, useLang, useT, type T as Translate } from '../../i18n';
import { useSession } from '../../session';
import { retryable, useFieldAction, type FieldAction } from './action';
import { m } from './messages';
import { currentStop, toCollect, toHandOver, type RouteSheet, type SheetParcel, type SheetStop, type Station } from './types';

type T = Translate<keyof (typeof m)['en']>;

/** A big button with, beside it, the API's refusal or the note that the service did not answer (and a retry). */
function ActionButton({ action, label, enabled, testId, kind = 'primary', confirm }: { action: FieldAction; label: string; enabled: boolean; testId: string; kind?: 'primary' | 'secondary'; confirm?: string }) {
  const t = useT(m);
  const waiting = action.pending !== null && retryable(action.error);
  const press = () => {
    if (confirm && !waiting && !window.confirm(confirm)) return;
    void action.run();
  };
  return (
    <div class="action" data-testid={testId}>
      <button type="button" class={kind === 'secondary' ? 'big secondary' : 'big'} disabled={!(enabled || waiting) || action.busy} onClick={press} data-pending={waiting ? 'true' : undefined}>
        {label}
      </button>
      {waiting ? (
        <>
          <ErrorNote error={action.error} />
          <p class="muted small">{t('retryNote')}</p>
        </>
      ) : action.error ? (
        <p class="field-error" role="alert" data-testid="refusal">
          {action.error instanceof Error ? action.error.message : String(action.error)}
        </p>
      ) : null}
    </div>
  );
}

/** A folded list whose rows are only drawn once it is opened (a truck's stop can carry hundreds of parcels). */
function Folded({ summary, children, open: initially = false, class: cls }: { summary: ComponentChildren; children: () => ComponentChildren; open?: boolean; class?: string }) {
  const [open, setOpen] = useState(initially);
  return (
    <details class={cls} open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{summary}</summary>
      {open ? children() : null}
    </details>
  );
}

function ParcelList({ parcels, t }: { parcels: SheetParcel[]; t: T }) {
  return (
    <ul class="parcel-list">
      {parcels.map((p) => (
        <li key={p.parcelId} data-testid="parcel" data-parcel-id={p.parcelId}>
          <span class="waybill">{p.waybill ?? p.parcelId.slice(0, 8)}</span>
          <span class={`badge ${p.status === 'handed_over' || p.status === 'collected' ? 'ok' : p.status === 'exception' || p.status === 'undelivered' ? 'bad' : ''}`}>{t(`parcel_${p.status}`)}</span>
          <span class="parcel-meta muted">
            {p.courierId}
            {p.recipient ? ` · ${p.recipient.name} ${p.recipient.phone}` : ''}
            {p.compartment === 'refrigerated' ? ` · ${t('compartment_refrigerated')}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Stop({ sheet, stop, name, current, onDone }: { sheet: RouteSheet; stop: SheetStop; name: string; current: boolean; onDone: () => void }) {
  const { api } = useSession();
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const base = `/stops/${stop.sequence}`;
  const arrival = useFieldAction(api, sheet.routeId, `arrival:${stop.sequence}`, `${base}/arrival`, {}, onDone);
  const handover = useFieldAction(api, sheet.routeId, `handover:${stop.sequence}`, `${base}/handover`, {}, onDone);
  const pickups = useFieldAction(api, sheet.routeId, `pickups:${stop.sequence}`, `${base}/pickups`, {}, onDone);
  const closed = useFieldAction(api, sheet.routeId, `closed:${stop.sequence}`, `${base}/exceptions`, { kind: 'station_closed' }, onDone);
  const onRoad = sheet.status === 'departed';
  const give = toHandOver(stop);
  const take = toCollect(stop);
  const closure = stop.exceptions.find((e) => e.kind === 'station_closed');
  const done = stop.arrivedAt !== null && give.length === 0 && take.length === 0;
  // The current stop's buttons stand out; a later stop's stay quieter (a driver may still report out of order).
  const kind = current ? 'primary' : 'secondary';
  const cls = ['stop', current ? 'current' : '', done || closure ? 'done' : ''].filter(Boolean).join(' ');
  return (
    <li class={cls} data-testid="stop" data-sequence={stop.sequence} data-station-id={stop.stationId} data-current={current ? 'true' : undefined} aria-current={current ? 'step' : undefined}>
      <div class="stop-head">
        <div>
          {current ? <div class="current-label">{t('current')}</div> : null}
          <span class="muted small">{t('stop', { n: stop.sequence })}</span>
          <h3 class="stop-name">{name}</h3>
        </div>
        <div class="stop-time">
          <span>{t('eta', { time: f.time(stop.plannedArrival) })}</span>
          {stop.arrivedAt ? (
            <span class="badge ok" data-testid="arrived">
              {t('arrivedAt', { time: f.time(stop.arrivedAt) })}
            </span>
          ) : null}
        </div>
      </div>
      <div class="counts">
        {stop.unload.length > 0 ? (
          <span data-testid="unload-count">
            {t('unload')} <strong>{give.length > 0 ? t('left', { left: give.length, total: stop.unload.length }) : t('done')}</strong>
          </span>
        ) : null}
        {stop.collect.length > 0 ? (
          <span data-testid="collect-count">
            {t('collect')} <strong>{take.length > 0 ? t('left', { left: take.length, total: stop.collect.length }) : t('done')}</strong>
          </span>
        ) : null}
      </div>
      {closure ? <p class="badge bad">{t('stationClosed', { time: f.time(closure.occurredAt) })}</p> : null}
      {stop.exceptions
        .filter((e) => e.kind !== 'station_closed')
        .map((e) => (
          <p key={`${e.kind}-${e.occurredAt}`} class="badge bad">
            {t(`exception_${e.kind as 'damaged' | 'refused'}`, { n: e.parcelIds.length })}
          </p>
        ))}
      {onRoad && !(done || closure) ? (
        <div class="actions">
          <ActionButton action={arrival} testId="arrival" label={t('arrive')} enabled={onRoad && stop.arrivedAt === null} kind={kind} />
          {stop.unload.length > 0 ? <ActionButton action={handover} testId="handover" label={give.length > 0 ? t('handover', { n: give.length }) : t('handoverNone')} enabled={onRoad && give.length > 0} kind={kind} /> : null}
          {stop.collect.length > 0 ? <ActionButton action={pickups} testId="pickups" label={take.length > 0 ? t('pickup', { n: take.length }) : t('pickupNone')} enabled={onRoad && take.length > 0} kind={kind} /> : null}
          {onRoad && !closure && (give.length > 0 || take.length > 0) ? (
            <ActionButton action={closed} testId="station-closed" kind="secondary" label={t('closed')} enabled confirm={t('confirmClosed', { station: name })} />
          ) : null}
        </div>
      ) : null}
      {stop.unload.length > 0 ? (
        <Folded summary={`${t('unload')} · ${t('waybills', { n: stop.unload.length })}`}>{() => <ParcelList parcels={stop.unload} t={t} />}</Folded>
      ) : null}
      {stop.collect.length > 0 ? (
        <Folded summary={`${t('collect')} · ${t('waybills', { n: stop.collect.length })}`}>{() => <ParcelList parcels={stop.collect} t={t} />}</Folded>
      ) : null}
    </li>
  );
}

export function SheetView({ routeId, stations, onChanged }: { routeId: string; stations: Map<string, Station>; onChanged: () => void }) {
  const { api } = useSession();
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const sheet = useAsync((signal) => api.get<RouteSheet>('dispatch', `/dispatch/routes/${encodeURIComponent(routeId)}/sheet`, { signal }), [routeId], 60_000);
  const done = () => {
    sheet.reload();
    onChanged();
  };
  const departure = useFieldAction(api, routeId, 'departure', '/departure', {}, done);
  const back = useFieldAction(api, routeId, 'return', '/return', {}, done);
  const name = (id: string) => stations.get(id)?.name ?? id;

  const s = sheet.data;
  if (!s) return sheet.error ? <ErrorNote error={sheet.error} onRetry={sheet.reload} /> : <Loading />;
  const current = currentStop(s);
  const cold = s.compartments.flatMap((c) => c.coldChainProfileIds);
  return (
    <section class="sheet" data-testid="sheet" data-route-id={s.routeId} data-status={s.status}>
      <div class="card sheet-head">
        <div class="sheet-title">
          <h2>{s.routeId}</h2>
          <span class={`badge ${s.status === 'departed' ? 'warn' : s.status === 'returned' ? 'ok' : s.status === 'cancelled' ? 'bad' : ''}`} data-testid="route-status">
            {t(`status_${s.status}`)}
          </span>
        </div>
        <p class="muted small">
          {t('vehicle', { vehicle: s.vehicleId })} · {t('wave', { wave: s.waveId })} · {s.date} · {t('plannedWindow', { from: f.time(s.plannedDeparture), to: f.time(s.plannedReturn) })} ·{' '}
          {t('distance', { km: f.number(s.distanceKm, 1), minutes: f.number(s.durationMinutes) })}
          {cold.length > 0 ? ` · ${t('cold', { profiles: cold.join(', ') })}` : ''}
        </p>
        {s.departedAt ? <p class="small">{t('departedAt', { time: f.dateTime(s.departedAt) })}</p> : null}
        {s.returnedAt ? <p class="small">{t('returnedAt', { time: f.dateTime(s.returnedAt) })}</p> : null}
        {s.cancelledAt ? <p class="small bad">{t('cancelledAt', { time: f.dateTime(s.cancelledAt) })}</p> : null}
        {s.status === 'confirmed' || s.status === 'departed' ? (
          <div class="actions">
            <ActionButton action={departure} testId="departure" label={t('depart')} enabled={s.status === 'confirmed'} />
            <ActionButton
              action={back}
              testId="return"
              label={t('return')}
              enabled={s.status === 'departed'}
              kind={current ? 'secondary' : 'primary'}
              {...(current ? { confirm: t('confirmReturn') } : {})}
            />
          </div>
        ) : null}
        <ErrorNote error={sheet.error} onRetry={sheet.reload} />
      </div>
      {s.status === 'confirmed' ? <p class="note">{t('notDeparted')}</p> : null}
      {s.status === 'departed' && !current ? <p class="note note-ok" data-testid="all-done">{t('allDone')}</p> : null}
      {s.loadingOrder.length > 0 ? (
        <Folded key={s.status} class="card loading-order" open={s.status === 'confirmed'} summary={t('loadingOrder')}>
          {() => (
            <ol>
              {s.loadingOrder.map((l) => (
                <li key={l.step}>
                  {t('loadingStep', { step: l.step, stop: l.stopSequence, station: name(l.stationId), compartment: t(`compartment_${l.compartment}`), n: l.parcels.length })}
                </li>
              ))}
            </ol>
          )}
        </Folded>
      ) : null}
      <ol class="stops">
        {s.stops.map((stop) => (
          <Stop key={stop.sequence} sheet={s} stop={stop} name={name(stop.stationId)} current={current?.sequence === stop.sequence} onDone={done} />
        ))}
      </ol>
    </section>
  );
}
