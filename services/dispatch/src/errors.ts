import { defineErrors } from '@county/platform';

/**
 * dispatch's error codes and their HTTP status (docs/style.md "Errors and config"), beside the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, …: `packages/platform/src/errors.ts`).
 * None of its own yet: the service is a skeleton.
 */
export const { catalogue: dispatchErrors, fail } = defineErrors({});
