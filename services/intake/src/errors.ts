import { defineErrors } from '@county/platform';

/**
 * Intake's error codes and their HTTP status (docs/style.md "Errors and config"), beside the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, KEY_NOT_FOUND, …: `packages/platform/src/errors.ts`).
 */
export const { catalogue: intakeErrors, fail } = defineErrors({
  COURIER_REQUIRED: { status: 400, message: 'name the courier (courierId) the parcels belong to' },
  PARCEL_NOT_FOUND: { status: 404, message: 'no such parcel' },
  PARCEL_CONFLICT: { status: 409, message: 'this waybill was announced before with other content; the conflict is recorded for operators' },
  ADDRESS_NOT_UNKNOWN: { status: 409, message: 'the parcel has no open address_unknown exception to correct' },
  UNKNOWN_COURIER: { status: 422, message: 'no active courier of that id in this county' },
  UNKNOWN_STATION: { status: 422, message: 'no active station of that id in this county' },
  DESTINATION_UNRESOLVED: { status: 422, message: 'the destination does not resolve to an active village or town station' },
  BOOKING_CONFLICT: { status: 409, message: 'this booking id was booked before with other content' },
  // What the parcel lifecycle refuses (packages/contracts/src/lifecycle/rejections.ts): the body
  // carries the reason in English and Chinese and names the scan's field at fault.
  WRONG_DIRECTION: { status: 409, message: 'the scan applies to parcels of the other direction' },
  WRONG_STATION: { status: 409, message: 'the scan names a station that is not the parcel’s (its current destination, origin or town station)' },
  TERMINAL_CONFLICT: { status: 409, message: 'the parcel already ended otherwise (delivered, returned or lost)' },
  ROUTE_ALREADY_DEPARTED: { status: 409, message: 'the route left the center and can no longer be cancelled' },
  // Master data. Schema problems of a body are VALIDATION_FAILED (zod on the route); these are the
  // rules across records.
  MASTERDATA_NOT_FOUND: { status: 404, message: 'no such record in this county' },
  COUNTY_NOT_SET_UP: { status: 409, message: 'the county has no master data yet: PUT /counties/:countyId or import it first' },
  MASTERDATA_INVALID: { status: 422, message: 'the record breaks a rule of the county’s master data' },
  MASTERDATA_CONFLICT: { status: 409, message: 'the change would break other records of the county' },
  VILLAGE_SERVED: { status: 409, message: 'a village is served by another active village station already' },
  IMPORT_INVALID: { status: 422, message: 'the import has problems; nothing was imported' },
});

export type IntakeErrorCode = keyof typeof intakeErrors;
