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
});
