import { z } from 'zod';
import type { Direction } from '../common.js';

/** Downstream progress, in order (docs/architecture.md §3 "Parcel lifecycle"); `at_town` on two-tier routes only. */
export const downstreamStates = ['manifested', 'received', 'sorted', 'departed', 'at_town', 'at_station', 'delivered'] as const;
/** Upstream progress (produce to the city), in order. */
export const upstreamStates = ['booked', 'collected', 'at_center', 'handed_over'] as const;
/** Ends outside the progress chain: back to the courier, or gone. `returned` is downstream only. */
export const outcomeStates = ['returned', 'lost'] as const;

export type DownstreamState = (typeof downstreamStates)[number];
export type UpstreamState = (typeof upstreamStates)[number];
export type ProgressState = DownstreamState | UpstreamState;
export type OutcomeState = (typeof outcomeStates)[number];
export type ParcelState = ProgressState | OutcomeState;

export const parcelStateSchema = z.enum([...downstreamStates, ...upstreamStates, ...outcomeStates]);

/** Every state a parcel of each direction can be in. */
export const statesByDirection = {
  downstream: [...downstreamStates, 'returned', 'lost'],
  upstream: [...upstreamStates, 'lost'],
} as const satisfies Record<Direction, readonly ParcelState[]>;

/** Once in one of these, nothing moves the parcel again; a fact of another of them conflicts. */
export const terminalStates = ['delivered', 'returned', 'lost', 'handed_over'] as const;
export type TerminalState = (typeof terminalStates)[number];

export function isTerminalState(state: string): state is TerminalState {
  return (terminalStates as readonly string[]).includes(state);
}

const ranks = new Map<ProgressState, number>([
  ...downstreamStates.map((state, index) => [state, index] as const),
  ...upstreamStates.map((state, index) => [state, index] as const),
]);

/**
 * Position of a progress state in its direction's chain, so "forward" and "earlier" are comparisons
 * of numbers. Ranks of the two directions overlap; compare states of one direction only.
 */
export function stateRank(state: ProgressState): number {
  return ranks.get(state) as number;
}

/** Exceptions shown beside the progress state; they do not move the parcel. */
export const exceptionKinds = ['damaged', 'refused', 'address_unknown'] as const;
export const exceptionKindSchema = z.enum(exceptionKinds);
export type ExceptionKind = (typeof exceptionKinds)[number];

export function isExceptionKind(value: string): value is ExceptionKind {
  return (exceptionKinds as readonly string[]).includes(value);
}

/** What a fact reports: a state reached, or an exception seen. */
export type LifecycleStep = ParcelState | ExceptionKind;
