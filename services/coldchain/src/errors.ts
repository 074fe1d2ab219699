import { defineErrors } from '@county/platform';

/**
 * coldchain's error codes and their HTTP status (docs/style.md "Errors and config"), beside the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, …: `packages/platform/src/errors.ts`).
 */
export const { catalogue: coldchainErrors, fail } = defineErrors({
  // Readings in (src/readings/): a batch of which no reading could be stored; each is named in `details`.
  READINGS_REFUSED: { status: 422, message: 'no reading of the batch could be stored: each is named with its field and reason' },
});
