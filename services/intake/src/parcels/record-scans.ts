import { type Actor, factFromScan, type ParcelRef, type Principal, type RejectionCode, type Scan } from '@county/contracts';
import type { Queryable } from '@county/platform';
import { applyFact, type ApplyDeps } from './apply-fact.js';
import { centerStationIdOf } from './store/masterdata.js';
import { checkScan, mayScan } from './domain/scan-rules.js';
import type { ParcelRecord } from './domain/parcel.js';
import { findParcelScopes, loadParcel } from './store/parcels.js';

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

/** The scan's field a lifecycle refusal is about, for the client to point at. */
const rejectedField: Record<RejectionCode, string> = {
  WRONG_DIRECTION: 'kind',
  WRONG_STATION: 'stationId',
  TERMINAL_CONFLICT: 'kind',
  ROUTE_ALREADY_DEPARTED: 'kind',
};

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

  const found = await findParcels(tx, principal, centerStationId, admitted.map((index) => scans[index]!.parcel));
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
    // Checked again on the locked row: an address correction may have moved it away meanwhile.
    if (!parcel || !mayScan(principal, parcel, centerStationId)) {
      results[index] = notFound(index, scan.parcel);
      continue;
    }
    const fact = factFromScan(scan, actor, receivedAt);
    const outcome = await applyFact(tx, deps, parcel, fact);
    if (!outcome.accepted) {
      const { code, reason, reasonZh } = outcome;
      results[index] = { index, result: 'rejected', code, path: rejectedField[code], reason, reasonZh, parcelId: parcel.id };
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
 * Parcel ids by reference, within the key's county, of the parcels the key may scan (mayScan):
 * another courier's parcel, or a parcel neither to nor from a keeper's station, is as good as absent
 * (404, never 403, so nothing leaks).
 */
async function findParcels(db: Queryable, principal: Principal, centerStationId: string | undefined, refs: readonly ParcelRef[]): Promise<Map<string, string>> {
  const ids = [...new Set(refs.flatMap((ref) => ('parcelId' in ref && UUID.test(ref.parcelId) ? [ref.parcelId.toLowerCase()] : [])))];
  const waybills = refs.flatMap((ref) => ('waybill' in ref ? [ref] : []));
  const found = new Map<string, string>();
  for (const scope of await findParcelScopes(db, principal.countyId, ids, waybills)) {
    if (!mayScan(principal, { countyId: principal.countyId, ...scope }, centerStationId)) continue;
    found.set(refKey({ parcelId: scope.id }), scope.id);
    found.set(refKey({ courierId: scope.courierId, waybill: scope.waybill }), scope.id);
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
