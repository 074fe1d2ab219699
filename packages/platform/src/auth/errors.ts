import { errorFactory } from '../errors.js';

/** The platform's access codes, the same in every service (DESIGN.md §3 "Access"). */
export const accessErrorCatalogue = {
  UNAUTHENTICATED: { status: 401, message: 'a valid API key is required (x-api-key or Authorization: Bearer)' },
  AMBIGUOUS_CREDENTIALS: { status: 401, message: 'x-api-key and Authorization: Bearer carry different keys; send one key' },
  FORBIDDEN: { status: 403, message: 'this key may not do that' },
  RATE_LIMITED: { status: 429, message: 'too many requests for this key; retry later' },
  KEY_NOT_FOUND: { status: 404, message: 'no such key in this county' },
  KEY_REVOKED: { status: 409, message: 'the key is revoked and can no longer change' },
  VALIDATION_FAILED: { status: 400, message: 'the key is invalid' },
} as const;

export const accessError = errorFactory(accessErrorCatalogue);
