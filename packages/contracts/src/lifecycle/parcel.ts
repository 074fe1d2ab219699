import { downstreamStates, upstreamStates, type ProgressState } from './states.js';

/**
 * What the lifecycle needs to know about a parcel besides its facts, from intake's record of it.
 * A downstream parcel on a two-tier route names the town station where the trunk route hands it to
 * the village loop; `townStationId: null` means a direct milk-run from the center.
 */
export type LifecycleParcel =
  | { direction: 'downstream'; destinationStationId: string; townStationId: string | null }
  | { direction: 'upstream'; originStationId: string };

const directChain = downstreamStates.filter((state) => state !== 'at_town');

/** The progress states the parcel passes through, in order; only these are ever inferred. */
export function progressChain(parcel: LifecycleParcel): readonly ProgressState[] {
  if (parcel.direction === 'upstream') return upstreamStates;
  return parcel.townStationId === null ? directChain : downstreamStates;
}

/** The state of a parcel no fact has moved yet. */
export function initialState(parcel: LifecycleParcel): ProgressState {
  return parcel.direction === 'upstream' ? 'booked' : 'manifested';
}
