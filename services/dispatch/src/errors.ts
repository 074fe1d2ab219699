import { defineErrors } from '@county/platform';

/**
 * dispatch's error codes and their HTTP status (docs/style.md "Errors and config"), beside the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, …: `packages/platform/src/errors.ts`).
 */
export const { catalogue: dispatchErrors, fail } = defineErrors({
  // field — the driver's handheld on the road (src/field/): route sheets and field events.
  ROUTE_NOT_FOUND: { status: 404, message: 'no such route in this county' },
  STOP_NOT_FOUND: { status: 404, message: 'the route has no stop of that sequence' },
  FIELD_EVENT_ID_REUSED: { status: 422, message: 'this event id was reported before for this route with other content' },
  PARCEL_NOT_ON_ROUTE: { status: 422, message: 'the parcel is not on this route' },
  PARCEL_NOT_FOR_STOP: { status: 422, message: 'the parcel is on this route but not to be handled this way at this stop' },
  PARCEL_ALREADY_SETTLED: { status: 409, message: 'the parcel was handed over, collected or reported at its stop already' },
  NOTHING_LEFT_AT_STOP: { status: 409, message: 'every parcel of this stop was handed over, collected or reported already' },
  ROUTE_NOT_DEPARTED: { status: 409, message: 'the route has not departed yet: report the departure first' },
  ROUTE_ALREADY_DEPARTED: { status: 409, message: 'the route has departed already' },
  ROUTE_RETURNED: { status: 409, message: 'the route is back at its depot: it takes no more field events' },
  ROUTE_CANCELLED: { status: 409, message: 'the route was cancelled' },
  STOP_ALREADY_ARRIVED: { status: 409, message: 'the arrival at this stop was reported already' },
  EVENT_BEFORE_DEPARTURE: { status: 409, message: 'the event happened before the route departed' },
});

export type DispatchErrorCode = keyof typeof dispatchErrors;
