import type { UnassignedReason } from '@county/routing';
import { windowOn, type WaveContext } from './context.js';
import type { Chunk } from './stops.js';
import { clockOf } from './time.js';
import type { UnplannedParcel, UnplannedReason } from './types.js';

/** Every parcel of a chunk the solver left out, with its reason in the operator's words. */
export function unplannedOf(ctx: WaveContext, chunk: Chunk, reason: UnassignedReason, context = ''): UnplannedParcel[] {
  const detail = `${context}${describe(ctx, chunk, reason)}`;
  return [...chunk.deliveries, ...chunk.pickups].map((p) => ({ parcelId: p.parcelId, stationId: p.stationId, reason: reason as UnplannedReason, detail }));
}

function describe(ctx: WaveContext, chunk: Chunk, reason: UnassignedReason): string {
  const station = ctx.stations.get(chunk.stationId);
  const window = station ? windowOn(station, ctx.input.date) : undefined;
  const hours = window ? ` (${clockOf(window.open)}–${clockOf(window.close)})` : '';
  const parcels = chunk.deliveries.length + chunk.pickups.length;
  const kg = [...chunk.deliveries, ...chunk.pickups].reduce((total, p) => total + p.weightKg, 0);
  switch (reason) {
    case 'no_refrigerated_vehicle':
      return `cold-chain parcels for ${chunk.stationId} and no refrigerated vehicle is free`;
    case 'capacity':
      return `${parcels} parcel(s), ${Math.round(kg * 10) / 10} kg, for ${chunk.stationId}: too heavy or bulky for every free vehicle, or every vehicle is full`;
    case 'time_window':
      return `no free vehicle reaches ${chunk.stationId} within its opening hours${hours}`;
    case 'shift_length':
      return `${chunk.stationId} can be reached in its hours${hours}, but not with the driver back within the shift`;
    case 'deferred':
      return `deferred to a later wave`;
    default: {
      const unknown: never = reason;
      return String(unknown);
    }
  }
}

/** By station, then parcel: the order operators read the list in. */
export function sortUnplanned(list: readonly UnplannedParcel[]): UnplannedParcel[] {
  const key = (u: UnplannedParcel) => `${u.stationId}\u0000${u.parcelId}`;
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
