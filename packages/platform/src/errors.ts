import type { Issue } from '@county/contracts';

/**
 * An error the client should see: a stable code, an HTTP status and, for bad input, the fields and
 * reasons. Services declare their catalogue of codes (STYLE.md "Errors and config").
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

export type ErrorCatalogue = Record<string, { status: number; message: string }>;

/** Builds a typed error factory from a service's catalogue: `fail('PARCEL_NOT_FOUND')`. */
export function errorFactory<C extends ErrorCatalogue>(catalogue: C) {
  return (code: keyof C & string, message?: string, details: Issue[] = []): AppError => {
    const entry = catalogue[code];
    if (!entry) throw new Error(`unknown error code ${code}`);
    return new AppError(code, entry.status, message ?? entry.message, details);
  };
}

export interface ErrorBody {
  error: { code: string; message: string; details: Issue[] };
}

export function errorBody(code: string, message: string, details: Issue[] = []): ErrorBody {
  return { error: { code, message, details } };
}
