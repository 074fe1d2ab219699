import { defineErrors } from '@county/platform';

/**
 * sla's error codes and their HTTP status (docs/style.md "Errors and config"), beside the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, …: `packages/platform/src/errors.ts`).
 */
export const { catalogue: slaErrors, fail } = defineErrors({
  // timeline and alerts (src/timeline, src/alerts)
  SLA_PARCEL_NOT_FOUND: { status: 404, message: 'sla holds no parcel of that id in this county' },
  SLA_ALERT_NOT_FOUND: { status: 404, message: 'no alert of that id in this county' },
});
