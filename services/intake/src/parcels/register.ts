import { randomUUID } from 'node:crypto';
import type { Actor, Issue, ParcelFact } from '@county/contracts';
import type { Outbox, Queryable } from '@county/platform';
import { recordConflicts, type NewConflict } from './list-conflicts.js';
import { differences, parseParcel, type Difference, type ParcelContract } from './domain/content.js';
import { centerStationIdOf, courierStatus, keyOf, resolveDestinations, unresolvedReason, type Destination } from './masterdata.js';
import { createParcels, type ParcelToCreate } from './create-parcels.js';

export interface RegisterDeps {
  outbox: Outbox;
  /** The `source` of the events: the service. */
  source: string;
  now: () => Date;
}

/** Parcels one courier of one county announces at once: a Kafka manifest or a REST batch. */
export interface Announcement {
  countyId: string;
  courierId: string;
  items: readonly unknown[];
  /** Who announced them: the courier's key, an operator's, or the courier itself over Kafka. */
  actor: Actor;
  /** When they were announced: the manifest's `occurredAt`, or now for REST. */
  occurredAt: string;
  /** Where they came from, kept with conflicts: `manifest:<courierId>:<manifestId>` or `rest:<keyId>`. */
  source: string;
}

export type ItemResult =
  | { index: number; result: 'created'; parcelId: string; waybill: string; exception: 'address_unknown' | null; reason?: string }
  | { index: number; result: 'duplicate'; parcelId: string; waybill: string }
  | { index: number; result: 'conflict'; parcelId: string; waybill: string; differences: Difference[] }
  | { index: number; result: 'rejected'; issues: Issue[] };

export type ItemOutcome = ItemResult['result'];

export type Registration =
  | { accepted: false; code: 'UNKNOWN_COURIER'; reason: string }
  | { accepted: true; counts: Record<ItemOutcome | 'addressUnknown', number>; results: ItemResult[] };

/** Items decided together, with one query per step for all of them: a manifest is one chunk. */
export const CHUNK_SIZE = 1000;

/** The service itself notices an unresolved destination when the parcel arrives. */
const INTAKE_ACTOR: Actor = { keyId: 'intake', role: 'service' };

interface Valid {
  index: number;
  contract: ParcelContract;
  hash: string;
}

/** The parcel kept for a waybill: what a later item with the same waybill is compared with. */
interface Kept {
  parcelId: string;
  hash: string;
  contract: ParcelContract;
}

interface Run {
  tx: Queryable;
  deps: RegisterDeps;
  announcement: Announcement;
  now: Date;
  /** Waybills settled so far in this batch (created, or found). */
  seen: Map<string, Kept>;
  results: ItemResult[];
  conflicts: NewConflict[];
  center?: string | null;
}

/**
 * Registers a batch of announced parcels in the caller's transaction (the intake issue): each valid
 * new parcel is created with its `manifested` fact (`booked` upstream) and events; the same parcel
 * again is a duplicate; the same waybill with other content is a conflict recorded for operators,
 * the first parcel kept unchanged; a destination that does not resolve to an active village (or
 * town) station still creates the parcel, in an `address_unknown` exception at the county center. Bad
 * items are reported by index, the others taken. An unknown or inactive courier refuses the batch.
 */
export async function registerParcels(tx: Queryable, deps: RegisterDeps, announcement: Announcement): Promise<Registration> {
  const { countyId, courierId } = announcement;
  const status = await courierStatus(tx, countyId, courierId);
  if (status !== 'active') {
    return {
      accepted: false,
      code: 'UNKNOWN_COURIER',
      reason: `courier ${courierId} is ${status === 'unknown' ? 'not known' : 'not active'} in county ${countyId}`,
    };
  }
  const run: Run = { tx, deps, announcement, now: deps.now(), seen: new Map(), results: [], conflicts: [] };
  for (let start = 0; start < announcement.items.length; start += CHUNK_SIZE) {
    const valid: Valid[] = [];
    announcement.items.slice(start, start + CHUNK_SIZE).forEach((raw, offset) => {
      const parsed = parseParcel(raw);
      const index = start + offset;
      if (parsed.ok) valid.push({ index, contract: parsed.contract, hash: parsed.hash });
      else run.results.push({ index, result: 'rejected', issues: parsed.issues });
    });
    await settle(run, valid);
  }
  const results = run.results.sort((a, b) => a.index - b.index);
  const counts = { created: 0, duplicate: 0, conflict: 0, rejected: 0, addressUnknown: 0 };
  for (const item of results) {
    counts[item.result] += 1;
    if (item.result === 'created' && item.exception) counts.addressUnknown += 1;
  }
  return { accepted: true, counts, results };
}

