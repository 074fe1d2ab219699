import { randomUUID } from 'node:crypto';
import { cleanText, type DeadLetter, type Issue } from '@county/contracts';

/** What a consumer writes to `<topic>.dlq`: the schema is in contracts, published in AsyncAPI. */
export type { DeadLetter };

export type OriginalMessage = DeadLetter['original'];

/** A dead letter; its reasons may quote the bad input (an unknown key), so they are made storable. */
export function deadLetter(fields: Omit<DeadLetter, 'id' | 'kind' | 'deadLetteredAt'>, now: Date): DeadLetter {
  return {
    id: randomUUID(),
    kind: 'dead_letter',
    deadLetteredAt: now.toISOString(),
    ...fields,
    reason: cleanText(fields.reason),
    issues: fields.issues.map((i) => ({ path: cleanText(i.path), reason: cleanText(i.reason) })),
  };
}

export function summarise(issues: Issue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.reason}` : i.reason))
    .join('; ');
}
