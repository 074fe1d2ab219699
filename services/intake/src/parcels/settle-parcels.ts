import { randomUUID } from 'node:crypto';
import type { Queryable } from '@county/platform';
import type { Difference } from './domain/content.js';
import { compareWithKept, needsCenter, parcelToCreate, placeParcel, type Candidate, type Kept } from './domain/creation.js';
import { keyOf } from './domain/destination.js';
import type { ParcelToCreate } from './domain/start.js';
import type { ApplyDeps } from './apply-fact.js';
import { createParcels } from './create-parcels.js';
import { directReads, type MasterDataReads } from './masterdata-reads.js';
import { findKept } from './store/parcels.js';

export interface SettleDeps extends ApplyDeps {
  /** Master data as registration reads it (direct reads when not given). */
  masterData?: MasterDataReads;
}

/** Whose parcels, and when intake received them. */
export interface CreationScope {
  countyId: string;
  courierId: string;
  now: Date;
  /** Waybills settled so far (created, or found kept): shared by the chunks of one announcement. */
  seen: Map<string, Kept>;
}

export type CreationResult =
  | { candidate: Candidate; outcome: 'created'; parcelId: string; addressUnknown?: string }
  | { candidate: Candidate; outcome: 'duplicate'; parcelId: string; kept: Kept }
  | { candidate: Candidate; outcome: 'conflict'; parcelId: string; kept: Kept; differences: Difference[] }
  | { candidate: Candidate; outcome: 'rejected'; path: string; reason: string };

/**
 * The one creation path of a parcel, announced or booked, in the caller's transaction. Settles
 * candidates in rounds: in each, the first candidate of every waybill not yet settled leads (created,
 * or found kept, in a few multi-row statements for all of them), and candidates of waybills
 * settled already are compared with what was kept. A second candidate of a waybill waits for the
 * next round, after its first has settled.
 */
export async function settleParcels(tx: Queryable, deps: SettleDeps, scope: CreationScope, candidates: readonly Candidate[]): Promise<CreationResult[]> {
  const results: CreationResult[] = [];
  let queue = candidates;
  while (queue.length > 0) {
    const leaders: Candidate[] = [];
    const later: Candidate[] = [];
    const leading = new Set<string>();
    for (const candidate of queue) {
      const kept = scope.seen.get(candidate.waybill);
      if (kept) results.push(compared(candidate, kept));
      else if (leading.has(candidate.waybill)) later.push(candidate);
      else {
        leading.add(candidate.waybill);
        leaders.push(candidate);
      }
    }
    await lead(tx, deps, scope, leaders, results);
    queue = later;
  }
  return results;
}

function compared(candidate: Candidate, kept: Kept): CreationResult {
  const comparison = compareWithKept(candidate, kept);
  return comparison.result === 'duplicate'
    ? { candidate, outcome: 'duplicate', parcelId: kept.parcelId, kept }
    : { candidate, outcome: 'conflict', parcelId: kept.parcelId, kept, differences: comparison.differences };
}

/**
 * Waybills new to this announcement: created, or found kept. Creating comes first, in one
 * statement that leaves out every waybill stored already (`ON CONFLICT DO NOTHING`), and only the
 * candidates it left out are looked up: a new parcel, nearly every one, costs no lookup and no
 * round trip of its own (issue #8). A candidate whose place does not resolve is refused only when
 * no parcel is kept under its waybill, as if it had been looked up first.
 */
async function lead(tx: Queryable, deps: SettleDeps, scope: CreationScope, leaders: Candidate[], results: CreationResult[]): Promise<void> {
  if (leaders.length === 0) return;
  const { planned, unplaced } = await plan(tx, deps.masterData ?? directReads, scope, leaders);
  const inserted = await createParcels(tx, deps, planned.map((p) => p.create), scope.now);
  const notCreated: Candidate[] = [...unplaced.keys()];
  for (const { candidate, create, addressUnknown } of planned) {
    const parcelId = create.parcel.id;
    if (!inserted.has(parcelId)) {
      notCreated.push(candidate);
      continue;
    }
    scope.seen.set(candidate.waybill, { parcelId, direction: candidate.direction, hash: candidate.hash, contract: candidate.contract });
    results.push({ candidate, outcome: 'created', parcelId, ...(addressUnknown ? { addressUnknown } : {}) });
  }
  const unsettled = notCreated.length > 0 ? await compareWithStored(tx, scope, notCreated, results) : [];
  const lost: string[] = [];
  for (const candidate of unsettled) {
    const refusal = unplaced.get(candidate);
    if (refusal) results.push({ candidate, outcome: 'rejected', ...refusal });
    else lost.push(candidate.waybill);
  }
  if (lost.length > 0) throw new Error(`waybills neither created nor found: ${lost.join(', ')}`);
}

/** Compares candidates with stored parcels of the same waybill; returns those none was found for. */
async function compareWithStored(tx: Queryable, scope: CreationScope, candidates: Candidate[], results: CreationResult[]): Promise<Candidate[]> {
  const stored = await findKept(tx, scope.countyId, scope.courierId, candidates);
  const fresh: Candidate[] = [];
  for (const candidate of candidates) {
    const kept = stored.get(candidate.waybill);
    if (!kept) {
      fresh.push(candidate);
      continue;
    }
    scope.seen.set(candidate.waybill, kept);
    results.push(compared(candidate, kept));
  }
  return fresh;
}

interface Planned {
  candidate: Candidate;
  create: ParcelToCreate;
  /** Why the destination did not resolve, for parcels created in `address_unknown`. */
  addressUnknown?: string;
}

/**
 * Places each candidate (destinations resolved in one query) and gives it its first facts; those
 * that cannot be placed come back with the reason.
 */
async function plan(tx: Queryable, reads: MasterDataReads, scope: CreationScope, candidates: Candidate[]): Promise<{ planned: Planned[]; unplaced: Map<Candidate, { path: string; reason: string }> }> {
  const { countyId, courierId, now } = scope;
  const resolved = await reads.resolveDestinations(tx, countyId, candidates.flatMap((c) => c.place ?? []));
  const centerId = candidates.some((c) => needsCenter(c, resolved)) ? ((await reads.centerStationIdOf(tx, countyId)) ?? null) : null;
  const planned: Planned[] = [];
  const unplaced = new Map<Candidate, { path: string; reason: string }>();
  for (const candidate of candidates) {
    const stationId = candidate.place ? resolved.get(keyOf(candidate.place)) : undefined;
    const placement = placeParcel(countyId, candidate, stationId, centerId);
    if (!placement.ok) {
      unplaced.set(candidate, { path: placement.path, reason: placement.reason });
      continue;
    }
    const create = parcelToCreate({ id: randomUUID(), countyId, courierId, now }, candidate, placement);
    const reason = placement.addressUnknown?.reason;
    planned.push({ candidate, create, ...(reason ? { addressUnknown: reason } : {}) });
  }
  return { planned, unplaced };
}
