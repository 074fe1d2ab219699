import type { StationKind } from '@county/contracts';
import type { Queryable } from '@county/platform';
import type { Destination } from '../domain/destination.js';

/**
 * What parcels read of master data (migration 0001, packages/contracts/src/masterdata): `masterdata`
 * rows of entity `courier` and `station`, and `village_stations`, which village each active village
 * station serves. A station's `record.kind` is `center` (the county logistics center, whose keys
 * count as center staff), `town` or `village`. Destinations are resolved for whole batches in one
 * query.
 */

/** The kinds of station a parcel can be handed over at. */
const DESTINATION_KINDS = ['village', 'town'];

/** Whether the courier (a brand's franchise in the county) is `unknown`, `inactive` or `active`. */
export async function courierStatus(db: Queryable, countyId: string, courierId: string): Promise<'unknown' | 'inactive' | 'active'> {
  const { rows } = await db.query<{ active: boolean }>(
    `SELECT active FROM masterdata WHERE county_id = $1 AND entity = 'courier' AND id = $2`,
    [countyId, courierId],
  );
  if (rows.length === 0) return 'unknown';
  return rows[0]!.active ? 'active' : 'inactive';
}

/**
 * The county's active center station: where receive scans happen (docs/architecture.md "Parcel lifecycle") and
 * where a parcel whose destination is unknown waits.
 */
export async function centerStationIdOf(db: Queryable, countyId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM masterdata
     WHERE county_id = $1 AND entity = 'station' AND active AND record->>'kind' = 'center'
     ORDER BY id LIMIT 1`,
    [countyId],
  );
  return rows[0]?.id;
}

export interface StationRef {
  id: string;
  kind: StationKind | null;
}

/** An active station of the county, or undefined. */
export async function findStation(db: Queryable, countyId: string, stationId: string): Promise<StationRef | undefined> {
  const { rows } = await db.query<{ id: string; kind: StationKind | null }>(
    `SELECT id, record->>'kind' AS kind FROM masterdata WHERE county_id = $1 AND entity = 'station' AND id = $2 AND active`,
    [countyId, stationId],
  );
  return rows[0];
}

/** Which of these stations are active town stations of the county (where trunk routes hand over, two-tier). */
export async function townStationsAmong(db: Queryable, countyId: string, stationIds: readonly string[]): Promise<Set<string>> {
  if (stationIds.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM masterdata WHERE county_id = $1 AND entity = 'station' AND id = ANY($2::text[]) AND active AND record->>'kind' = 'town'`,
    [countyId, [...new Set(stationIds)]],
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Resolves destinations to active stations of the county where parcels are handed over: village
 * stations, and town stations too, which master data lets serve villages (station.villageCodes) and
 * the lifecycle accepts as a destination (table.ts `handOverState`). The center is never one.
 * Anything else is `address_unknown` (the intake issue). Returns the station of each destination
 * that resolves, by `keyOf` (domain/destination.ts).
 */
export async function resolveDestinations(db: Queryable, countyId: string, destinations: readonly Destination[]): Promise<Map<string, string>> {
  const stationIds = [...new Set(destinations.flatMap((d) => ('stationId' in d ? [d.stationId] : [])))];
  const villageCodes = [...new Set(destinations.flatMap((d) => ('villageCode' in d ? [d.villageCode] : [])))];
  const resolved = new Map<string, string>();
  if (stationIds.length === 0 && villageCodes.length === 0) return resolved;
  const { rows } = await db.query<{ key: string; station_id: string }>(
    `SELECT 'station:' || m.id AS key, m.id AS station_id
       FROM masterdata m
      WHERE m.county_id = $1 AND m.entity = 'station' AND m.id = ANY($2::text[]) AND m.active AND m.record->>'kind' = ANY($4::text[])
     UNION ALL
     SELECT 'village:' || v.village_code, v.station_id
       FROM village_stations v
       JOIN masterdata m ON m.county_id = v.county_id AND m.entity = 'station' AND m.id = v.station_id
      WHERE v.county_id = $1 AND v.village_code = ANY($3::text[]) AND m.active AND m.record->>'kind' = ANY($4::text[])`,
    [countyId, stationIds, villageCodes, DESTINATION_KINDS],
  );
  for (const row of rows) resolved.set(row.key, row.station_id);
  return resolved;
}
