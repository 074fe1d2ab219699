import type { StationKind } from '@county/contracts';
import type { Queryable } from '@county/platform';

/**
 * What scans and bookings read of the master data (0001_masterdata.sql: one row per entity, the
 * record as JSON, packages/contracts/src/masterdata). A station's `kind` is `center` (the county
 * logistics center, whose keys count as center staff), `town` or `village`.
 */

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

/** The county center's station id: where receive scans happen (DESIGN.md "Parcel lifecycle"). */
export async function centerStationIdOf(db: Queryable, countyId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM masterdata WHERE county_id = $1 AND entity = 'station' AND active AND record->>'kind' = 'center' ORDER BY id LIMIT 1`,
    [countyId],
  );
  return rows[0]?.id;
}

/** Whether a courier (a brand's franchise in this county) is active in the master data. */
export async function isActiveCourier(db: Queryable, countyId: string, courierId: string): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM masterdata WHERE county_id = $1 AND entity = 'courier' AND id = $2 AND active`, [
    countyId,
    courierId,
  ]);
  return rowCount === 1;
}
