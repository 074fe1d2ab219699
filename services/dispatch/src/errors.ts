import { defineErrors } from '@county/platform';

/**
 * dispatch's error codes and their HTTP status (docs/style.md "Errors and config"), beside the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, …: `packages/platform/src/errors.ts`).
 */
export const { catalogue: dispatchErrors, fail } = defineErrors({
  // Settings, fixed lines and the travel matrix (src/settings/). A body's form is VALIDATION_FAILED; these are
  // what it names that the county does not have.
  LINE_NOT_FOUND: { status: 404, message: 'no fixed line of that id in this county' },
  LINE_INVALID: { status: 422, message: 'the line names stations or a vehicle the county cannot run it with' },
  LINE_CONFLICT: { status: 409, message: 'a station of the line is on another line on the same weekday' },
  MATRIX_NOT_FOUND: { status: 404, message: 'this county has no travel matrix: plans use great-circle km × road factor' },
  MATRIX_INVALID: { status: 422, message: 'the matrix names stations this county does not have' },
  // Plans (src/plans): waves, draft plans, edits, confirm, costs.
  WAVE_NOT_FOUND: { status: 404, message: 'the county has no wave of that id' },
  COUNTY_NOT_KNOWN: { status: 409, message: 'dispatch has no master data of this county yet' },
  PLAN_NOT_FOUND: { status: 404, message: 'no such plan in this county' },
  PLAN_NOT_EDITABLE: { status: 409, message: 'only a draft plan can change; this one is confirmed, cancelled or superseded' },
  PLAN_REVISION_STALE: { status: 409, message: 'the plan changed since that revision: read it again and retry' },
  PLAN_REVISION_REQUIRED: { status: 428, message: 'send the plan’s revision (If-Match or body revision) with an edit' },
  PLAN_EDIT_REFUSED: { status: 422, message: 'the plan cannot be changed that way' },
  PLAN_EMPTY: { status: 422, message: 'the plan has no route to confirm' },
  WAVE_ALREADY_CONFIRMED: { status: 409, message: 'the wave has a confirmed plan already' },
  PARCELS_ALREADY_ROUTED: { status: 409, message: 'parcels of the plan are on a live route already; re-plan the wave' },
  VEHICLES_ALREADY_ROUTED: { status: 409, message: 'vehicles of the plan are out on a live route of another plan; re-plan the wave' },
  WAVE_NOT_CONFIRMED: { status: 404, message: 'the wave has no confirmed plan yet' },
  PLANNER_BUSY: { status: 503, message: 'the planner has too many waves queued; retry in a minute' },
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
