import type { MasterDataEntity, MasterDataRecords, Station } from '@county/contracts';
import { PgErrorCode, type Queryable } from '@county/platform';
import { fail } from '../errors.js';
import { entitySpecs, type AnyRecord } from './domain/entities.js';
import { emptyCountyState, type CountyState } from './domain/change-rules.js';
import type { WrittenRow } from './domain/events.js';

/**
 * The `masterdata` table (migration 0001): one row per record of a county, the full record as
 * JSON, `active` mirroring `record.active`, `revision` counting its changes. And `village_stations`,
 * kept in the same transaction: which active village station serves each village.
 */

export interface StoredRecord<E extends MasterDataEntity = MasterDataEntity> {
  entity: E;
  id: string;
  record: MasterDataRecords[E];
  active: boolean;
  revision: number;
  updatedAt: Date;
}

interface Row {
  entity: MasterDataEntity;
  id: string;
  record: AnyRecord['record'];
  active: boolean;
  revision: number;
  updated_at: Date;
}

const fromRow = (row: Row): StoredRecord => ({
  entity: row.entity,
  id: row.id,
  record: row.record,
  active: row.active,
  revision: row.revision,
  updatedAt: row.updated_at,
});

/**
 * Serialises the master-data writes of one county until the transaction ends: a change is checked
 * against the whole county, so two changes checked side by side could each pass and together break
 * a rule. Per schema, so test suites sharing a database do not wait on each other.
 */
