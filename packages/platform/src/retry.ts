export interface RetryOptions {
  signal: AbortSignal;
  /** Called on every failure; the first is usually worth a warning, the rest are noise. */
  onError?: (err: Error, attempt: number) => void;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Retries `fn` with exponential backoff, without limit, until it succeeds or the signal aborts
 * (then it rejects with the abort reason). For outages: an unreachable server is waited for, never
 * given up on (docs/architecture.md §3 "Poison versus outage").
 */
export async function retryUntil<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { signal, onError, initialDelayMs = 500, maxDelayMs = 15_000 } = options;
  for (let attempt = 0; ; attempt++) {
    signal.throwIfAborted();
    try {
      return await fn();
    } catch (err) {
      signal.throwIfAborted();
      onError?.(err instanceof Error ? err : new Error(String(err)), attempt);
      await sleep(Math.min(initialDelayMs * 2 ** attempt, maxDelayMs), signal);
    }
  }
}

/** Waits `ms`, or rejects with the abort reason as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
