import { stationOf, type ParcelFact } from './facts.js';
import { fold, type DerivedParcel } from './derive.js';
import type { LifecycleParcel } from './parcel.js';
import { overruledRejection, wrongDirection, wrongStation, type FactRejection } from './rejections.js';
import { resolve } from './resolve.js';
import { allowedStations, lifecycleStepOf, transitionTable } from './table.js';

/**
 * - `move`: the parcel's state, progress or exception changed.
 * - `confirming`: another accepted fact already reports the same step (whichever of the station
 *   keeper's scan and the driver's report arrives second).
 * - `recorded`: kept in the timeline without moving the parcel (a scan of an earlier state).
 * - `duplicate`: a fact with this id was accepted before (a re-uploaded batch, a redelivered event).
 */
export type DecisionKind = 'move' | 'recorded' | 'confirming' | 'duplicate';

export type FactDecision =
  | {
      accepted: true;
      kind: DecisionKind;
      /** Accepted facts this one overrules (resolve.ts); derive ignores them, intake may flag them. */
      supersedes: string[];
      /** The parcel with this fact applied. */
      derived: DerivedParcel;
    }
  | FactRejection;

/**
 * Whether a new fact can apply to a parcel that has `facts`, and what it does. Refuses only what
 * cannot apply: the wrong direction or station (by the fact and the parcel alone) and a fact that
 * gives way to one already accepted (resolve.ts). Keep every accepted fact; derive from all of them.
 */
export function decideFact(parcel: LifecycleParcel, facts: readonly ParcelFact[], fact: ParcelFact): FactDecision {
  const before = resolve(parcel, facts);
  const was = fold(parcel, before.standing);
  if (facts.some((known) => known.id === fact.id)) return { accepted: true, kind: 'duplicate', supersedes: [], derived: was };
  const invalid = checkAgainstParcel(parcel, fact);
  if (invalid) return invalid;
  const after = resolve(parcel, [...facts, fact]);
  const overruled = after.overruled.get(fact.id);
  if (overruled) return overruledRejection(overruled);
  const now = fold(parcel, after.standing);
  return {
    accepted: true,
    kind: kindOf(parcel, was, now, after.standing, fact),
    supersedes: before.standing.filter((known) => after.overruled.has(known.id)).map((known) => known.id),
    derived: now,
  };
}

function checkAgainstParcel(parcel: LifecycleParcel, fact: ParcelFact): FactRejection | null {
  const rule = transitionTable[fact.kind];
  if (rule.direction !== 'both' && rule.direction !== parcel.direction) return wrongDirection(parcel, fact, rule.direction);
  const allowed = allowedStations(parcel, rule);
  const stationId = stationOf(fact);
  if (allowed !== null && (stationId === null || !allowed.includes(stationId))) return wrongStation(fact, stationId, allowed);
  return null;
}

function kindOf(
  parcel: LifecycleParcel,
  was: DerivedParcel,
  now: DerivedParcel,
  standing: readonly ParcelFact[],
  fact: ParcelFact,
): DecisionKind {
  if (was.state !== now.state || was.progress !== now.progress || was.exception?.kind !== now.exception?.kind) return 'move';
  const step = lifecycleStepOf(parcel, fact);
  const reportedBefore = step !== null && standing.some((other) => other.id !== fact.id && lifecycleStepOf(parcel, other) === step);
  return reportedBefore ? 'confirming' : 'recorded';
}
