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
});
