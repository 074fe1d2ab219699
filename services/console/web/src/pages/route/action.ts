/**
 * One field event as the handheld sends it: `POST /dispatch/routes/:routeId/<what>` with the handheld's own
 * `eventId` and `occurredAt` (services/dispatch README, "Events: one call each, retried safely"). While the service
 * does not answer, the report waits with its id and time (kept for the browser session), and the next press sends
 * the very same report: dispatch treats a repeated `eventId` on a route as one event and answers it again, so a
 * report that did arrive before the answer was lost is not applied twice. A refusal (409 out of order, 403
 * another vehicle's route, …) is final: nothing was stored, and the next press is a new report.
 */
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../../api';

export interface PendingReport {
  eventId: string;
  occurredAt: string;
}

export interface FieldAction {
  run: () => Promise<void>;
  busy: boolean;
  error: unknown;
  /** A report waiting to be sent again (the service did not answer). */
  pending: PendingReport | null;
}

/** A UUID v4; `crypto.randomUUID` exists only on secure origins, and a phone may open the console over plain http. */
export function newEventId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const storageKey = (routeId: string, key: string) => `console.route.pending.${routeId}.${key}`;

function readPending(routeId: string, key: string): PendingReport | null {
  try {
    const raw = sessionStorage.getItem(storageKey(routeId, key));
    return raw ? (JSON.parse(raw) as PendingReport) : null;
  } catch {
    return null;
  }
}

function writePending(routeId: string, key: string, report: PendingReport | null): void {
  if (report) sessionStorage.setItem(storageKey(routeId, key), JSON.stringify(report));
  else sessionStorage.removeItem(storageKey(routeId, key));
}

/** Not an answer about the report: the proxy's 503, a gateway error, no network. Send it again as it was. */
export const retryable = (error: unknown) => error instanceof ApiError && (error.unavailable || error.status >= 500);

/**
 * `key` names the action on the route (`departure`, `handover:2`, …); `path` is under the route; `extra` goes in the
 * body beside `eventId` and `occurredAt`; `onDone` runs after an answer (the page reads the sheet again).
 */
export function useFieldAction(api: Api, routeId: string, key: string, path: string, extra: Record<string, unknown>, onDone: () => void): FieldAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [pending, setPending] = useState<PendingReport | null>(() => readPending(routeId, key));
  async function run() {
    if (busy) return;
    const report = pending ?? readPending(routeId, key) ?? { eventId: newEventId(), occurredAt: new Date().toISOString() };
    writePending(routeId, key, report);
    setPending(report);
    setBusy(true);
    try {
      await api.post('dispatch', `/dispatch/routes/${encodeURIComponent(routeId)}${path}`, { ...report, ...extra });
      writePending(routeId, key, null);
      setPending(null);
      setError(undefined);
      onDone();
    } catch (err) {
      if (!retryable(err)) {
        writePending(routeId, key, null);
        setPending(null);
        onDone();
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, error, pending };
}
