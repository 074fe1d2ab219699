import { factFromScan, type Actor, type ParcelRef, type RejectionCode, type Scan } from '@county/contracts';
import type { Principal, Queryable } from '@county/platform';
import { applyFact, type ApplyDeps } from './apply.js';
import { centerStationIdOf } from './masterdata.js';
import { checkScan } from './scan-rules.js';
import { loadParcel, type ParcelRecord } from './store.js';

export interface ScanDeps extends ApplyDeps {
  now: () => Date;
}

/** Up to this many scans in one uploaded batch, applied in one transaction. */
export const MAX_SCANS_PER_BATCH = 5000;

export type ScanRefusalCode = RejectionCode | 'FORBIDDEN' | 'PARCEL_NOT_FOUND' | 'VALIDATION_FAILED';

export type ScanResult =
  | {
      index: number;
      /** `applied`: the parcel moved; `recorded`: kept in the timeline only; `confirming`: a second report of a step. */
      result: 'applied' | 'recorded' | 'confirming' | 'duplicate';
      parcelId: string;
      factId: string;
      state: string;
      progress: string | null;
      exception: { kind: string; since: string } | null;
    }
  | {
      index: number;
      result: 'rejected';
      code: ScanRefusalCode;
      /** The scan's field at fault, for bad input. */
      path?: string;
      reason: string;
      reasonZh: string;
      parcelId?: string;
    };

export type ScanRejected = Extract<ScanResult, { result: 'rejected' }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies scans from one key (a single scan, or an uploaded batch) in the caller's transaction.
 * Each scan gets its own result; the good ones are applied even when others are refused. The
 * parcels are locked in the order of their ids, so two batches touching the same parcels cannot
 * deadlock, and each scan is decided by the lifecycle against everything already known.
 */
export async function applyScans(tx: Queryable, deps: ScanDeps, principal: Principal, scans: readonly Scan[]): Promise<ScanResult[]> {
  const now = deps.now();
  const receivedAt = now.toISOString();
  const centerStationId = principal.role === 'station' ? await centerStationIdOf(tx, principal.countyId) : undefined;
  const results: ScanResult[] = new Array(scans.length);

  const admitted: number[] = [];
  scans.forEach((scan, index) => {
    const refusal = checkScan(principal, scan, { centerStationId, now });
    if (refusal) results[index] = { index, result: 'rejected', ...refusal };
    else admitted.push(index);
  });

  const found = await findParcels(tx, principal, admitted.map((index) => scans[index]!.parcel));
  const parcels = new Map<string, ParcelRecord>();
  for (const id of [...new Set(found.values())].sort()) {
    const parcel = await loadParcel(tx, principal.countyId, id, { forUpdate: true });
    if (parcel) parcels.set(id, parcel);
  }

  const actor = actorOf(principal);
  for (const index of admitted) {
    const scan = scans[index]!;
    const parcelId = found.get(refKey(scan.parcel));
    const parcel = parcelId === undefined ? undefined : parcels.get(parcelId);
    if (!parcel) {
      results[index] = notFound(index, scan.parcel);
      continue;
    }
    const fact = factFromScan(scan, actor, receivedAt);
    const outcome = await applyFact(tx, deps, parcel, fact);
    if (!outcome.accepted) {
      results[index] = { index, result: 'rejected', code: outcome.code, reason: outcome.reason, reasonZh: outcome.reasonZh, parcelId: parcel.id };
      continue;
    }
    parcels.set(parcel.id, outcome.parcel);
    results[index] = {
      index,
      result: outcome.kind === 'move' ? 'applied' : outcome.kind,
      parcelId: parcel.id,
      factId: fact.id,
      state: outcome.parcel.state,
      progress: outcome.parcel.progress,
      exception: outcome.parcel.exception,
    };
  }
  return results;
}

/** Who a fact is from: the key and its role. Routes keep the bureau out; this only narrows the type. */
export function actorOf(principal: Principal): Actor {
  if (principal.role === 'bureau') throw new Error('the bureau reports no parcel facts');
  return { keyId: principal.keyId, role: principal.role };
}

function refKey(ref: ParcelRef): string {
  return 'parcelId' in ref ? `id:${ref.parcelId.toLowerCase()}` : `wb:${ref.courierId}\u0000${ref.waybill}`;
}

/**
 * Parcel ids by reference, within the key's county. A courier key finds only its own parcels:
 * another courier's parcel is as good as absent (404, never 403, so nothing leaks).
 */
async function findParcels(db: Queryable, principal: Principal, refs: readonly ParcelRef[]): Promise<Map<string, string>> {
  const ids = [...new Set(refs.flatMap((ref) => ('parcelId' in ref && UUID.test(ref.parcelId) ? [ref.parcelId.toLowerCase()] : [])))];
  const waybills = refs.flatMap((ref) => ('waybill' in ref ? [ref] : []));
  const found = new Map<string, string>();
  const ownOnly = principal.role === 'courier' ? principal.courierId ?? null : null;
  if (ids.length > 0) {
    const { rows } = await db.query<{ id: string; courier_id: string }>(
      'SELECT id, courier_id FROM parcels WHERE county_id = $1 AND id = ANY($2::uuid[])',
      [principal.countyId, ids],
    );
    for (const row of rows) if (ownOnly === null || row.courier_id === ownOnly) found.set(refKey({ parcelId: row.id }), row.id);
  }
  if (waybills.length > 0) {
    const { rows } = await db.query<{ id: string; courier_id: string; waybill: string }>(
      `SELECT p.id, p.courier_id, p.waybill FROM parcels p
       JOIN unnest($2::text[], $3::text[]) AS r(courier_id, waybill) ON p.courier_id = r.courier_id AND p.waybill = r.waybill
       WHERE p.county_id = $1`,
      [principal.countyId, waybills.map((r) => r.courierId), waybills.map((r) => r.waybill)],
    );
    for (const row of rows) {
      if (ownOnly === null || row.courier_id === ownOnly) found.set(refKey({ courierId: row.courier_id, waybill: row.waybill }), row.id);
    }
  }
  return found;
}

function notFound(index: number, ref: ParcelRef): ScanRejected {
  const which = 'parcelId' in ref ? `parcel ${ref.parcelId}` : `waybill ${ref.waybill} of courier ${ref.courierId}`;
  return {
    index,
    result: 'rejected',
    code: 'PARCEL_NOT_FOUND',
    path: 'parcel',
    reason: `no ${which} in this county`,
    reasonZh: `本县没有该包裹（${'parcelId' in ref ? ref.parcelId : `${ref.courierId} ${ref.waybill}`}）`,
  };
}
