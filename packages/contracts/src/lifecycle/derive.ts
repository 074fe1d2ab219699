import { stepEvents } from './events.js';
import { routeOf, stationOf, type ParcelFact } from './facts.js';
import { initialState, progressChain, type LifecycleParcel } from './parcel.js';
import { resolve } from './resolve.js';
import {
  isExceptionKind,
  isTerminalState,
  stateRank,
  type ExceptionKind,
  type LifecycleStep,
  type ParcelState,
  type ProgressState,
  type TerminalState,
} from './states.js';
import { handOverState, lifecycleStepOf, parcelEventTypeOf, transitionTable } from './table.js';
import type { TimelineEntry } from './timeline.js';
import { unreachable } from './unreachable.js';

export interface DerivedParcel {
  /** Where the parcel is: its progress, or `returned` / `lost`. */
  state: ParcelState;
  /** The progress state reached, kept under `returned` and `lost` (where it was); null before any. */
  progress: ProgressState | null;
  /** The latest exception still open; it never hides the progress. */
  exception: { kind: ExceptionKind; since: string } | null;
  /** Every standing fact and every inferred state, in the order they happened. */
  timeline: TimelineEntry[];
}

/**
 * State and timeline as a pure function of the SET of facts: their arrival order never matters.
 * `facts` are those decideFact accepted; ids are unique among them. Facts later overruled (see
 * resolve.ts) may be left in: they are ignored.
 */
export function deriveParcel(parcel: LifecycleParcel, facts: readonly ParcelFact[]): DerivedParcel {
  return fold(parcel, resolve(parcel, facts).standing);
}

interface Walk {
  parcel: LifecycleParcel;
  progress: ProgressState | null;
  end: TerminalState | null;
  /** Open exceptions by kind, in the order they opened, so the last one is the latest. */
  open: Map<ExceptionKind, string>;
  entries: TimelineEntry[];
  inferred: Set<ProgressState>;
}

/**
 * Applies the standing facts in canonical order, each as of the time it happened. After a terminal
 * fact nothing moves: later facts are recorded (a repeat of the same end confirms it).
 */
export function fold(parcel: LifecycleParcel, standing: readonly ParcelFact[]): DerivedParcel {
  const walk: Walk = { parcel, progress: null, end: null, open: new Map(), entries: [], inferred: new Set() };
  const reported = new Set<LifecycleStep>();
  for (const fact of standing) {
    const step = lifecycleStepOf(parcel, fact);
    if (step !== null) reported.add(step);
    const confirming = walk.end === null ? apply(walk, fact) : step === walk.end;
    walk.entries.push(entryOf(parcel, fact, step, false, confirming));
  }
  // A real fact of a skipped state, however late it came, replaces the inferred entry.
  const timeline = walk.entries.filter((entry) => !(entry.inferred && entry.state !== null && reported.has(entry.state)));
  const latest = [...walk.open].at(-1);
  return {
    state: walk.end ?? walk.progress ?? initialState(parcel),
    progress: walk.progress,
    exception: latest ? { kind: latest[0], since: latest[1] } : null,
    timeline,
  };
}

/** Applies one fact; returns whether it confirms what the parcel already was. */
function apply(walk: Walk, fact: ParcelFact): boolean {
  const rule = transitionTable[fact.kind];
  let confirming = false;
  switch (rule.effect.type) {
    case 'advance':
      confirming = advance(walk, fact, rule.effect.to);
      break;
    case 'hand_over':
      confirming = advance(walk, fact, handOverState(walk.parcel, stationOf(fact)));
      break;
    case 'outcome':
      walk.end = rule.effect.to;
      break;
    case 'exception':
      confirming = walk.open.has(rule.effect.kind);
      if (!confirming) walk.open.set(rule.effect.kind, fact.occurredAt);
      break;
    case 'cancel_sort':
      // Only a parcel still waiting at the center goes back; one that left is not moved back.
      if (walk.progress === 'sorted') walk.progress = 'received';
      break;
    case 'correct_address':
      break;
    default:
      unreachable(rule.effect);
  }
  for (const kind of rule.clears) walk.open.delete(kind);
  return confirming;
}

/** Moves forward to `target`, inferring the states skipped; an earlier or equal state does not move. */
function advance(walk: Walk, fact: ParcelFact, target: ProgressState): boolean {
  const from = walk.progress === null ? -1 : stateRank(walk.progress);
  if (stateRank(target) <= from) return target === walk.progress;
  for (const skipped of progressChain(walk.parcel)) {
    const rank = stateRank(skipped);
    if (rank > from && rank < stateRank(target) && !walk.inferred.has(skipped)) {
      walk.inferred.add(skipped);
      walk.entries.push(entryOf(walk.parcel, fact, skipped, true, false));
    }
  }
  walk.progress = target;
  if (isTerminalState(target)) walk.end = target;
  return false;
}

function entryOf(
  parcel: LifecycleParcel,
  fact: ParcelFact,
  step: LifecycleStep | null,
  inferred: boolean,
  confirming: boolean,
): TimelineEntry {
  const exception = step !== null && isExceptionKind(step) ? step : null;
  const state = step !== null && !isExceptionKind(step) ? step : null;
  return {
    event: inferred && step !== null ? stepEvents[step] : parcelEventTypeOf(parcel, fact),
    fact: fact.kind,
    factId: fact.id,
    state,
    exception,
    occurredAt: fact.occurredAt,
    receivedAt: fact.receivedAt,
    actor: fact.actor,
    stationId: stationOf(fact),
    routeId: routeOf(fact),
    reason: inferred ? null : (fact.reason ?? null),
    inferred,
    confirming,
  };
}
