import { defineErrors } from '@county/platform';

/**
 * coldchain's error codes and their HTTP status (docs/style.md "Errors and config"), beside the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, …: `packages/platform/src/errors.ts`).
 */
export const { catalogue: coldchainErrors, fail } = defineErrors({
  // Readings in (src/readings/): a batch of which no reading could be stored; each is named in `details`.
  READINGS_REFUSED: { status: 422, message: 'no reading of the batch could be stored: each is named with its field and reason' },
  // monitoring — excursions, alarms, the live view (src/monitoring/).
  ALARM_NOT_FOUND: { status: 404, message: 'no such alarm in this county' },
  ALARM_ALREADY_ACKNOWLEDGED: { status: 409, message: 'the alarm was acknowledged already' },
  ALARM_ALREADY_CLEARED: { status: 409, message: 'the alarm was cleared already' },
  EXCURSION_NOT_FOUND: { status: 404, message: 'no such excursion in this county' },
  EXCURSION_SUPERSEDED: { status: 409, message: 'late readings replaced this excursion by another: resolve that one' },
  EXCURSION_ALREADY_RESOLVED: { status: 409, message: 'the excursion has that resolution already' },
  // catalogue — profiles, containers and bindings (src/catalogue/). A body's form is VALIDATION_FAILED; these are
  // what it names that the county does not have, or a change that would leave something pointing nowhere.
  PROFILE_NOT_FOUND: { status: 404, message: 'no product profile of that id in this county' },
  PROFILE_UNKNOWN: { status: 422, message: 'the request names a product profile this county does not have' },
  PROFILE_IN_USE: { status: 409, message: 'the profile is the county’s default or a container expects it: change those first' },
  CONTAINER_NOT_FOUND: { status: 404, message: 'no container of that id in this county' },
  CONTAINER_UNKNOWN: { status: 422, message: 'the request names a container this county does not have' },
  BINDING_NOT_FOUND: { status: 404, message: 'no binding of that id in this county' },
  BINDING_FROM_EVENTS: { status: 409, message: 'this binding follows dispatch’s and intake’s events; correct it with a binding by hand' },
  BINDING_CLOSED: { status: 409, message: 'the binding is closed already' },
  BINDING_INVALID: { status: 422, message: 'the binding’s times do not hold' },
  PARCEL_OF_ANOTHER_COUNTY: { status: 404, message: 'no parcel of that id in this county' },
  // compliance — per-parcel records and stability budgets (src/compliance/).
  COMPLIANCE_NOT_FOUND: { status: 404, message: 'the parcel has no compliance record (yet): one is made at its hand-over or delivery' },
});
