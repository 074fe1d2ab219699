import type { Issue } from '@county/contracts';

/**
 * An error the client should see: a stable code, the HTTP status its catalogue gives that code and,
 * for bad input, the fields and reasons. Made only by a catalogue's factory (`platformError`, a
 * service's `fail`), so a code and its status are written down once.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details: Issue[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface ErrorEntry {
  status: number;
  message: string;
}

export type ErrorCatalogue = Readonly<Record<string, ErrorEntry>>;

/**
 * The platform's codes, the same in every service: validation and what the framework refuses
 * (`http/`), access (`auth/`, docs/architecture.md §3 "Access"), idempotency, and the 404, 503 and 500 any
 * request may get. A service extends it with `defineErrors`.
 */
export const platformErrors = {
  VALIDATION_FAILED: { status: 400, message: 'the request is invalid' },
  INVALID_JSON: { status: 400, message: 'the body is not valid JSON' },
  INVALID_INPUT: { status: 400, message: 'a value in the request cannot be stored' },
  INVALID_CONTENT_LENGTH: { status: 400, message: 'the content-length does not match the body' },
  BAD_REQUEST: { status: 400, message: 'the request is invalid' },
  BAD_URL: { status: 400, message: 'the URL path is not valid percent-encoding' },
  MALFORMED_REQUEST: { status: 400, message: 'the request is not valid HTTP/1.1' },
  UNAUTHENTICATED: { status: 401, message: 'a valid API key is required (x-api-key or Authorization: Bearer)' },
  AMBIGUOUS_CREDENTIALS: { status: 401, message: 'x-api-key and Authorization: Bearer carry different keys; send one key' },
  FORBIDDEN: { status: 403, message: 'this key may not do that' },
  NOT_FOUND: { status: 404, message: 'no such route' },
  KEY_NOT_FOUND: { status: 404, message: 'no such key in this county' },
  REQUEST_TIMEOUT: { status: 408, message: 'the request did not arrive in time' },
  KEY_REVOKED: { status: 409, message: 'the key is revoked and can no longer change' },
  BODY_TOO_LARGE: { status: 413, message: 'the body is over the route’s limit' },
  PARAM_TOO_LONG: { status: 414, message: 'a path parameter is too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'send the body as application/json' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'this Idempotency-Key was used for a different request' },
  RATE_LIMITED: { status: 429, message: 'too many requests for this key; retry later' },
  HEADERS_TOO_LARGE: { status: 431, message: 'the request line and headers are over 16 KiB (a long query string counts)' },
  INTERNAL: { status: 500, message: 'internal error' },
  UNAVAILABLE: { status: 503, message: 'a backing service is unavailable; retry in a few seconds' },
} as const satisfies ErrorCatalogue;

export type PlatformErrorCode = keyof typeof platformErrors;

/** Builds a typed error factory from a catalogue (a service's `fail`, the platform's `platformError`). */
function errorFactory<C extends ErrorCatalogue>(catalogue: C) {
  return (code: keyof C & string, message?: string, details: Issue[] = []): AppError => {
    const entry = catalogue[code];
    if (!entry) throw new Error(`unknown error code ${code}`);
    return new AppError(code, entry.status, message ?? entry.message, details);
  };
}

/** A platform code as an error: what the platform's own modules throw. */
export const platformError = errorFactory(platformErrors);

/** A service's own codes may not redefine a platform code: one code, one status, everywhere. */
type Own<C> = C & { readonly [K in PlatformErrorCode]?: never };

/**
 * A service's catalogue: the platform's codes and its own (docs/style.md "Errors and config"), and the
 * factory that throws them. Redefining a platform code is a type error, and refused here too.
 */
export function defineErrors<const C extends ErrorCatalogue>(own: Own<C>) {
  const clash = Object.keys(own).filter((code) => code in platformErrors);
  if (clash.length > 0) throw new Error(`error codes already defined by the platform: ${clash.join(', ')}`);
  const catalogue = { ...platformErrors, ...own } as typeof platformErrors & C;
  return { catalogue, fail: errorFactory(catalogue) };
}

export interface ErrorBody {
  error: { code: string; message: string; details: Issue[] } & Record<string, unknown>;
}

export function errorBody(error: AppError, extra: Record<string, unknown> = {}): ErrorBody {
  return { error: { code: error.code, message: error.message, details: error.details, ...extra } };
}

/**
 * An error as a response to keep rather than throw: a refusal stored with its Idempotency-Key, in
 * the transaction that records it (a parcel conflict, a scan the lifecycle refuses). `extra` adds
 * fields beside `code` (the parcel id, the reason in Chinese).
 */
export function errorResponse(error: AppError, extra: Record<string, unknown> = {}): { status: number; body: ErrorBody } {
  return { status: error.statusCode, body: errorBody(error, extra) };
}