/**
 * Settles items in rounds: in each, the first item of every waybill not yet settled leads (created
 * or found in one go), and the items of waybills settled already are compared with what was kept.
 * A second item of a waybill waits for the next round, after its first has settled.
 */
async function settle(run: Run, items: Valid[]): Promise<void> {
  let queue = items;
  while (queue.length > 0) {
    const leaders: Valid[] = [];
    const later: Valid[] = [];
    const leading = new Set<string>();
    for (const item of queue) {
      const waybill = item.contract.waybill;
      const kept = run.seen.get(waybill);
      if (kept) compare(run, item, kept);
      else if (leading.has(waybill)) later.push(item);
      else {
        leading.add(waybill);
        leaders.push(item);
      }
    }
    await lead(run, leaders);
    await recordConflicts(run.tx, run.conflicts);
    run.conflicts = [];
    queue = later;
  }
}

/** Waybills new to this batch: found among stored parcels, or created. */
async function lead(run: Run, leaders: Valid[]): Promise<void> {
  if (leaders.length === 0) return;
  const fresh = await compareWithStored(run, leaders);
  const planned = await plan(run, fresh);
  const inserted = await createParcels(run.tx, run.deps, planned.map((p) => p.create), run.now);
  const raced: Valid[] = [];
  for (const { item, create, reason } of planned) {
    if (!inserted.has(create.parcel.id)) {
      raced.push(item);
      continue;
    }
    const { waybill } = item.contract;
    run.seen.set(waybill, { parcelId: create.parcel.id, hash: item.hash, contract: item.contract });
    run.results.push({
      index: item.index,
      result: 'created',
      parcelId: create.parcel.id,
      waybill,
      exception: reason ? 'address_unknown' : null,
      ...(reason ? { reason } : {}),
    });
  }
  // Another transaction stored these waybills meanwhile: they are settled against its parcels.
  const unsettled = raced.length > 0 ? await compareWithStored(run, raced) : [];
  if (unsettled.length > 0) throw new Error(`waybills neither created nor found: ${unsettled.map((i) => i.contract.waybill).join(', ')}`);
}

/** Compares items with stored parcels of the same waybill; returns the items none was found for. */
async function compareWithStored(run: Run, items: Valid[]): Promise<Valid[]> {
  const { countyId, courierId } = run.announcement;
  const { rows } = await run.tx.query<{ id: string; waybill: string; content_hash: string; contract: ParcelContract | null }>(
    // The stored contract is read only where it differs: a redelivered manifest reads hashes alone.
    `SELECT p.id, p.waybill, p.content_hash, CASE WHEN p.content_hash <> t.hash THEN p.contract END AS contract
       FROM unnest($3::text[], $4::text[]) AS t (waybill, hash)
       JOIN parcels p ON p.county_id = $1 AND p.courier_id = $2 AND p.waybill = t.waybill`,
    [countyId, courierId, items.map((i) => i.contract.waybill), items.map((i) => i.hash)],
  );
  const stored = new Map(rows.map((r) => [r.waybill, r]));
  const fresh: Valid[] = [];
  for (const item of items) {
    const row = stored.get(item.contract.waybill);
    if (!row) {
      fresh.push(item);
      continue;
    }
    const kept = { parcelId: row.id, hash: row.content_hash, contract: row.contract ?? item.contract };
    run.seen.set(item.contract.waybill, kept);
    compare(run, item, kept);
  }
  return fresh;
}

