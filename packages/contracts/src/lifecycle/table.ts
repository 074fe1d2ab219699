import { z } from 'zod';
import type { Direction } from '../common.js';
import { stepEvents, type ParcelEventType } from './events.js';
import { stationOf, type FactKind, type ParcelFact } from './facts.js';
import type { LifecycleParcel } from './parcel.js';
import type { ExceptionKind, LifecycleStep, OutcomeState, ProgressState } from './states.js';
import { unreachable } from './unreachable.js';

/** What a fact does to a parcel when it is applied at the time it happened (see derive.ts). */
export type FactEffect =
  /** Forward to `to`, skipped states inferred; a fact of an earlier state is only recorded. */
  | { type: 'advance'; to: ProgressState }
  /** Like advance, to `at_town` at the parcel's town station and to `at_station` at its destination. */
  | { type: 'hand_over' }
  /** A terminal end outside the progress chain. */
  | { type: 'outcome'; to: OutcomeState }
  /** Opens an exception beside the progress state. */
  | { type: 'exception'; kind: ExceptionKind }
  /** The one deliberate backward move: `sorted` back to `received` when a route is cancelled before departure. */
  | { type: 'cancel_sort' }
  /** Resolves an exception only (see `clears`). */
  | { type: 'correct_address' };

export interface FactRule {
  /** The parcels the fact applies to; on a parcel of the other direction it is refused. */
  direction: Direction | 'both';
  effect: FactEffect;
  /** Open exceptions the fact resolves when it happens after them. */
  clears: readonly ExceptionKind[];
  /** Which of the parcel's stations the fact must name; another station is refused. */
  station: 'destination' | 'destination_or_town' | 'origin' | null;
}

/**
 * The parcel lifecycle (docs/architecture.md §3 "Parcel lifecycle"): one row per fact kind. The order of the
 * rows is the lifecycle order, which breaks ties between facts that happened at the same instant.
 */
export const transitionTable: Readonly<Record<FactKind, FactRule>> = {
  manifested: { direction: 'downstream', effect: { type: 'advance', to: 'manifested' }, clears: [], station: null },
  receive: { direction: 'downstream', effect: { type: 'advance', to: 'received' }, clears: [], station: null },
  route_confirmed: { direction: 'downstream', effect: { type: 'advance', to: 'sorted' }, clears: [], station: null },
  sort: { direction: 'downstream', effect: { type: 'advance', to: 'sorted' }, clears: [], station: null },
  route_cancelled: { direction: 'downstream', effect: { type: 'cancel_sort' }, clears: [], station: null },
  route_departed: { direction: 'downstream', effect: { type: 'advance', to: 'departed' }, clears: [], station: null },
  stop_handed_over: { direction: 'downstream', effect: { type: 'hand_over' }, clears: [], station: 'destination_or_town' },
  handover: { direction: 'downstream', effect: { type: 'hand_over' }, clears: [], station: 'destination_or_town' },
  // A delivery settles a refusal (the recipient changed their mind) and an unknown address (found).
  // It happens at the parcel's current destination only, the one an address correction set (#8).
  deliver: {
    direction: 'downstream',
    effect: { type: 'advance', to: 'delivered' },
    clears: ['refused', 'address_unknown'],
    station: 'destination',
  },
  booked: { direction: 'upstream', effect: { type: 'advance', to: 'booked' }, clears: [], station: null },
  collect: { direction: 'upstream', effect: { type: 'advance', to: 'collected' }, clears: [], station: 'origin' },
  center_arrival: { direction: 'upstream', effect: { type: 'advance', to: 'at_center' }, clears: [], station: null },
  linehaul_handover: { direction: 'upstream', effect: { type: 'advance', to: 'handed_over' }, clears: [], station: null },
  damaged: { direction: 'both', effect: { type: 'exception', kind: 'damaged' }, clears: [], station: null },
  refused: { direction: 'downstream', effect: { type: 'exception', kind: 'refused' }, clears: [], station: null },
  address_unknown: { direction: 'downstream', effect: { type: 'exception', kind: 'address_unknown' }, clears: [], station: null },
  address_corrected: {
    direction: 'downstream',
    effect: { type: 'correct_address' },
    clears: ['address_unknown'],
    station: null,
  },
  return: { direction: 'downstream', effect: { type: 'outcome', to: 'returned' }, clears: [], station: null },
  lost: { direction: 'both', effect: { type: 'outcome', to: 'lost' }, clears: [], station: null },
};

/** Every fact kind, in lifecycle order. */
export const factKinds = Object.keys(transitionTable) as FactKind[];
export const factKindSchema = z.enum(factKinds as [FactKind, ...FactKind[]]);

const kindOrder = new Map(factKinds.map((kind, index) => [kind, index]));

export function factKindOrder(kind: FactKind): number {
  return kindOrder.get(kind) as number;
}

/** The station a fact must name on this parcel, if the table asks for one. */
export function allowedStations(parcel: LifecycleParcel, rule: FactRule): readonly string[] | null {
  switch (rule.station) {
    case null:
      return null;
    case 'destination':
      return parcel.direction === 'downstream' ? [parcel.destinationStationId] : [];
    case 'destination_or_town':
      if (parcel.direction === 'upstream') return [];
      return parcel.townStationId === null
        ? [parcel.destinationStationId]
        : [parcel.destinationStationId, parcel.townStationId];
    case 'origin':
      return parcel.direction === 'upstream' ? [parcel.originStationId] : [];
    default:
      return unreachable(rule.station);
  }
}

/** The state a hand-over reaches: the destination is checked first, as a town can be a destination too. */
export function handOverState(parcel: LifecycleParcel, stationId: string | null): ProgressState {
  if (parcel.direction === 'downstream' && stationId !== parcel.destinationStationId && stationId === parcel.townStationId) {
    return 'at_town';
  }
  return 'at_station';
}

/** What a fact reports, or `null` for a fact that only undoes or resolves (cancellation, correction). */
export function lifecycleStepOf(parcel: LifecycleParcel, fact: ParcelFact): LifecycleStep | null {
  const effect = transitionTable[fact.kind].effect;
  switch (effect.type) {
    case 'advance':
    case 'outcome':
      return effect.to;
    case 'hand_over':
      return handOverState(parcel, stationOf(fact));
    case 'exception':
      return effect.kind;
    case 'cancel_sort':
    case 'correct_address':
      return null;
    default:
      return unreachable(effect);
  }
}

/** The `parcel.*` event type intake publishes for a fact. */
export function parcelEventTypeOf(parcel: LifecycleParcel, fact: ParcelFact): ParcelEventType {
  const effect = transitionTable[fact.kind].effect;
  switch (effect.type) {
    case 'cancel_sort':
      return 'parcel.sort_cancelled';
    case 'correct_address':
      return 'parcel.address_corrected';
    case 'advance':
    case 'outcome':
      return stepEvents[effect.to];
    case 'hand_over':
      return stepEvents[handOverState(parcel, stationOf(fact))];
    case 'exception':
      return stepEvents[effect.kind];
    default:
      return unreachable(effect);
  }
}
