import { createHash, randomBytes } from 'node:crypto';
import type { Actor, bookingSubmittedSchema, ParcelFact } from '@county/contracts';
import type { z } from 'zod';
import { DEFAULT_M3_PER_KG, type Difference } from './content.js';
import type { Candidate, Kept } from './creation.js';

export type Booking = z.infer<typeof bookingSubmittedSchema>;

/** Who booked, and when: the event's `occurredAt` or the request's time, and when intake received it. */
export interface BookingContext {
  countyId: string;
  actor: Actor;
  occurredAt: string;
  receivedAt: string;
}

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

/**
 * The content hash of a booking's (flat) contract. Not content.ts's `contentHash`: bookings stored
 * before both paths became one keep their hashes, so booking one again is still a duplicate.
 */
export function bookingHash(contract: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.keys(contract).sort().map((key) => [key, contract[key]]));
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/**
 * A booking as a parcel to create: an upstream parcel whose waybill is the booking id (unique per
 * courier), collected at the booking's station, starting with its `booked` fact.
 */
export function bookingCandidate(booking: Booking, context: BookingContext): Candidate {
  const contract = bookingContract(booking);
  const first: ParcelFact = {
    id: `booking:${booking.courierId}:${booking.bookingId}`,
    kind: 'booked',
    occurredAt: new Date(context.occurredAt).toISOString(),
    receivedAt: context.receivedAt,
    actor: context.actor,
  };
  return { index: 0, waybill: booking.bookingId, direction: 'upstream', contract, hash: bookingHash(contract), place: { stationId: booking.stationId }, first };
}

/** Contract fields derived from others: a difference there is reported on the field it comes from. */
const derivedFields = new Set(['volumeM3', 'serviceType']);

/**
 * The booking's fields that differ from the parcel first booked under the same id, by top-level
 * field; a downstream parcel under that waybill differs in `bookingId` itself.
 */
export function bookingDifferences(kept: Pick<Kept, 'direction'>, found: readonly Difference[]): string[] {
  if (kept.direction !== 'upstream') return ['bookingId'];
  return [...new Set(found.map((d) => d.field.split('.')[0]!))].filter((field) => !derivedFields.has(field)).sort();
}
