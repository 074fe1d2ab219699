import type { Queryable } from '@county/platform';
import type { Profile } from '../catalogue/domain/profiles.js';
import type { ComplianceRecord } from './domain/record.js';

/** Compliance records and where their latest revision looked (migration 0031). */

export interface StoredRecord {
  record: ComplianceRecord;
  profile: Profile;
  cause: string;
  computedAt: string;
}

interface RecordRow {
  record: ComplianceRecord;
  profile: Profile;
  cause: string;
  computed_at: Date;
}

const recordOf = (row: RecordRow): StoredRecord => ({ record: row.record, profile: row.profile, cause: row.cause, computedAt: row.computed_at.toISOString() });

export async function latestRecords(db: Queryable, parcelIds: readonly string[]): Promise<Map<string, StoredRecord>> {
  if (parcelIds.length === 0) return new Map();
  const { rows } = await db.query<RecordRow & { parcel_id: string }>(
    `SELECT DISTINCT ON (parcel_id) parcel_id, record, profile, cause, computed_at
       FROM compliance_records WHERE parcel_id = ANY($1::uuid[]) ORDER BY parcel_id, revision DESC`,
    [[...new Set(parcelIds)]],
  );
  return new Map(rows.map((r) => [r.parcel_id, recordOf(r)]));
}

/** A parcel's record: its latest revision, or the one asked for. */
export async function findRecord(db: Queryable, countyId: string, parcelId: string, revision?: number): Promise<StoredRecord | undefined> {
  const { rows } = await db.query<RecordRow>(
    `SELECT record, profile, cause, computed_at FROM compliance_records
      WHERE county_id = $1 AND parcel_id = $2 AND ($3::int IS NULL OR revision = $3)
      ORDER BY revision DESC LIMIT 1`,
    [countyId, parcelId, revision ?? null],
  );
  return rows[0] && recordOf(rows[0]);
}

export interface RevisionSummary {
  revision: number;
  compliant: boolean;
  cause: string;
  computedAt: string;
}

export async function revisionsOf(db: Queryable, countyId: string, parcelId: string): Promise<RevisionSummary[]> {
  const { rows } = await db.query<{ revision: number; compliant: boolean; cause: string; computed_at: Date }>(
    `SELECT revision, (record->>'compliant')::boolean AS compliant, cause, computed_at FROM compliance_records
      WHERE county_id = $1 AND parcel_id = $2 ORDER BY revision`,
    [countyId, parcelId],
  );
  return rows.map((r) => ({ revision: r.revision, compliant: r.compliant, cause: r.cause, computedAt: r.computed_at.toISOString() }));
}

export async function insertRecord(
  db: Queryable,
  countyId: string,
  stored: { record: ComplianceRecord; profile: Profile; cause: string; eventId: string; at: Date },
  coverage: readonly { containerId: string; from: string; to: string }[],
): Promise<void> {
  const { record } = stored;
  await db.query(
    `INSERT INTO compliance_records (parcel_id, revision, county_id, record, profile, cause, event_id, computed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [record.parcelId, record.revision, countyId, JSON.stringify(record), JSON.stringify(stored.profile), stored.cause, stored.eventId, stored.at],
  );
  await db.query(`DELETE FROM compliance_coverage WHERE parcel_id = $1`, [record.parcelId]);
  if (coverage.length === 0) return;
  await db.query(
    `INSERT INTO compliance_coverage (county_id, container_id, parcel_id, from_at, to_at)
     SELECT $1, c.container_id, $2, c.from_at, c.to_at FROM unnest($3::text[], $4::timestamptz[], $5::timestamptz[]) AS c(container_id, from_at, to_at)`,
    [countyId, record.parcelId, coverage.map((c) => c.containerId), coverage.map((c) => c.from), coverage.map((c) => c.to)],
  );
}

/** Parcels whose latest record looked at the container at some time in [from, to]. */
export async function parcelsCovering(db: Queryable, countyId: string, containerId: string, from: Date, to: Date): Promise<string[]> {
  const { rows } = await db.query<{ parcel_id: string }>(
    `SELECT DISTINCT parcel_id FROM compliance_coverage
      WHERE county_id = $1 AND container_id = $2 AND to_at >= $3 AND from_at <= $4
      ORDER BY parcel_id`,
    [countyId, containerId, from, to],
  );
  return rows.map((r) => r.parcel_id);
}
