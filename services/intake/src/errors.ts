import { errorFactory } from '@county/platform';

/**
 * Intake's error codes and their HTTP status (STYLE.md "Errors and config"). The access codes
 * (UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, …) come from the platform.
 */
export const intakeErrors = {
  VALIDATION_FAILED: { status: 400, message: 'the request is invalid' },
  COURIER_REQUIRED: { status: 400, message: 'name the courier (courierId) the parcels belong to' },
  PARCEL_NOT_FOUND: { status: 404, message: 'no such parcel' },
  PARCEL_CONFLICT: { status: 409, message: 'this waybill was announced before with other content; the conflict is recorded for operators' },
  ADDRESS_NOT_UNKNOWN: { status: 409, message: 'the parcel has no open address_unknown exception to correct' },
  UNKNOWN_COURIER: { status: 422, message: 'no active courier of that id in this county' },
  UNKNOWN_STATION: { status: 422, message: 'no active station of that id in this county' },
  DESTINATION_UNRESOLVED: { status: 422, message: 'the destination does not resolve to an active village or town station' },
  BOOKING_CONFLICT: { status: 409, message: 'this booking id was booked before with other content' },
} as const;

export type IntakeErrorCode = keyof typeof intakeErrors;

export const fail = errorFactory(intakeErrors);
