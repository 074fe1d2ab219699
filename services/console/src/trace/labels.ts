import { randomBytes } from 'node:crypto';
import type { Principal } from '@county/contracts';
import { withTransaction, type Pool } from '@county/platform';
import QRCode from 'qrcode';
import { fail } from '../errors.js';
import { codeFrom } from './domain/codes.js';
import { claimCode, findParcels, parcelOfCode, type LabelledParcel } from './store.js';

export type LabelResult =
  | { parcelId: string; status: 200; code: string; url: string; svg: string }
  | { parcelId: string; status: number; error: { code: string; message: string; details: { path: string; reason: string }[] } };

export function traceUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/t/${code}`;
}

/** Why this key may not label this parcel, if it may not: another county's (as if unknown), another station's. */
function refusal(principal: Principal, parcel: LabelledParcel | undefined, path: string) {
  if (!parcel || parcel.countyId !== principal.countyId) return fail('TRACE_PARCEL_UNKNOWN', undefined, [{ path, reason: 'no upstream parcel of this id in this county' }]);
  if (principal.role === 'station' && parcel.originStationId !== principal.stationId) {
    return fail('FORBIDDEN', `this key is bound to station ${principal.stationId}`, [{ path, reason: `the parcel was collected at another station than ${principal.stationId}` }]);
  }
  return undefined;
}

/**
 * Labels for upstream parcels: each keeps the code it was first given (random, 128 bits), with its URL and QR code
 * as SVG. An id the console holds no upstream parcel of (a downstream parcel, one not booked yet, another county's)
 * and a parcel of another station for a station key are refused item by item, naming `parcelIds[i]`.
 */
export async function makeLabels(pool: Pool, principal: Principal, parcelIds: string[], publicUrl: string): Promise<LabelResult[]> {
  const known = new Map((await findParcels(pool, parcelIds)).map((p) => [p.parcelId, p]));
  return Promise.all(
    parcelIds.map(async (parcelId, i): Promise<LabelResult> => {
      const parcel = known.get(parcelId);
      const refused = refusal(principal, parcel, `body.parcelIds[${i}]`);
      if (refused) return { parcelId, status: refused.statusCode, error: { code: refused.code, message: refused.message, details: refused.details } };
      const code = parcel!.code ?? (await withTransaction(pool, (tx) => claimCode(tx, parcelId, codeFrom(randomBytes(16)))));
      const url = traceUrl(publicUrl, code);
      return { parcelId, status: 200, code, url, svg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
    }),
  );
}

/** A label's QR code as PNG, for a key that may label its parcel. */
export async function labelPng(pool: Pool, principal: Principal, code: string, publicUrl: string): Promise<Buffer> {
  const parcel = await parcelOfCode(pool, code);
  if (!parcel || parcel.countyId !== principal.countyId) throw fail('TRACE_CODE_NOT_FOUND');
  const refused = refusal(principal, parcel, 'params.code');
  if (refused) throw refused;
  return QRCode.toBuffer(traceUrl(publicUrl, code), { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 320 });
}
