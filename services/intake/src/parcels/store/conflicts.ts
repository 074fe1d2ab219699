import type { Queryable } from '@county/platform';
import type { Difference } from '../domain/content.js';

/** The same (courier, waybill) announced again with other content (the intake issue). */
export interface NewConflict {
  countyId: string;
  parcelId: string;
  /** Where the announcement came from: `manifest:<courierId>:<manifestId>` or `rest:<keyId>`. */
  source: string;
  received: Record<string, unknown>;
  receivedHash: string;
  differences: Difference[];
}

/**
 * Records conflicts for operators; the parcel kept is never changed. An open conflict with the same
 * content already recorded is not recorded again (a manifest delivered twice).
 */
export async function recordConflicts(tx: Queryable, conflicts: readonly NewConflict[]): Promise<void> {
  if (conflicts.length === 0) return;
  await tx.query(
    `INSERT INTO parcel_conflicts (county_id, parcel_id, source, received, received_hash, differences)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::jsonb[], $5::text[], $6::jsonb[])
     ON CONFLICT (parcel_id, received_hash) WHERE resolved_at IS NULL DO NOTHING`,
    [
      conflicts.map((c) => c.countyId),
      conflicts.map((c) => c.parcelId),
      conflicts.map((c) => c.source),
      conflicts.map((c) => JSON.stringify(c.received)),
      conflicts.map((c) => c.receivedHash),
      conflicts.map((c) => JSON.stringify(c.differences)),
    ],
  );
}

export interface ConflictView {
  id: string;
  parcelId: string;
  courierId: string;
  waybill: string;
  source: string;
  differences: Difference[];
  createdAt: string;
}

export interface ConflictQuery {
  countyId: string;
  courierId?: string;
  /** Conflicts after this id (the `next` of the previous page). */
  after?: string;
  limit: number;
}

/** Open conflicts of a county, oldest first; the announcement received is not shown (it names people). */
export async function listOpenConflicts(db: Queryable, query: ConflictQuery): Promise<{ conflicts: ConflictView[]; next: string | null }> {
  const { rows } = await db.query<{
    id: string;
    parcel_id: string;
    courier_id: string;
    waybill: string;
    source: string;
    differences: Difference[];
    created_at: Date;
  }>(
    `SELECT c.id, c.parcel_id, p.courier_id, p.waybill, c.source, c.differences, c.created_at
       FROM parcel_conflicts c JOIN parcels p ON p.id = c.parcel_id
      WHERE c.county_id = $1 AND c.resolved_at IS NULL
        AND ($2::text IS NULL OR p.courier_id = $2)
        AND ($3::bigint IS NULL OR c.id > $3)
      ORDER BY c.id
      LIMIT $4`,
    [query.countyId, query.courierId ?? null, query.after ?? null, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  return {
    conflicts: page.map((r) => ({
      id: String(r.id),
      parcelId: r.parcel_id,
      courierId: r.courier_id,
      waybill: r.waybill,
      source: r.source,
      differences: r.differences,
      createdAt: r.created_at.toISOString(),
    })),
    next: rows.length > query.limit ? String(page.at(-1)!.id) : null,
  };
}
