import type { ParcelFact } from './facts.js';
import { canonicalOrder } from './order.js';
import type { LifecycleParcel } from './parcel.js';
import { isTerminalState, type TerminalState } from './states.js';
import { lifecycleStepOf } from './table.js';

/** Why a fact does not stand, and the fact it gave way to. */
export type Overruled =
  | { code: 'TERMINAL_CONFLICT'; by: ParcelFact; end: TerminalState; wanted: TerminalState }
  | { code: 'ROUTE_ALREADY_DEPARTED'; by: ParcelFact; routeId: string };

export interface Resolution {
  /** The facts that count, in canonical order. */
  standing: ParcelFact[];
  overruled: Map<string, Overruled>;
}

/**
 * Settles the facts that contradict each other, by what the facts say and never by when they arrived:
 * - terminal ends (delivered, returned, lost; handed over upstream): the first to have happened
 *   stands, with every other fact of the same end; a fact of another end gives way to it. A delivery
 *   uploaded late from the hills thus overrules a loss declared meanwhile.
 * - a route's cancellation gives way to any evidence that the route left the center (its departure,
 *   a hand-over from it), whenever that happened: a route can only be cancelled before departure.
 * Nothing else conflicts, so the standing facts are the same whatever order the facts came in.
 */
export function resolve(parcel: LifecycleParcel, facts: readonly ParcelFact[]): Resolution {
  const ordered = canonicalOrder(facts);
  const departures = new Map<string, Extract<ParcelFact, { routeId: string }>>();
  for (const fact of ordered) {
    if ((fact.kind === 'route_departed' || fact.kind === 'stop_handed_over') && !departures.has(fact.routeId)) {
      departures.set(fact.routeId, fact);
    }
  }
  const standing: ParcelFact[] = [];
  const overruled = new Map<string, Overruled>();
  let end: { step: TerminalState; fact: ParcelFact } | null = null;
  for (const fact of ordered) {
    const departure = fact.kind === 'route_cancelled' ? departures.get(fact.routeId) : undefined;
    if (departure) {
      overruled.set(fact.id, { code: 'ROUTE_ALREADY_DEPARTED', by: departure, routeId: departure.routeId });
      continue;
    }
    const step = lifecycleStepOf(parcel, fact);
    if (step !== null && isTerminalState(step)) {
      if (end === null) end = { step, fact };
      else if (end.step !== step) {
        overruled.set(fact.id, { code: 'TERMINAL_CONFLICT', by: end.fact, end: end.step, wanted: step });
        continue;
      }
    }
    standing.push(fact);
  }
  return { standing, overruled };
}
