import type { Envelope, Issue } from '@county/contracts';
import { RejectedError, type MessageMeta } from '@county/platform';

/**
 * A courier publishing to `courier.manifests` or `courier.bookings` speaks for itself only (docs/architecture.md
 * §3 "Access"): the message key, the envelope's source and the courier the data names must be one
 * courier (#8). Otherwise the event is refused whole, and the runner dead-letters it with the reason.
 * `does` says what the event does for its courier, for the reason ("announces parcels of").
 */
export function assertOneCourier(envelope: Envelope, courierId: string, message: MessageMeta, does: string): void {
  const issues: Issue[] = [];
  if (envelope.source !== courierId) issues.push({ path: 'data.courierId', reason: `must be the event's source ${envelope.source}` });
  if (message.key !== courierId) issues.push({ path: 'key', reason: `the message key must be the courier id ${courierId}, not ${message.key ?? 'absent'}` });
  if (issues.length === 0) return;
  throw new RejectedError(
    `the event comes from ${envelope.source} under the message key ${message.key ?? '(none)'} but ${does} courier ${courierId}; key, source and data.courierId must name one courier`,
    issues,
  );
}
