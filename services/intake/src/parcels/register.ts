import type { Queryable } from '@county/platform';
import { parseParcel } from './domain/content.js';
import type { Candidate } from './domain/creation.js';
import { announcedCandidate, tally, type Announcement, type ItemResult, type RegistrationCounts } from './domain/registration.js';
import { directReads } from './masterdata-reads.js';
import { settleParcels, type CreationResult, type SettleDeps } from './settle-parcels.js';
import { recordConflicts, type NewConflict } from './store/conflicts.js';

export type { Announcement, ItemOutcome, ItemResult } from './domain/registration.js';

export interface RegisterDeps extends SettleDeps {
  now: () => Date;
  /** Items decided together (default CHUNK_SIZE). */
  chunkSize?: number;
  /** Awaited between chunks, so bulk registration yields to interactive requests. */
  pace?: () => Promise<void>;
}

export type Registration =
  | { accepted: false; code: 'UNKNOWN_COURIER'; reason: string }
  | { accepted: true; counts: RegistrationCounts; results: ItemResult[] };

/** Items decided together, with one query per step for all of them: a manifest is one chunk. */
export const CHUNK_SIZE = 1000;

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
  const status = await (deps.masterData ?? directReads).courierStatus(tx, countyId, courierId);
  if (status !== 'active') {
    return {
      accepted: false,
      code: 'UNKNOWN_COURIER',
      reason: `courier ${courierId} is ${status === 'unknown' ? 'not known' : 'not active'} in county ${countyId}`,
    };
  }
  const now = deps.now();
  const scope = { countyId, courierId, now, seen: new Map() };
  const results: ItemResult[] = [];
  const chunkSize = deps.chunkSize ?? CHUNK_SIZE;
  for (let start = 0; start < announcement.items.length; start += chunkSize) {
    if (start > 0) await deps.pace?.();
    const candidates: Candidate[] = [];
    announcement.items.slice(start, start + chunkSize).forEach((raw, offset) => {
      const parsed = parseParcel(raw);
      const index = start + offset;
      if (parsed.ok) candidates.push(announcedCandidate(announcement, index, parsed.contract, parsed.hash, now));
      else results.push({ index, result: 'rejected', issues: parsed.issues });
    });
    const settled = await settleParcels(tx, deps, scope, candidates);
    await recordConflicts(tx, settled.flatMap((s) => conflictOf(announcement, s)));
    results.push(...settled.map(itemResult));
  }
  return { accepted: true, ...tally(results) };
}

function itemResult(settled: CreationResult): ItemResult {
  const { candidate } = settled;
  const { index, waybill } = candidate;
  switch (settled.outcome) {
    case 'created':
      return settled.addressUnknown
        ? { index, result: 'created', parcelId: settled.parcelId, waybill, exception: 'address_unknown', reason: settled.addressUnknown }
        : { index, result: 'created', parcelId: settled.parcelId, waybill, exception: null };
    case 'duplicate':
      return { index, result: 'duplicate', parcelId: settled.parcelId, waybill };
    case 'conflict':
      return { index, result: 'conflict', parcelId: settled.parcelId, waybill, differences: settled.differences };
    case 'rejected':
      return { index, result: 'rejected', issues: [{ path: settled.path, reason: settled.reason }] };
  }
}

/** A conflict is recorded for operators, with what was announced again. */
function conflictOf(announcement: Announcement, settled: CreationResult): NewConflict[] {
  if (settled.outcome !== 'conflict') return [];
  return [
    {
      countyId: announcement.countyId,
      parcelId: settled.parcelId,
      source: announcement.source,
      received: settled.candidate.contract,
      receivedHash: settled.candidate.hash,
      differences: settled.differences,
    },
  ];
}
