import type { Queryable } from '@county/platform';

/** Bindings of parcels to containers (migration 0030): from the events, or by hand. */

export interface StoredBinding {
  bindingId: string;
  parcelId: string;
  containerId: string;
  from: string;
  to: string | null;
  origin: 'events' | 'manual';
  createdBy: string | null;
  reason: string | null;
  closedBy: string | null;
  closeReason: string | null;
  createdAt: string;
}

interface BindingRow {
  binding_id: string;
  parcel_id: string;
  container_id: string;
  from_at: Date;
  to_at: Date | null;
  origin: 'events' | 'manual';
  created_by: string | null;
  reason: string | null;
  closed_by: string | null;
  close_reason: string | null;
  created_at: Date;
}

const COLUMNS = 'binding_id, parcel_id, container_id, from_at, to_at, origin, created_by, reason, closed_by, close_reason, created_at';

const bindingOf = (row: BindingRow): StoredBinding => ({
  bindingId: row.binding_id,
  parcelId: row.parcel_id,
  containerId: row.container_id,
  from: row.from_at.toISOString(),
  to: row.to_at?.toISOString() ?? null,
  origin: row.origin,
  createdBy: row.created_by,
  reason: row.reason,
  closedBy: row.closed_by,
  closeReason: row.close_reason,
  createdAt: row.created_at.toISOString(),
});

/** Every binding of the parcels, oldest first. */
export async function bindingsOfParcels(db: Queryable, countyId: string, parcelIds: readonly string[]): Promise<StoredBinding[]> {
  const { rows } = await db.query<BindingRow>(
    `SELECT ${COLUMNS} FROM bindings WHERE county_id = $1 AND parcel_id = ANY($2::uuid[]) ORDER BY parcel_id, from_at, container_id, binding_id`,
    [countyId, [...new Set(parcelIds)]],
  );
  return rows.map(bindingOf);
}

/**
 * Bindings in a container that overlap [from, to] (`to` null: from `from` on), oldest first. A binding holds over
 * [its from, its to): a parcel unloaded at `from` was not there then, one loaded at `to` was.
 */
export async function bindingsInContainer(db: Queryable, countyId: string, containerId: string, from: Date, to: Date | null, limit = 10_000): Promise<StoredBinding[]> {
  const { rows } = await db.query<BindingRow>(
    `SELECT ${COLUMNS} FROM bindings
      WHERE county_id = $1 AND container_id = $2
        AND ($4::timestamptz IS NULL OR from_at <= $4)
        AND (to_at IS NULL OR to_at > $3)
      ORDER BY from_at, parcel_id, binding_id
      LIMIT $5`,
    [countyId, containerId, from, to, limit],
  );
  return rows.map(bindingOf);
}

export async function findBinding(db: Queryable, countyId: string, bindingId: string): Promise<StoredBinding | undefined> {
  const { rows } = await db.query<BindingRow>(`SELECT ${COLUMNS} FROM bindings WHERE county_id = $1 AND binding_id = $2`, [countyId, bindingId]);
  return rows[0] && bindingOf(rows[0]);
}

export interface ManualBinding {
  countyId: string;
  parcelId: string;
  containerId: string;
  from: string;
  to: string | null;
  by: string;
  reason: string;
  at: Date;
}

export async function insertManualBinding(db: Queryable, binding: ManualBinding): Promise<StoredBinding> {
  const { rows } = await db.query<BindingRow>(
    `INSERT INTO bindings (county_id, parcel_id, container_id, from_at, to_at, origin, created_by, reason, created_at)
     VALUES ($1, $2, $3, $4, $5, 'manual', $6, $7, $8)
     RETURNING ${COLUMNS}`,
    [binding.countyId, binding.parcelId, binding.containerId, binding.from, binding.to, binding.by, binding.reason, binding.at],
  );
  return bindingOf(rows[0]!);
}

export async function closeManualBinding(db: Queryable, countyId: string, bindingId: string, to: string, by: string, reason: string): Promise<StoredBinding> {
  const { rows } = await db.query<BindingRow>(
    `UPDATE bindings SET to_at = $3, closed_by = $4, close_reason = $5 WHERE county_id = $1 AND binding_id = $2 RETURNING ${COLUMNS}`,
    [countyId, bindingId, to, by, reason],
  );
  return bindingOf(rows[0]!);
}

/** Takes a binding's row for the transaction. */
export async function lockBinding(db: Queryable, countyId: string, bindingId: string): Promise<StoredBinding | undefined> {
  const { rows } = await db.query<BindingRow>(`SELECT ${COLUMNS} FROM bindings WHERE county_id = $1 AND binding_id = $2 FOR UPDATE`, [countyId, bindingId]);
  return rows[0] && bindingOf(rows[0]);
}
