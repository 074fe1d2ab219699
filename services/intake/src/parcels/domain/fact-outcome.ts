import { decideFact, type ParcelFact, type RejectionCode } from '@county/contracts';
import { lifecycleOf, receivedAtOf, type ParcelRecord } from './parcel.js';

export type FactOutcome =
  | {
      accepted: true;
      kind: 'move' | 'recorded' | 'confirming' | 'duplicate';
      /** The parcel with the fact kept and its state derived (unchanged for a duplicate). */
      parcel: ParcelRecord;
      /** Accepted facts this one overrules. */
      supersedes: string[];
    }
  | { accepted: false; code: RejectionCode; reason: string; reasonZh: string };

/**
 * A fact decided on a parcel as intake keeps it (the lifecycle's decideFact), and the parcel as it
 * is once the fact is kept: what apply-fact.ts writes for one fact and apply-dispatch-facts.ts for
 * many.
 */
export function decideOnParcel(parcel: ParcelRecord, fact: ParcelFact): FactOutcome {
  const decision = decideFact(lifecycleOf(parcel), parcel.facts, fact);
  if (!decision.accepted) return { accepted: false, code: decision.code, reason: decision.reason, reasonZh: decision.reasonZh };
  if (decision.kind === 'duplicate') return { accepted: true, kind: 'duplicate', parcel, supersedes: [] };
  const { derived } = decision;
  return {
    accepted: true,
    kind: decision.kind,
    supersedes: decision.supersedes,
    parcel: {
      ...parcel,
      state: derived.state,
      progress: derived.progress,
      exception: derived.exception,
      receivedAt: receivedAtOf(derived.timeline),
      facts: [...parcel.facts, fact],
    },
  };
}
