import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Actor, bookingSubmittedSchema, ParcelFact } from '@county/contracts';
import type { Queryable } from '@county/platform';
import type { z } from 'zod';
import { applyFact, type ApplyDeps } from './apply-fact.js';
import { DEFAULT_M3_PER_KG } from './domain/content.js';
import { courierStatus, findStation } from './masterdata.js';
import { findParcelId, insertParcel, loadParcel, type ParcelRecord } from './store.js';

export type Booking = z.infer<typeof bookingSubmittedSchema>;

export interface BookingContext {
  countyId: string;
  actor: Actor;
  /** When the booking was made: the event's `occurredAt`, or the request's time. */
  occurredAt: string;
  receivedAt: string;
}

export type BookingOutcome =
  | { outcome: 'booked' | 'duplicate'; parcel: ParcelRecord }
  | { outcome: 'unknown_station' | 'unknown_courier' }
  | { outcome: 'conflict'; parcelId: string; differences: string[] };

/** A booking id for a booking made without one (REST): date and randomness, as a waybill. */
export function newBookingId(now: Date): string {
  return `BK${now.toISOString().slice(0, 10).replace(/-/g, '')}${randomBytes(5).toString('hex').toUpperCase()}`;
}

/**
 * What is kept of a booking in the parcel's contract: the product, its cold-chain profile, weight,
 * volume (from weight, so vehicle loads can be planned by volume too) and count, and the station it
 * is collected from. The volume has no 1 cm³ floor, unlike an announced parcel's (defaultVolumeM3):
 * the contract and so the content hash of bookings already stored stay as they are.
 */
export function bookingContract(booking: Booking): Record<string, unknown> {
  return {
    bookingId: booking.bookingId,
    stationId: booking.stationId,
    product: booking.product,
    ...(booking.coldChainProfileId ? { coldChainProfileId: booking.coldChainProfileId } : {}),
    weightKg: booking.weightKg,
    volumeM3: Math.round(booking.weightKg * DEFAULT_M3_PER_KG * 1e6) / 1e6,
    count: booking.count,
    ...(booking.readyAt ? { readyAt: booking.readyAt } : {}),
    serviceType: booking.coldChainProfileId ? 'cold_chain' : 'standard',
  };
}

function contentHash(contract: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.keys(contract).sort().map((key) => [key, contract[key]]));
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/**
 * Books a pickup of produce at a village station (DESIGN.md "Parcel lifecycle", upstream): an
 * upstream parcel in state `booked` whose waybill is the booking id (unique per courier), with a
 * `booked` fact, so `parcel.booked` goes out through the outbox in the same transaction. The same
 * booking again is a duplicate; the same booking id with other content is a conflict, never a
 * second parcel.
 */
export async function bookPickup(tx: Queryable, deps: ApplyDeps, booking: Booking, context: BookingContext): Promise<BookingOutcome> {
  const { countyId } = context;
  // Produce is collected at village (or town) stations; the center is where it arrives.
  const station = await findStation(tx, countyId, booking.stationId);
  if (!station || station.kind === 'center') return { outcome: 'unknown_station' };
  if ((await courierStatus(tx, countyId, booking.courierId)) !== 'active') return { outcome: 'unknown_courier' };

  const contract = bookingContract(booking);
  const hash = contentHash(contract);
  const id = randomUUID();
  const inserted = await insertParcel(tx, {
    id,
    countyId,
    courierId: booking.courierId,
    waybill: booking.bookingId,
    direction: 'upstream',
    state: 'booked',
    destinationStationId: null,
    originStationId: booking.stationId,
    contract,
    contentHash: hash,
  });
  if (!inserted) {
    const existingId = (await findParcelId(tx, countyId, booking.courierId, booking.bookingId)) as string;
    const existing = (await loadParcel(tx, countyId, existingId, { forUpdate: true })) as ParcelRecord;
    if (existing.direction === 'upstream' && existing.contentHash === hash) return { outcome: 'duplicate', parcel: existing };
    return { outcome: 'conflict', parcelId: existing.id, differences: differences(existing, contract) };
  }
  const parcel = (await loadParcel(tx, countyId, id, { forUpdate: true })) as ParcelRecord;
  const fact: ParcelFact = {
    id: `booking:${booking.courierId}:${booking.bookingId}`,
    kind: 'booked',
    occurredAt: new Date(context.occurredAt).toISOString(),
    receivedAt: context.receivedAt,
    actor: context.actor,
  };
  const applied = await applyFact(tx, deps, parcel, fact);
  // A new upstream parcel has no fact yet: its `booked` fact cannot be refused.
  if (!applied.accepted) throw new Error(`booked fact refused on a new parcel: ${applied.reason}`);
  return { outcome: 'booked', parcel: applied.parcel };
}

/** Contract fields derived from others: a difference there is reported on the field it comes from. */
const derivedFields = new Set(['volumeM3', 'serviceType']);

/** The booking's fields that differ from the parcel first booked under the same id. */
function differences(existing: ParcelRecord, contract: Record<string, unknown>): string[] {
  if (existing.direction !== 'upstream') return ['bookingId'];
  const keys = new Set([...Object.keys(existing.contract), ...Object.keys(contract)]);
  return [...keys]
    .filter((key) => !derivedFields.has(key) && JSON.stringify(existing.contract[key]) !== JSON.stringify(contract[key]))
    .sort();
}
