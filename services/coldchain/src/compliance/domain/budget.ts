import { unionLength } from './exposure.js';
import type { ExcursionSpan } from './record.js';

/**
 * A cold-chain parcel's remaining stability budget (issue #11, "beyond the anchors"): the minutes out of range its
 * profile tolerates, less the minutes its containers were on an excursion while it was in them — an excursion
 * still open counts up to now. Excursions are the monitoring tracker's, updated as readings arrive, so the budget
 * moves with them without re-reading every reading of every parcel in transit; the compliance record, computed
 * from the readings themselves, is the final word.
 */
export interface BudgetInput {
  toleratedMinutes: number;
  spans: readonly { containerId: string; from: string; to: string | null }[];
  excursions: readonly ExcursionSpan[];
  now: string;
}

export interface Budget {
  minutesOutOfRange: number;
  /** Negative once the tolerance is exceeded. */
  budgetLeftMinutes: number;
}

export function budgetOf(input: BudgetInput): Budget {
  const now = Date.parse(input.now);
  const shared: { from: number; to: number }[] = [];
  for (const span of input.spans) {
    const from = Date.parse(span.from);
    const to = span.to === null ? now : Date.parse(span.to);
    for (const excursion of input.excursions) {
      if (excursion.containerId !== span.containerId) continue;
      const end = excursion.endedAt === null ? now : Date.parse(excursion.endedAt);
      shared.push({ from: Math.max(from, Date.parse(excursion.startedAt)), to: Math.min(to, end) });
    }
  }
  const out = Math.round((unionLength(shared) / 60_000) * 100) / 100;
  return { minutesOutOfRange: out, budgetLeftMinutes: Math.round((input.toleratedMinutes - out) * 100) / 100 };
}
