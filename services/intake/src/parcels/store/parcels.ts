import type { Direction, ParcelFact, ParcelState } from '@county/contracts';
import { signalOutboxWrite, type Outbox, type Queryable } from '@county/platform';
import type { Kept } from '../domain/creation.js';
import type { NewParcel, ParcelHead, ParcelRecord } from '../domain/parcel.js';
import type { StartedParcel } from '../domain/start.js';

/** The SQL of parcels and their facts (migration 0002), each function taking the client to use. */

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

/**
 * Loads parcels of a county with their facts, for a batch of facts about them. `forUpdate` locks the
 * rows in the order of their ids, the order every batch locks in (record-scans.ts), so two batches
 * touching the same parcels wait for each other instead of deadlocking. Ids not found are absent.
 */
export async function loadParcels(db: Queryable, countyId: string, parcelIds: readonly string[], { forUpdate = false } = {}): Promise<Map<string, ParcelRecord>> {
  const found = new Map<string, ParcelRecord>();
  if (parcelIds.length === 0) return found;
  const { rows } = await db.query<ParcelRow>(
    `SELECT * FROM parcels WHERE county_id = $1 AND id = ANY($2::uuid[]) ORDER BY id ${forUpdate ? 'FOR UPDATE' : ''}`,
    [countyId, parcelIds],
  );
  if (rows.length === 0) return found;
  const facts = await db.query<{ parcel_id: string; fact: ParcelFact }>(
    'SELECT parcel_id, fact FROM parcel_facts WHERE parcel_id = ANY($1::uuid[]) ORDER BY parcel_id, occurred_at, fact_id',
    [rows.map((r) => r.id)],
  );
  const byParcel = new Map<string, ParcelFact[]>(rows.map((r) => [r.id, []]));
  for (const r of facts.rows) byParcel.get(r.parcel_id)!.push(r.fact);
  for (const row of rows) found.set(row.id, fromRow(row, byParcel.get(row.id)!));
  return found;
}

export async function findParcelId(db: Queryable, countyId: string, courierId: string, waybill: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM parcels WHERE county_id = $1 AND courier_id = $2 AND waybill = $3', [countyId, courierId, waybill]);
  return rows[0]?.id;
}


/**
 * Inserts one parcel unless (county, courier, waybill) exists; returns whether it was inserted. The
 * caller then applies its first fact with applyFact. Parcels are created by createParcels; this
 * one-by-one path is what test/create-parcels.int.test.ts holds it against, and what test seeds use.
 */