export async function lockCounty(tx: Queryable, countyId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('masterdata'), hashtext(current_schema() || '/' || $1))`, [countyId]);
}

/** Every record of the county, active or not, in a stable order. */
export async function loadCountyState(db: Queryable, countyId: string): Promise<CountyState> {
  const { rows } = await db.query<Pick<Row, 'entity' | 'record'>>(
    'SELECT entity, record FROM masterdata WHERE county_id = $1 ORDER BY entity, id',
    [countyId],
  );
  const state = emptyCountyState();
  for (const { entity, record } of rows) {
    if (entity === 'county') state.county = record as MasterDataRecords['county'];
    else (state[entitySpecs[entity].section as Exclude<keyof CountyState, 'county'>] as unknown[]).push(record);
  }
  return state;
}

export async function findRecord<E extends MasterDataEntity>(db: Queryable, countyId: string, entity: E, id: string): Promise<StoredRecord<E> | undefined> {
  const { rows } = await db.query<Row>(
    'SELECT entity, id, record, active, revision, updated_at FROM masterdata WHERE county_id = $1 AND entity = $2 AND id = $3',
    [countyId, entity, id],
  );
  return rows[0] ? (fromRow(rows[0]) as StoredRecord<E>) : undefined;
}

export interface ListFilter {
  active?: boolean;
  /** JSON the record must contain (`@>`), e.g. `{ "townId": "town-102", "kind": "village" }`. */
  contains?: Record<string, unknown>;
}

export async function listRecords<E extends MasterDataEntity>(db: Queryable, countyId: string, entity: E, filter: ListFilter = {}): Promise<MasterDataRecords[E][]> {
  const { rows } = await db.query<Pick<Row, 'record'>>(
    `SELECT record FROM masterdata
      WHERE county_id = $1 AND entity = $2 AND ($3::boolean IS NULL OR active = $3) AND record @> $4::jsonb
      ORDER BY id`,
    [countyId, entity, filter.active ?? null, JSON.stringify(filter.contains ?? {})],
  );
  return rows.map((row) => row.record as MasterDataRecords[E]);
}

/**
 * Creates or replaces records, each only when it differs from the stored one (jsonb equality), so
 * writing the same record again changes nothing: no revision, no event. Returns the rows written.
 */
export async function writeRecords(tx: Queryable, countyId: string, items: readonly { entity: MasterDataEntity; id: string; record: AnyRecord['record']; active: boolean }[]): Promise<WrittenRow[]> {
  if (items.length === 0) return [];
  const { rows } = await tx.query<{ entity: MasterDataEntity; id: string; record: AnyRecord['record']; revision: number }>(
    `INSERT INTO masterdata (county_id, entity, id, record, active)
     SELECT $1, entity, id, record, active
       FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::boolean[]) WITH ORDINALITY AS t(entity, id, record, active, n)
      ORDER BY n
     ON CONFLICT (county_id, entity, id) DO UPDATE
        SET record = EXCLUDED.record, active = EXCLUDED.active, revision = masterdata.revision + 1, updated_at = now()
      WHERE masterdata.record IS DISTINCT FROM EXCLUDED.record OR masterdata.active IS DISTINCT FROM EXCLUDED.active
     RETURNING entity, id, record, revision`,
    [countyId, items.map((i) => i.entity), items.map((i) => i.id), items.map((i) => JSON.stringify(i.record)), items.map((i) => i.active)],
  );
  return rows.map((row) => ({ ...row, created: row.revision === 1 }));
}

/**
 * Takes out of service every active record of the county that is not in `keep` (the county record
 * itself is never deactivated). Returns the rows written, their records now `active: false`.
 */
export async function deactivateAllBut(tx: Queryable, countyId: string, keep: readonly { entity: MasterDataEntity; id: string }[]): Promise<WrittenRow[]> {
  const { rows } = await tx.query<{ entity: MasterDataEntity; id: string; record: AnyRecord['record']; revision: number }>(
    `UPDATE masterdata m
        SET active = false, record = jsonb_set(m.record, '{active}', 'false'), revision = m.revision + 1, updated_at = now()
      WHERE m.county_id = $1 AND m.active AND m.entity <> 'county'
        AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS k(entity, id) WHERE k.entity = m.entity AND k.id = m.id)
      RETURNING m.entity, m.id, m.record, m.revision`,
    [countyId, keep.map((k) => k.entity), keep.map((k) => k.id)],
  );
  return rows.map((row) => ({ ...row, created: false }));
}

/** Villages among `codes` that an active village station other than `stationId` serves. */
export async function villagesServedElsewhere(db: Queryable, countyId: string, codes: readonly string[], stationId: string): Promise<{ villageCode: string; stationId: string }[]> {
  if (codes.length === 0) return [];
  const { rows } = await db.query<{ village_code: string; station_id: string }>(
    `SELECT village_code, station_id FROM village_stations
      WHERE county_id = $1 AND village_code = ANY($2::text[]) AND station_id <> $3
      ORDER BY village_code`,
    [countyId, codes, stationId],
  );
  return rows.map((row) => ({ villageCode: row.village_code, stationId: row.station_id }));
}

const servesVillages = (station: Station) => station.active && station.kind === 'village';

/** Points the villages a station serves at it when it is an active village station, and at nothing otherwise. */
export async function setStationVillages(tx: Queryable, station: Station): Promise<void> {
  await tx.query('DELETE FROM village_stations WHERE county_id = $1 AND station_id = $2', [station.countyId, station.id]);
  if (servesVillages(station)) await insertVillageStations(tx, station.countyId, [station]);
}

/** The county's whole village→station index, from its stations (the import replaces them all). */
export async function rebuildVillageStations(tx: Queryable, countyId: string, stations: readonly Station[]): Promise<void> {
  await tx.query('DELETE FROM village_stations WHERE county_id = $1', [countyId]);
  await insertVillageStations(tx, countyId, stations.filter(servesVillages));
}

async function insertVillageStations(tx: Queryable, countyId: string, stations: readonly Station[]): Promise<void> {
  const pairs = stations.flatMap((station) => station.villageCodes.map((code) => [code, station.id] as const));
  if (pairs.length === 0) return;
  try {
    await tx.query(
      `INSERT INTO village_stations (county_id, village_code, station_id)
       SELECT $1, village_code, station_id FROM unnest($2::text[], $3::text[]) AS t(village_code, station_id)`,
      [countyId, pairs.map(([code]) => code), pairs.map(([, id]) => id)],
    );
  } catch (err) {
    // Checked before writing under the county's lock; only rows written around these functions get here.
    if ((err as { code?: string }).code === PgErrorCode.UNIQUE_VIOLATION) {
      throw fail('VILLAGE_SERVED', `a village of ${stations.map((s) => s.id).join(', ')} is served by another active village station already`);
    }
    throw err;
  }
}
