import { bookingSubmittedSchema, type Principal } from '@county/contracts';
import { assertCourier, assertStation, idempotent, requirePrincipal, type App, type IdempotencyDeps } from '@county/platform';
import { fail } from '../errors.js';
import { bookPickup, newBookingId } from '../parcels/book-pickup.js';
import { actorOf, type ScanDeps } from '../parcels/record-scans.js';
import { parcelView } from '../parcels/domain/view.js';

export type BookingRouteDeps = ScanDeps & IdempotencyDeps;

/** Center staff for any courier, a station keeper at its station, a courier for itself. */
const BOOKERS = { access: ['admin', 'operator', 'station', 'courier'] } as const;

const bookingBody = bookingSubmittedSchema.partial({ courierId: true, bookingId: true, stationId: true }).describe(
  'courierId: required except for courier keys (their own); stationId: required except for station keys (their own); bookingId: generated when absent',
);

/** The courier and station a booking is for: named in the body, or the key's own. */
function bookingParties(principal: Principal, body: { courierId?: string | undefined; stationId?: string | undefined }) {
  const courierId = body.courierId ?? (principal.role === 'courier' ? principal.courierId : undefined);
  const stationId = body.stationId ?? (principal.role === 'station' ? principal.stationId : undefined);
  const missing = [
    ...(courierId ? [] : [{ path: 'body.courierId', reason: 'required: the courier whose line-haul takes the produce' }]),
    ...(stationId ? [] : [{ path: 'body.stationId', reason: 'required: the station where the produce is collected' }]),
  ];
  if (!courierId || !stationId) throw fail('VALIDATION_FAILED', undefined, missing);
  assertCourier(principal, courierId);
  assertStation(principal, stationId);
  return { courierId, stationId };
}

/**
 * `POST /bookings`: a pickup of produce at a village station booked by REST (couriers also book on
 * Kafka, consumers/bookings.ts). 201 with the new upstream parcel; the same booking again is 200
 * with the same parcel; the same booking id with other content is 409.
 */
export function registerBookingRoutes(app: App, deps: BookingRouteDeps): void {
  app.post(
    '/bookings',
    {
      config: BOOKERS,
      schema: { tags: ['bookings'], summary: 'Book a pickup of produce at a village station (an upstream parcel in state booked)', body: bookingBody },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { courierId, stationId } = bookingParties(principal, request.body);
      return idempotent(deps, request, reply, async (tx) => {
        const now = deps.now();
        const booking = { ...request.body, courierId, stationId, bookingId: request.body.bookingId ?? newBookingId(now) };
        const outcome = await bookPickup(tx, deps, booking, {
          countyId: principal.countyId,
          actor: actorOf(principal),
          occurredAt: now.toISOString(),
          receivedAt: now.toISOString(),
        });
        switch (outcome.outcome) {
          case 'booked':
            return { status: 201, body: parcelView(outcome.parcel, principal) };
          case 'duplicate':
            return { status: 200, body: parcelView(outcome.parcel, principal) };
          case 'unknown_station':
            throw fail('UNKNOWN_STATION', undefined, [{ path: 'body.stationId', reason: `no active station ${stationId} in county ${principal.countyId}` }]);
          case 'unknown_courier':
            throw fail('UNKNOWN_COURIER', undefined, [{ path: 'body.courierId', reason: `no active courier ${courierId} in county ${principal.countyId}` }]);
          case 'conflict':
            throw fail(
              'BOOKING_CONFLICT',
              `booking ${booking.bookingId} of courier ${courierId} was already booked with other content`,
              outcome.differences.map((field) => ({ path: `body.${field}`, reason: 'differs from the booking as first made' })),
            );
        }
      });
    },
  );
}