export async function insertParcel(db: Queryable, parcel: NewParcel & Pick<ParcelRecord, 'state'>): Promise<boolean> {
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

/**
 * The parcels kept under the candidates' waybills, by waybill. The stored contract is read only
 * where the content differs: a redelivered manifest reads hashes alone.
 */
export async function findKept(
  db: Queryable,
  countyId: string,
  courierId: string,
  candidates: readonly { waybill: string; hash: string; contract: Record<string, unknown> }[],
): Promise<Map<string, Kept>> {
  const { rows } = await db.query<{ id: string; waybill: string; direction: Direction; content_hash: string; contract: Record<string, unknown> | null }>(
    `SELECT p.id, p.waybill, p.direction, p.content_hash, CASE WHEN p.content_hash <> t.hash THEN p.contract END AS contract
       FROM unnest($3::text[], $4::text[]) AS t (waybill, hash)
       JOIN parcels p ON p.county_id = $1 AND p.courier_id = $2 AND p.waybill = t.waybill`,
    [countyId, courierId, candidates.map((c) => c.waybill), candidates.map((c) => c.hash)],
  );
  // Same hash, same content: the candidate's own contract stands for the one not read.
  const own = new Map(candidates.map((c) => [c.waybill, c.contract]));
  return new Map(rows.map((r) => [r.waybill, { parcelId: r.id, direction: r.direction, hash: r.content_hash, contract: r.contract ?? own.get(r.waybill)! }]));
}

/**
 * Inserts new parcels with their first facts and events in one statement; a parcel whose (county,
 * courier, waybill) exists by now (announced before, or another transaction won the race) is left
 * out with its facts and events. Returns the ids inserted.
 */
export async function insertParcels(tx: Queryable, outbox: Outbox, started: readonly StartedParcel[]): Promise<Set<string>> {
  if (started.length === 0) return new Set();
  // In waybill order, so two batches sharing waybills take their unique-index locks in the same
  // order and wait for each other instead of deadlocking.
  const records = started.map((s) => s.record).sort((a, b) => (a.waybill < b.waybill ? -1 : a.waybill > b.waybill ? 1 : 0));
  const facts = started.flatMap((s) => s.facts.map((f) => ({ parcelId: s.record.id, ...f })));
  const registeredAt = new Map(started.map((s) => [s.record.id, s.facts[0]?.fact.receivedAt]));
  const events = outbox.insertPart(
    started.flatMap((s) => s.outbox.map((entry) => ({ guard: s.record.id, entry }))),
    { firstParam: 22, guardedBy: 'parcel' },
  );
  const { rows } = await tx.query<{ id: string }>(
    `WITH parcel AS (
       INSERT INTO parcels (id, county_id, courier_id, waybill, direction, state, progress, exception,
                            destination_station_id, origin_station_id, contract, content_hash, received_at, created_at, updated_at)
       SELECT *, created FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[],
                            $9::text[], $10::text[], $11::jsonb[], $12::text[], $13::timestamptz[], $21::timestamptz[])
                         AS p (id, county_id, courier_id, waybill, direction, state, progress, exception,
                               destination_station_id, origin_station_id, contract, content_hash, received_at, created)
       ON CONFLICT (county_id, courier_id, waybill) DO NOTHING
       RETURNING id
     ), fact AS (
       INSERT INTO parcel_facts (parcel_id, fact_id, kind, occurred_at, received_at, fact, superseded)
       SELECT * FROM unnest($14::uuid[], $15::text[], $16::text[], $17::timestamptz[], $18::timestamptz[], $19::jsonb[], $20::boolean[])
         AS f (parcel_id, fact_id, kind, occurred_at, received_at, fact, superseded)
        WHERE f.parcel_id IN (SELECT id FROM parcel)
     ), event AS (${events.sql})
     SELECT id FROM parcel`,
    [
      records.map((r) => r.id),
      records.map((r) => r.countyId),
      records.map((r) => r.courierId),
      records.map((r) => r.waybill),
      records.map((r) => r.direction),
      records.map((r) => r.state),
      records.map((r) => r.progress),
      records.map((r) => (r.exception ? JSON.stringify(r.exception) : null)),
      records.map((r) => r.destinationStationId),
      records.map((r) => r.originStationId),
      records.map((r) => JSON.stringify(r.contract)),
      records.map((r) => r.contentHash),
      records.map((r) => r.receivedAt),
      facts.map((f) => f.parcelId),
      facts.map((f) => f.fact.id),
      facts.map((f) => f.fact.kind),
      facts.map((f) => f.fact.occurredAt),
      facts.map((f) => f.fact.receivedAt),
      facts.map((f) => JSON.stringify(f.fact)),
      facts.map((f) => f.superseded),
      // Registered when its first fact was received, on the service's clock (an accelerated demo day included).
      records.map((r) => registeredAt.get(r.id) ?? new Date().toISOString()),
      ...events.values,
    ],
  );
  if (rows.length > 0) signalOutboxWrite(tx);
  return new Set(rows.map((r) => r.id));
}

/**
 * Keeps a fact the lifecycle accepted and the parcel's state derived with it: the fact, the facts
 * it overrules marked superseded, and the derived columns.
 */
export async function writeFact(
  tx: Queryable,
  parcel: Pick<ParcelRecord, 'id' | 'state' | 'progress' | 'exception' | 'receivedAt'>,
  fact: ParcelFact,
  supersedes: readonly string[],
): Promise<void> {
  await tx.query(
    `INSERT INTO parcel_facts (parcel_id, fact_id, kind, occurred_at, received_at, fact) VALUES ($1, $2, $3, $4, $5, $6)`,
    [parcel.id, fact.id, fact.kind, fact.occurredAt, fact.receivedAt, JSON.stringify(fact)],
  );
  if (supersedes.length > 0) {
    await tx.query('UPDATE parcel_facts SET superseded = true WHERE parcel_id = $1 AND fact_id = ANY($2::text[])', [parcel.id, supersedes]);
  }
  await tx.query(
    `UPDATE parcels SET state = $2, progress = $3, exception = $4, received_at = $5, updated_at = now() WHERE id = $1`,
    [parcel.id, parcel.state, parcel.progress, parcel.exception ? JSON.stringify(parcel.exception) : null, parcel.receivedAt],
  );
}

/** A fact kept for a parcel, with the parcel as derived once it is. */
export interface KeptFact {
  parcel: Pick<ParcelRecord, 'id' | 'state' | 'progress' | 'exception' | 'receivedAt' | 'townStationId'>;
  fact: ParcelFact;
  supersedes: readonly string[];
}

/**
 * writeFact for many facts in three statements: the facts, the facts they overrule marked
 * superseded, and each parcel's derived columns (its town station too) as of its last fact here.
 */
export async function writeFacts(tx: Queryable, kept: readonly KeptFact[]): Promise<void> {
  if (kept.length === 0) return;
  await tx.query(
    `INSERT INTO parcel_facts (parcel_id, fact_id, kind, occurred_at, received_at, fact)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::jsonb[])`,
    [
      kept.map((k) => k.parcel.id),
      kept.map((k) => k.fact.id),
      kept.map((k) => k.fact.kind),
      kept.map((k) => k.fact.occurredAt),
      kept.map((k) => k.fact.receivedAt),
      kept.map((k) => JSON.stringify(k.fact)),
    ],
  );
  const superseded = kept.flatMap((k) => k.supersedes.map((factId) => ({ parcelId: k.parcel.id, factId })));
  if (superseded.length > 0) {
    await tx.query(
      `UPDATE parcel_facts f SET superseded = true
         FROM unnest($1::uuid[], $2::text[]) AS s (parcel_id, fact_id)
        WHERE f.parcel_id = s.parcel_id AND f.fact_id = s.fact_id`,
      [superseded.map((s) => s.parcelId), superseded.map((s) => s.factId)],
    );
  }
  const last = new Map(kept.map((k) => [k.parcel.id, k.parcel]));
  const parcels = [...last.values()];
  await tx.query(
    `UPDATE parcels p SET state = u.state, progress = u.progress, exception = u.exception, received_at = u.received_at,
                          town_station_id = u.town_station_id, updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[], $6::text[])
         AS u (id, state, progress, exception, received_at, town_station_id)
      WHERE p.id = u.id`,
    [
      parcels.map((p) => p.id),
      parcels.map((p) => p.state),
      parcels.map((p) => p.progress),
      parcels.map((p) => (p.exception ? JSON.stringify(p.exception) : null)),
      parcels.map((p) => p.receivedAt),
      parcels.map((p) => p.townStationId),
    ],
  );
}

/** Sets the destination of a parcel whose address was corrected. */
export async function setDestination(tx: Queryable, parcelId: string, stationId: string): Promise<void> {
  await tx.query('UPDATE parcels SET destination_station_id = $2 WHERE id = $1', [parcelId, stationId]);
}

/** What decides whether a key may scan a parcel, and the parcel's references. */
export interface ParcelScope {
  id: string;
  courierId: string;
  waybill: string;
  destinationStationId: string | null;
  originStationId: string | null;
  townStationId: string | null;
}

/** The parcels of a county by id or by (courier, waybill), with what decides who may scan them. */
export async function findParcelScopes(
  db: Queryable,
  countyId: string,
  ids: readonly string[],
  waybills: readonly { courierId: string; waybill: string }[],
): Promise<ParcelScope[]> {
  type Row = { id: string; courier_id: string; waybill: string; destination_station_id: string | null; origin_station_id: string | null; town_station_id: string | null };
  // Two statements, not one with OR: each keeps to its own index (the primary key; county, courier, waybill).
  const byId = ids.length === 0 ? [] : (
    await db.query<Row>('SELECT id, courier_id, waybill, destination_station_id, origin_station_id, town_station_id FROM parcels WHERE county_id = $1 AND id = ANY($2::uuid[])', [countyId, ids])
  ).rows;
  const byWaybill = waybills.length === 0 ? [] : (
    await db.query<Row>(
      `SELECT p.id, p.courier_id, p.waybill, p.destination_station_id, p.origin_station_id, p.town_station_id FROM parcels p
       JOIN unnest($2::text[], $3::text[]) AS r(courier_id, waybill) ON p.courier_id = r.courier_id AND p.waybill = r.waybill
       WHERE p.county_id = $1`,
      [countyId, waybills.map((r) => r.courierId), waybills.map((r) => r.waybill)],
    )
  ).rows;
  return [...byId, ...byWaybill].map((r) => ({ id: r.id, courierId: r.courier_id, waybill: r.waybill, destinationStationId: r.destination_station_id, originStationId: r.origin_station_id, townStationId: r.town_station_id }));
}
