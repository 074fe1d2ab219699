/** JSON over HTTP with an API key, as the actors' handhelds and desks call the services. */
import { sleep } from './time.js';

export interface Answer<T> {
  status: number;
  body: T;
}

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${url} answered ${status}: ${JSON.stringify(body).slice(0, 600)}`);
  }
}

/**
 * One call; a network error, 429 or 5xx is retried with backoff (a handheld keeps its queue), up to `attempts`.
 * Any other status is answered as is.
 */
export async function call<T = any>(method: string, url: string, key: string | undefined, body?: unknown, { attempts = 8, signal }: { attempts?: number; signal?: AbortSignal } = {}): Promise<Answer<T>> {
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    signal?.throwIfAborted();
    try {
      const res = await fetch(url, {
        method,
        headers: { ...(key ? { 'x-api-key': key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      if (res.status === 429 || res.status >= 500) {
        last = new HttpError(method, url, res.status, parsed);
        await sleep(200 * 2 ** Math.min(attempt, 5), signal);
        continue;
      }
      return { status: res.status, body: parsed as T };
    } catch (err) {
      if (signal?.aborted) throw err;
      last = err;
      await sleep(200 * 2 ** Math.min(attempt, 5), signal);
    }
  }
  throw last instanceof Error ? last : new Error(String(last));
}

/** A call that must answer one of `ok` (default 200/201). */
export async function must<T = any>(method: string, url: string, key: string | undefined, body?: unknown, ok: number[] = [200, 201], signal?: AbortSignal): Promise<T> {
  const answer = await call<T>(method, url, key, body, signal ? { signal } : {});
  if (!ok.includes(answer.status)) throw new HttpError(method, url, answer.status, answer.body);
  return answer.body;
}

/** Polls `probe` (real time) until it returns a value, or fails naming `what`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, { timeoutMs = 120_000, intervalMs = 250, signal }: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      if (err instanceof HttpError) throw err;
      lastError = err;
    }
    await sleep(intervalMs, signal);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s${lastError ? ` (${String(lastError)})` : ''}`);
}
