import type { Direction, LifecycleParcel, ParcelFact, ParcelState } from '@county/contracts';
import type { Queryable } from '@county/platform';

/** A parcel as intake stores it, with every accepted fact (overruled ones included). */
export interface ParcelRecord {
  id: string;
  countyId: string;
  courierId: string;
  waybill: string;
  direction: Direction;
  state: ParcelState;
  progress: string | null;
  exception: { kind: string; since: string } | null;
  destinationStationId: string | null;
  originStationId: string | null;
  townStationId: string | null;
  contract: Record<string, unknown>;
  contentHash: string;
  receivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  facts: ParcelFact[];
}

/** A parcel without its contract, content hash and facts: what a search lists (search.ts). */
export type ParcelHead = Omit<ParcelRecord, 'contract' | 'contentHash' | 'facts'>;

/** The `parcels` columns of a ParcelHead. */
export interface ParcelHeadRow {
  id: string;
  county_id: string;
  courier_id: string;
  waybill: string;
  direction: Direction;
  state: ParcelState;
  progress: string | null;
  exception: { kind: string; since: string } | null;
  destination_station_id: string | null;
  origin_station_id: string | null;
  town_station_id: string | null;
  received_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface ParcelRow extends ParcelHeadRow {
  contract: Record<string, unknown>;
  content_hash: string;
}

export function parcelHeadOf(row: ParcelHeadRow): ParcelHead {
  return {
    id: row.id,
    countyId: row.county_id,
    courierId: row.courier_id,
    waybill: row.waybill,
    direction: row.direction,
    state: row.state,
    progress: row.progress,
    exception: row.exception,
    destinationStationId: row.destination_station_id,
    originStationId: row.origin_station_id,
    townStationId: row.town_station_id,
    receivedAt: row.received_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function fromRow(row: ParcelRow, facts: ParcelFact[]): ParcelRecord {
  return { ...parcelHeadOf(row), contract: row.contract, contentHash: row.content_hash, facts };
}

/** The lifecycle's view of a parcel. A destination that does not resolve matches no station. */
export function lifecycleOf(parcel: Pick<ParcelRecord, 'direction' | 'destinationStationId' | 'originStationId' | 'townStationId'>): LifecycleParcel {
  return parcel.direction === 'downstream'
    ? { direction: 'downstream', destinationStationId: parcel.destinationStationId ?? '', townStationId: parcel.townStationId }
    : { direction: 'upstream', originStationId: parcel.originStationId ?? '' };
}

/**
 * Loads one parcel of a county with its facts. `forUpdate` locks the row, so facts about one parcel
 * are decided one at a time (two handhelds uploading at once cannot both "win").
 */
export async function loadParcel(db: Queryable, countyId: string, parcelId: string, { forUpdate = false } = {}): Promise<ParcelRecord | undefined> {
  const { rows } = await db.query<ParcelRow>(`SELECT * FROM parcels WHERE county_id = $1 AND id = $2 ${forUpdate ? 'FOR UPDATE' : ''}`, [countyId, parcelId]);
  const row = rows[0];
  if (!row) return undefined;
  const facts = await db.query<{ fact: ParcelFact }>('SELECT fact FROM parcel_facts WHERE parcel_id = $1 ORDER BY occurred_at, fact_id', [parcelId]);
  return fromRow(row, facts.rows.map((r) => r.fact));
}

export async function findParcelId(db: Queryable, countyId: string, courierId: string, waybill: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM parcels WHERE county_id = $1 AND courier_id = $2 AND waybill = $3', [countyId, courierId, waybill]);
  return rows[0]?.id;
}

export type NewParcel = Pick<
  ParcelRecord,
  'id' | 'countyId' | 'courierId' | 'waybill' | 'direction' | 'state' | 'destinationStationId' | 'originStationId' | 'contract' | 'contentHash'
>;

/**
 * Inserts a parcel unless (county, courier, waybill) exists; returns whether it was inserted. The
 * caller then applies its first fact (`manifested` or `booked`) with applyFact.
 */
export async function insertParcel(db: Queryable, parcel: NewParcel): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO parcels (id, county_id, courier_id, waybill, direction, state, destination_station_id, origin_station_id, contract, content_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (county_id, courier_id, waybill) DO NOTHING`,
    [
      parcel.id,
      parcel.countyId,
      parcel.courierId,
      parcel.waybill,
      parcel.direction,
      parcel.state,
      parcel.destinationStationId,
      parcel.originStationId,
      JSON.stringify(parcel.contract),
      parcel.contentHash,
    ],
  );
  return result.rowCount === 1;
}
