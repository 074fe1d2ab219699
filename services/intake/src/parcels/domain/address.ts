import type { ParcelFact } from '@county/contracts';
import type { ParcelRecord } from './parcel.js';

/**
 * Whether an `address_unknown` stands open, even behind a later exception (the parcel shows only its
 * latest): nothing that clears it (a correction, a delivery) happened after the last report of it.
 */
export function addressUnknownOpen(parcel: Pick<ParcelRecord, 'exception' | 'facts'>): boolean {
  if (parcel.exception?.kind === 'address_unknown') return true;
  const at = (fact: ParcelFact) => Date.parse(fact.occurredAt);
  const reports = parcel.facts.filter((f) => f.kind === 'address_unknown');
  if (reports.length === 0) return false;
  const last = Math.max(...reports.map(at));
  return !parcel.facts.some((f) => (f.kind === 'address_corrected' && at(f) >= last) || (f.kind === 'deliver' && at(f) > last));
}
