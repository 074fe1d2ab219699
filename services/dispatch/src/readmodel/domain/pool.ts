import type { HeldParcel, PoolParcel } from '../../planning/domain/types.js';

/**
 * A parcel waiting at the center (downstream `received`, or brought back undelivered), for its pickup (upstream
 * `booked`), or at a town station (two-tier: `atStationId`), on no live route.
 */
export interface WaitingParcel {
  parcelId: string;
  courierId: string;
  direction: 'downstream' | 'upstream';
  stationId: string | null;
  weightKg: number | null;
  volumeM3: number | null;
  coldChainProfileId: string | null;
  exception: string | null;
  /** When its SLA clock started, ISO-8601 UTC. */
  since: string;
  /** The town station it waits at (two-tier: a village loop brought it there), or null: at the center or its origin. */
  atStationId: string | null;
}

/**
 * The wave's pool: what a plan can carry, and what it cannot yet with the reason — a station that is not an active
 * station of the county (unresolved, unknown or out of service), a size dispatch never learned (its
 * `parcel.manifested` or `parcel.booked` never came), or an open exception an operator has to settle first.
 */
export function splitPool(waiting: readonly WaitingParcel[], activeStationIds: ReadonlySet<string>): { parcels: PoolParcel[]; held: HeldParcel[] } {
  const parcels: PoolParcel[] = [];
  const held: HeldParcel[] = [];
  for (const p of waiting) {
    const hold = (reason: HeldParcel['reason'], detail: string) =>
      held.push({ parcelId: p.parcelId, courierId: p.courierId, direction: p.direction, stationId: p.stationId, reason, detail });
    if (p.stationId === null) hold('station_unavailable', p.direction === 'downstream' ? 'its destination does not resolve to a station' : 'it has no origin station');
    else if (!activeStationIds.has(p.stationId)) hold('station_unavailable', `station ${p.stationId} is unknown or out of service`);
    else if (p.atStationId !== null && !activeStationIds.has(p.atStationId)) hold('station_unavailable', `it waits at station ${p.atStationId}, unknown or out of service`);
    else if (p.weightKg === null || p.volumeM3 === null) hold('size_unknown', 'its weight and volume never reached dispatch (no parcel.manifested or parcel.booked event)');
    else if (p.exception !== null) hold('exception', `an open exception: ${p.exception}`);
    else {
      parcels.push({
        parcelId: p.parcelId,
        courierId: p.courierId,
        direction: p.direction,
        stationId: p.stationId,
        weightKg: p.weightKg,
        volumeM3: p.volumeM3,
        ...(p.coldChainProfileId !== null ? { coldChainProfileId: p.coldChainProfileId } : {}),
        since: p.since,
        ...(p.atStationId !== null ? { atStationId: p.atStationId } : {}),
      });
    }
  }
  return { parcels, held };
}
