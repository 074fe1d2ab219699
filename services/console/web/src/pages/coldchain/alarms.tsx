/**
 * Alarms (`GET /coldchain/alarms`, newest first) filtered by state and severity, a page at a time; each open one
 * can be acknowledged (who comes from the key) with a comment, or cleared by hand with a comment saying why.
 */
import { useState } from 'preact/hooks';
import { ErrorNote, Field, FormError, Loading, useAsync } from '../../components';
import { formats, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { m } from './messages';
import type { Alarm, Severity } from './types';

type StateFilter = '' | Alarm['state'];
type SeverityFilter = '' | Severity;
const PAGE = 25;

export function Alarms({ containerId, refreshMs, onChanged }: { containerId?: string; refreshMs: number; onChanged: () => void }) {
  const { api, principal } = useSession();
  const t = useT(m);
  const [state, setState] = useState<StateFilter>('active');
  const [severity, setSeverity] = useState<SeverityFilter>('');
  const [pages, setPages] = useState<string[]>([]);
  const first = useAsync(
    (signal) => api.get<{ alarms: Alarm[]; next: string | null }>('coldchain', '/coldchain/alarms', { signal, query: { state, severity, containerId, limit: PAGE } }),
    [state, severity, containerId],
    refreshMs,
  );
  const [more, setMore] = useState<Alarm[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const cursor = pages.length > 0 ? next : (first.data?.next ?? null);
  const canAct = principal.role === 'admin' || principal.role === 'operator';

  const reset = () => {
    setPages([]);
    setMore([]);
    setNext(null);
  };
  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await api.get<{ alarms: Alarm[]; next: string | null }>('coldchain', '/coldchain/alarms', { query: { state, severity, containerId, limit: PAGE, cursor } });
      setMore((list) => [...list, ...page.alarms]);
      setNext(page.next);
      setPages((p) => [...p, cursor]);
    } catch (err) {
      setMoreError(err);
    }
  };
  const seen = new Set<string>();
  const alarms = [...(first.data?.alarms ?? []), ...more].filter((a) => (seen.has(a.alarmId) ? false : (seen.add(a.alarmId), true)));

  return (
    <section class="card" data-testid="alarms">
      <header class="card-head">
        <h2>{t('alarms')}</h2>
        <div class="card-actions">
          <label class="inline-label">
            {t('filterState')}{' '}
            <select
              aria-label={t('filterState')}
              value={state}
              onChange={(e) => {
                setState(e.currentTarget.value as StateFilter);
                reset();
              }}
            >
              <option value="">{t('all')}</option>
              <option value="active">{t('alarmState_active')}</option>
              <option value="acknowledged">{t('alarmState_acknowledged')}</option>
              <option value="cleared">{t('alarmState_cleared')}</option>
            </select>
          </label>
          <label class="inline-label">
            {t('filterSeverity')}{' '}
            <select
              aria-label={t('filterSeverity')}
              value={severity}
              onChange={(e) => {
                setSeverity(e.currentTarget.value as SeverityFilter);
                reset();
              }}
            >
              <option value="">{t('all')}</option>
              {(['critical', 'major', 'minor', 'warning'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`severity_${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      <ErrorNote error={first.error} onRetry={first.reload} />
      {!first.data && !first.error ? <Loading /> : null}
      {first.data && alarms.length === 0 ? <p class="muted">{t('noAlarms')}</p> : null}
      <ul class="alarms">
        {alarms.map((alarm) => (
          <AlarmItem
            key={alarm.alarmId}
            alarm={alarm}
            canAct={canAct}
            onDone={() => {
              reset();
              first.reload();
              onChanged();
            }}
          />
        ))}
      </ul>
      <ErrorNote error={moreError} />
      {cursor ? (
        <button type="button" class="secondary" onClick={() => void loadMore()}>
          {t('more')}
        </button>
      ) : null}
    </section>
  );
}

function AlarmItem({ alarm, canAct, onDone }: { alarm: Alarm; canAct: boolean; onDone: () => void }) {
  const { api } = useSession();
  const t = useT(m);
  const { lang } = useLang();
  const f = formats(lang);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const act = async (action: 'acknowledge' | 'clear') => {
    setBusy(true);
    setError(undefined);
    try {
      const body = comment.trim() ? { comment: comment.trim() } : action === 'clear' ? { comment: '' } : {};
      await api.post('coldchain', `/coldchain/alarms/${encodeURIComponent(alarm.alarmId)}/${action}`, body);
      setComment('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const bad = alarm.severity === 'critical' || alarm.severity === 'major';
  return (
    <li class="alarm" data-testid="alarm" data-alarm-id={alarm.alarmId} data-state={alarm.state}>
      <div class="alarm-head">
        <span class={`badge ${bad ? 'bad' : 'warn'}`}>{t(`severity_${alarm.severity}`)}</span>
        <strong>{t(`alarmKind_${alarm.kind}`)}</strong>
        <span>{alarm.containerId}</span>
        <span class={`badge ${alarm.state === 'cleared' ? 'ok' : alarm.state === 'acknowledged' ? '' : 'bad'}`} data-testid="alarm-state">
          {t(`alarmState_${alarm.state}`)}
        </span>
        <span class="muted small">{f.dateTime(alarm.raisedAt)}</span>
      </div>
      <p class="small alarm-detail">{alarm.detail}</p>
      {alarm.acknowledged ? (
        <p class="small" data-testid="acknowledged-by">
          {t('acknowledgedBy', { by: alarm.acknowledged.by.keyId, role: alarm.acknowledged.by.role, at: f.dateTime(alarm.acknowledged.at) })}
          {alarm.acknowledged.comment ? ` — ${alarm.acknowledged.comment}` : ''}
        </p>
      ) : null}
      {alarm.cleared ? (
        <p class="small">
          {alarm.cleared.by ? t('clearedBy', { by: alarm.cleared.by.keyId, at: f.dateTime(alarm.cleared.at) }) : t('clearedByData', { at: f.dateTime(alarm.cleared.at) })}
          {alarm.cleared.comment ? ` — ${alarm.cleared.comment}` : ''}
        </p>
      ) : null}
      {canAct && alarm.state !== 'cleared' ? (
        <form
          class="form-row inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('acknowledge');
          }}
        >
          <Field label={t('comment')} name="comment" error={error}>
            <input value={comment} onInput={(e) => setComment(e.currentTarget.value)} maxLength={1000} />
          </Field>
          {alarm.state === 'active' ? (
            <button type="submit" disabled={busy}>
              {t('acknowledge')}
            </button>
          ) : null}
          <button type="button" class="secondary" disabled={busy} onClick={() => void act('clear')}>
            {t('clear')}
          </button>
          <div class="form-error">
            <FormError error={error} fields={['comment']} />
          </div>
        </form>
      ) : null}
    </li>
  );
}
