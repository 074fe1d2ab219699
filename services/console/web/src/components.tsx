/**
 * What every page shares: loading data with its error, the message for a service that does not answer, a form
 * field with the API's error for it, and small layout pieces. Styles are in styles.css (phone width first).
 */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { defineMessages, useT } from './i18n';

const m = defineMessages(
  {
    unavailable: '{service} 服务暂时无法访问，请稍后重试。已显示的数据可能不是最新的。',
    forbidden: '当前密钥的角色无权进行此操作。',
    failed: '请求失败：{message}',
    loading: '加载中…',
    retry: '重试',
    empty: '暂无数据',
  },
  {
    unavailable: 'The {service} service is not answering; try again shortly. What is shown may be out of date.',
    forbidden: 'This key’s role may not do this.',
    failed: 'The request failed: {message}',
    loading: 'Loading…',
    retry: 'Retry',
    empty: 'Nothing here yet',
  },
);

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and when `deps` change (and every `refreshMs` when given); keeps the last data on an error. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], refreshMs?: number): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    loadRef
      .current(controller.signal)
      .then((value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    const timer = refreshMs ? setTimeout(() => setTick((n) => n + 1), refreshMs) : undefined;
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** An error as a user reads it: a service down, a refusal, or the API's message. Nothing when there is none. */
export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT(m);
  if (!error) return null;
  let text: string;
  if (error instanceof ApiError && error.unavailable) text = t('unavailable', { service: error.service });
  else if (error instanceof ApiError && error.status === 403) text = t('forbidden');
  else text = t('failed', { message: error instanceof Error ? error.message : String(error) });
  const unavailable = error instanceof ApiError && error.unavailable;
  return (
    <div class={unavailable ? 'note note-unavailable' : 'note note-error'} role="alert" data-testid={unavailable ? 'service-unavailable' : 'error'}>
      <span>{text}</span>
      {onRetry ? (
        <button type="button" class="link" onClick={onRetry}>
          {t('retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Loading() {
  const t = useT(m);
  return (
    <p class="muted" data-loading="">
      {t('loading')}
    </p>
  );
}

export function Empty() {
  const t = useT(m);
  return <p class="muted">{t('empty')}</p>;
}

/**
 * A labelled form field with the API's reason for it, when the last request refused it: `name` is the field's
 * name in the request (`budgetSeconds` matches `body.budgetSeconds`).
 */
export function Field({ label, name, error, children }: { label: string; name: string; error?: unknown; children: ComponentChildren }) {
  const reason = error instanceof ApiError ? error.fieldReason(name) : undefined;
  return (
    <label class={reason ? 'field field-invalid' : 'field'}>
      <span class="field-label">{label}</span>
      {children}
      {reason ? (
        <span class="field-error" role="alert" data-field={name}>
          {reason}
        </span>
      ) : null}
    </label>
  );
}

/** An API error that is not about any of `fields`: shown above the form. */
export function FormError({ error, fields }: { error: unknown; fields: readonly string[] }) {
  if (!error) return null;
  if (error instanceof ApiError && error.details.length > 0 && error.details.every((d) => fields.some((f) => d.path === f || d.path.endsWith(`.${f}`)))) return null;
  return <ErrorNote error={error} />;
}

export function Card({ title, children, actions }: { title?: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card">
      {title || actions ? (
        <header class="card-head">
          {title ? <h2>{title}</h2> : null}
          {actions ? <div class="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div class="stat">
      <div class="stat-value">{value}</div>
      <div class="stat-label">{label}</div>
      {hint ? <div class="stat-hint">{hint}</div> : null}
    </div>
  );
}
