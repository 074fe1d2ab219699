import { errorFactory } from '@county/platform';

/**
 * Master data's error codes and their HTTP status. Schema problems of a body are the platform's
 * 400 VALIDATION_FAILED (zod on the route); these are the rules across records.
 */
export const masterDataErrors = {
  VALIDATION_FAILED: { status: 400, message: 'the request is invalid' },
  MASTERDATA_NOT_FOUND: { status: 404, message: 'no such record in this county' },
  COUNTY_NOT_SET_UP: { status: 409, message: 'the county has no master data yet: PUT /counties/:countyId or import it first' },
  MASTERDATA_INVALID: { status: 422, message: 'the record breaks a rule of the county’s master data' },
  MASTERDATA_CONFLICT: { status: 409, message: 'the change would break other records of the county' },
  VILLAGE_SERVED: { status: 409, message: 'a village is served by another active village station already' },
  IMPORT_INVALID: { status: 422, message: 'the import has problems; nothing was imported' },
} as const;

export const masterDataError = errorFactory(masterDataErrors);
