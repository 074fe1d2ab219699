import { buildEvent, cleanText, courierStatusTopic, type Envelope, type Issue, topics } from '@county/contracts';
import {
  RejectedError,
  type Clock,
  type ConsumerSpec,
  type EventHandler,
  type MessageMeta,
  type Outbox,
  type PoolClient,
} from '@county/platform';
import { bookPickup, type Booking } from '../parcels/book-pickup.js';
import { courierStatus } from '../parcels/store/masterdata.js';
import { assertOneCourier } from './courier-identity.js';

export interface BookingConsumerDeps {
  /** The service name: the event source and the consumer's name. */
  service: string;
  outbox: Outbox;
  clock: Clock;
}

/**
 * `courier.booking_submitted` on `courier.bookings`: a courier books a pickup of produce at a
 * village station. What the domain refuses (a key, source and courier that disagree, an unknown
 * station or courier, a booking id reused with other content) is thrown as RejectedError, so the
 * runner dead-letters it with the reason; an outage is retried, never dead-lettered.
 */
export function bookingHandlers(deps: BookingConsumerDeps): Record<string, EventHandler> {
  const now = deps.clock;
  return {
    'courier.booking_submitted': {
      handle: async (tx: PoolClient, envelope: Envelope, message: MessageMeta) => {
        const booking = envelope.data as Booking;
        assertOneCourier(envelope, booking.courierId, message, 'books for');
        const outcome = await bookPickup(tx, { outbox: deps.outbox, source: deps.service }, booking, {
          countyId: envelope.countyId,
          actor: { keyId: booking.courierId, role: 'courier' },
          occurredAt: envelope.occurredAt,
          receivedAt: now().toISOString(),
        });
        switch (outcome.outcome) {
          case 'booked':
          case 'duplicate':
            return;
          case 'unknown_station':
            throw new RejectedError(`unknown station ${booking.stationId} in county ${envelope.countyId}`, [
              { path: 'data.stationId', reason: `no active station ${booking.stationId} in county ${envelope.countyId}` },
            ]);
          case 'unknown_courier':
            throw new RejectedError(`unknown courier ${booking.courierId} in county ${envelope.countyId}`, [
              { path: 'data.courierId', reason: `no active courier ${booking.courierId} in county ${envelope.countyId}` },
            ]);
          case 'conflict':
            throw new RejectedError(`booking ${booking.bookingId} was already booked with other content (${outcome.differences.join(', ')})`, [
              ...outcome.differences.map((field) => ({ path: `data.${field}`, reason: `differs from booking ${booking.bookingId} as first booked` })),
            ]);
        }
      },
      refused: (tx, envelope, refusal) => tellCourier(tx, deps, now, envelope, refusal),
    },
  };
}

/**
 * Tells the courier its booking was refused, on its own status topic, in the dead letter's
 * transaction. Only an active courier publishing its own booking is told: a booking naming another
 * courier, or an unknown one, must not reach (or create) that courier's topic.
 */
async function tellCourier(tx: PoolClient, deps: BookingConsumerDeps, now: () => Date, envelope: Envelope, refusal: { reason: string; issues: Issue[] }) {
  const booking = envelope.data as Booking;
  if (envelope.source !== booking.courierId) return;
  if ((await courierStatus(tx, envelope.countyId, booking.courierId)) !== 'active') return;
  const event = buildEvent(
    {
      type: 'courier.booking_rejected',
      countyId: envelope.countyId,
      subject: booking.bookingId,
      source: deps.service,
      correlationId: envelope.id,
      data: {
        courierId: booking.courierId,
        bookingId: booking.bookingId,
        eventId: envelope.id,
        reason: cleanText(refusal.reason),
        issues: refusal.issues.map((i) => ({ path: cleanText(i.path), reason: cleanText(i.reason) })),
      },
    },
    now,
  );
  await deps.outbox.add(tx, { topic: courierStatusTopic(booking.courierId), key: booking.bookingId, event });
}

/** The booking consumer as `consumers.ts` lists it. */
export function bookingConsumer(deps: BookingConsumerDeps): ConsumerSpec {
  return { name: `${deps.service}.bookings`, topics: [topics.courierBookings.name], handlers: bookingHandlers(deps) };
}
