import { defineErrors } from '@county/platform';

/**
 * console's error codes and their HTTP status (docs/style.md "Errors and config"), beside the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, …: `packages/platform/src/errors.ts`).
 */
export const { catalogue: consoleErrors, fail } = defineErrors({
  // the reverse proxy (src/proxy): one of the four services does not answer
  SERVICE_UNAVAILABLE: { status: 503, message: 'a service is not answering' },
  // trace labels (src/trace)
  TRACE_PARCEL_UNKNOWN: { status: 404, message: 'the console holds no upstream parcel of that id' },
  TRACE_NOT_UPSTREAM: { status: 422, message: 'only upstream parcels (produce from villages) get a trace code' },
  TRACE_CODE_NOT_FOUND: { status: 404, message: 'no label of that code' },
  // dead letters (src/dead-letters)
  BROKER_UNAVAILABLE: { status: 503, message: 'the broker is not answering; retry in a few seconds' },
});
