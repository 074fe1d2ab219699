import type { Pool, Queryable } from '@county/platform';
import { keyOf, type Destination } from './domain/destination.js';
import { centerStationIdOf, courierStatus, resolveDestinations } from './store/masterdata.js';

/**
 * What registering a parcel reads of master data: whether its courier is active, the station of
 * each destination, the county's center. `directReads` asks Postgres every time; `cachedReads`
 * keeps what it found for a few seconds, so a single POST makes no master-data round trip of its
 * own (issue #8: under bulk load every round trip of a request waited for the event loop again).
 */
export interface MasterDataReads {
  courierStatus(db: Queryable, countyId: string, courierId: string): Promise<'unknown' | 'inactive' | 'active'>;
  /** The station of each destination that resolves, by `keyOf`. */
  resolveDestinations(db: Queryable, countyId: string, destinations: readonly Destination[]): Promise<Map<string, string>>;
  centerStationIdOf(db: Queryable, countyId: string): Promise<string | undefined>;
  /** The county's master data changed: what was kept of it is read again. */
  forget(countyId: string): void;
}

export const directReads: MasterDataReads = { courierStatus, resolveDestinations, centerStationIdOf, forget: () => undefined };

/**
 * How long a read is kept. It bounds how long a change made by another instance of intake (or
 * written into the tables by hand) goes unseen here; this instance's own changes are seen at once
 * (`forget` after they commit). Like the API-key cache, keep it to seconds.
 */
export const MASTERDATA_TTL_MS = 5000;

const perPool = new WeakMap<Pool, MasterDataReads>();

/**
 * The cached reads of the service whose tables `pool` reaches, one per pool: the HTTP routes that
 * change master data and the consumers that register parcels share it, so a change is seen by
 * both at once. Only what was found is kept: a courier not (yet) known, a destination that does
 * not resolve and a county without a center are asked for again each time.
 */
export function cachedReads(pool: Pool): MasterDataReads {
  const existing = perPool.get(pool);
  if (existing) return existing;
  const kept = new Map<string, Map<string, { value: string; expiresAt: number }>>();
  const get = (countyId: string, key: string) => {
    const entry = kept.get(countyId)?.get(key);
    return entry && entry.expiresAt > Date.now() ? entry.value : undefined;
  };
  const keep = (countyId: string, key: string, value: string) => {
    const county = kept.get(countyId) ?? new Map<string, { value: string; expiresAt: number }>();
    kept.set(countyId, county);
    county.set(key, { value, expiresAt: Date.now() + MASTERDATA_TTL_MS });
  };
  const reads: MasterDataReads = {
    async courierStatus(db, countyId, courierId) {
      const key = `courier:${courierId}`;
      const hit = get(countyId, key) as 'inactive' | 'active' | undefined;
      if (hit) return hit;
      const status = await courierStatus(db, countyId, courierId);
      if (status !== 'unknown') keep(countyId, key, status);
      return status;
    },
    async resolveDestinations(db, countyId, destinations) {
      const resolved = new Map<string, string>();
      const missing: Destination[] = [];
      for (const destination of destinations) {
        const stationId = get(countyId, keyOf(destination));
        if (stationId) resolved.set(keyOf(destination), stationId);
        else missing.push(destination);
      }
      if (missing.length === 0) return resolved;
      for (const [key, stationId] of await resolveDestinations(db, countyId, missing)) {
        keep(countyId, key, stationId);
        resolved.set(key, stationId);
      }
      return resolved;
    },
    async centerStationIdOf(db, countyId) {
      const hit = get(countyId, 'center');
      if (hit) return hit;
      const centerId = await centerStationIdOf(db, countyId);
      if (centerId) keep(countyId, 'center', centerId);
      return centerId;
    },
    forget(countyId) {
      kept.delete(countyId);
    },
  };
  perPool.set(pool, reads);
  return reads;
}
