import type { Queryable } from '@county/platform';
import type { ApplyDeps } from './apply-fact.js';
import { bookingCandidate, bookingDifferences, type Booking, type BookingContext } from './domain/booking.js';
import type { ParcelRecord } from './domain/parcel.js';
import { settleParcels } from './settle-parcels.js';
import { courierStatus, findStation } from './store/masterdata.js';
import { loadParcel } from './store/parcels.js';

export { newBookingId, type Booking, type BookingContext } from './domain/booking.js';

export type BookingOutcome =
  | { outcome: 'booked' | 'duplicate'; parcel: ParcelRecord }
  | { outcome: 'unknown_station' | 'unknown_courier' }
  | { outcome: 'conflict'; parcelId: string; differences: string[] };

/**
 * Books a pickup of produce at a village station (docs/architecture.md "Parcel lifecycle", upstream): an upstream parcel in state `booked` whose waybill is the booking id (unique per
 * courier), created by the same path as an announced parcel (settle-parcels.ts), so `parcel.booked`
 * goes out through the outbox in the same transaction. The same booking again is a duplicate; the
 * same booking id with other content is a conflict, never a second parcel.
 */
export async function bookPickup(tx: Queryable, deps: ApplyDeps, booking: Booking, context: BookingContext): Promise<BookingOutcome> {
  const { countyId } = context;
  // Produce is collected at village (or town) stations; the center is where it arrives.
  const station = await findStation(tx, countyId, booking.stationId);
  if (!station || station.kind === 'center') return { outcome: 'unknown_station' };
  if ((await courierStatus(tx, countyId, booking.courierId)) !== 'active') return { outcome: 'unknown_courier' };

  const scope = { countyId, courierId: booking.courierId, now: new Date(context.receivedAt), seen: new Map() };
  const [settled] = await settleParcels(tx, deps, scope, [bookingCandidate(booking, context)]);
  switch (settled!.outcome) {
    case 'created':
    case 'duplicate': {
      const parcel = (await loadParcel(tx, countyId, settled!.parcelId, { forUpdate: true })) as ParcelRecord;
      return { outcome: settled!.outcome === 'created' ? 'booked' : 'duplicate', parcel };
    }
    case 'conflict':
      return { outcome: 'conflict', parcelId: settled!.parcelId, differences: bookingDifferences(settled!.kept, settled!.differences) };
    case 'rejected':
      // The station was found active above: only a station deactivated meanwhile gets here.
      return { outcome: 'unknown_station' };
  }
}
