import { randomUUID } from 'node:crypto';
import type { Issue } from '@county/contracts';

/**
 * What a consumer writes to `<topic>.dlq`: the original message untouched and why it was refused.
 * For a batch message, `failedIndexes` names the items that were refused (the rest were applied)
 * and `itemsPath` where they sit in the event's data, so a replay sends only those.
 */
export interface DeadLetter {
  id: string;
  kind: 'dead_letter';
  consumer: string;
  reason: string;
  issues: Issue[];
  failedIndexes?: number[];
  itemsPath?: string;
  attempts: number;
  deadLetteredAt: string;
  original: {
    topic: string;
    partition: number;
    offset: string;
    key: string | null;
    value: string | null;
    headers: Record<string, string>;
    timestamp: string;
  };
}

export type OriginalMessage = DeadLetter['original'];

export function deadLetter(fields: Omit<DeadLetter, 'id' | 'kind' | 'deadLetteredAt'>, now = new Date()): DeadLetter {
  return { id: randomUUID(), kind: 'dead_letter', deadLetteredAt: now.toISOString(), ...fields };
}

export function summarise(issues: Issue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.reason}` : i.reason))
    .join('; ');
}