function compare(run: Run, item: Valid, kept: Kept): void {
  const { waybill } = item.contract;
  if (item.hash === kept.hash) {
    run.results.push({ index: item.index, result: 'duplicate', parcelId: kept.parcelId, waybill });
    return;
  }
  const found = differences(kept.contract, item.contract);
  run.conflicts.push({
    countyId: run.announcement.countyId,
    parcelId: kept.parcelId,
    source: run.announcement.source,
    received: item.contract,
    receivedHash: item.hash,
    differences: found,
  });
  run.results.push({ index: item.index, result: 'conflict', parcelId: kept.parcelId, waybill, differences: found });
}

interface Planned {
  item: Valid;
  create: ParcelToCreate;
  /** Why the destination did not resolve, for parcels created in `address_unknown`. */
  reason?: string;
}

/** The parcel and first facts of each new item, destinations resolved in one query. */
async function plan(run: Run, items: Valid[]): Promise<Planned[]> {
  const { countyId } = run.announcement;
  const wanted = (c: ParcelContract): Destination | undefined =>
    c.direction === 'upstream' ? (c.originStationId ? { stationId: c.originStationId } : undefined) : c.destination;
  const resolved = await resolveDestinations(run.tx, countyId, items.flatMap((i) => wanted(i.contract) ?? []));
  const planned: Planned[] = [];
  for (const item of items) {
    const { contract } = item;
    const destination = wanted(contract)!;
    const stationId = resolved.get(keyOf(destination));
    if (contract.direction === 'upstream') {
      if (stationId) planned.push({ item, create: newParcel(run, item, { originStationId: stationId }, []) });
      else reject(run, item, 'originStationId', `station ${contract.originStationId} is not an active village or town station of county ${countyId}`);
      continue;
    }
    if (stationId) {
      planned.push({ item, create: newParcel(run, item, { destinationStationId: stationId }, []) });
      continue;
    }
    const center = await centerOf(run);
    const reason = unresolvedReason(countyId, destination);
    if (!center) {
      reject(run, item, 'destination', `${reason}, and the county has no active center station to hold the parcel`);
      continue;
    }
    planned.push({ item, reason, create: newParcel(run, item, {}, [addressUnknownFact(run, contract.waybill, center, reason)]) });
  }
  return planned;
}

function newParcel(
  run: Run,
  item: Valid,
  stations: { destinationStationId?: string; originStationId?: string },
  laterFacts: ParcelFact[],
): ParcelToCreate {
  const { countyId, courierId, actor, occurredAt } = run.announcement;
  const { contract } = item;
  const kind = contract.direction === 'upstream' ? 'booked' : 'manifested';
  const first: ParcelFact = {
    // From (courier, waybill): the same announcement again is a duplicate fact, never a second one.
    id: `${kind}:${courierId}:${contract.waybill}`,
    kind,
    occurredAt,
    receivedAt: run.now.toISOString(),
    actor,
  };
  return {
    parcel: {
      id: randomUUID(),
      countyId,
      courierId,
      waybill: contract.waybill,
      direction: contract.direction,
      destinationStationId: stations.destinationStationId ?? null,
      originStationId: stations.originStationId ?? null,
      contract,
      contentHash: item.hash,
    },
    facts: [first, ...laterFacts],
  };
}

function addressUnknownFact(run: Run, waybill: string, centerId: string, reason: string): ParcelFact {
  const at = run.now.toISOString();
  return {
    id: `address_unknown:${run.announcement.courierId}:${waybill}`,
    kind: 'address_unknown',
    stationId: centerId,
    // Noticed on arrival: when intake received the announcement, not when the courier sent it.
    occurredAt: at,
    receivedAt: at,
    actor: INTAKE_ACTOR,
    reason,
  };
}

function reject(run: Run, item: Valid, path: string, reason: string): void {
  run.results.push({ index: item.index, result: 'rejected', issues: [{ path, reason }] });
}

async function centerOf(run: Run): Promise<string | null> {
  if (run.center === undefined) run.center = (await centerStationIdOf(run.tx, run.announcement.countyId)) ?? null;
  return run.center;
}
