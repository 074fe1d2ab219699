/**
 * The web app's one way to the services: every call goes to this origin's reverse proxy,
 * `/api/<service><path>` (services/console), with the signed-in key in `x-api-key`. Errors come back in the
 * platform's one shape, `{ error: { code, message, details: [{ path, reason }] } }`; a service that does not
 * answer is `SERVICE_UNAVAILABLE` (the proxy's 503, or a network failure).
 */
export type Service = 'intake' | 'dispatch' | 'coldchain' | 'sla' | 'console';

export interface FieldError {
  /** e.g. `body.budgetSeconds`, `querystring.from`, `body.scans[3].occurredAt` */
  path: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[],
    readonly service: Service,
  ) {
    super(message);
  }

  get unavailable(): boolean {
    return this.code === 'SERVICE_UNAVAILABLE' || this.status === 502 || this.status === 503 || this.status === 504;
  }

  /** The reason for one form field, matched on the last segment of its path (`body.budgetSeconds` → `budgetSeconds`). */
  fieldReason(field: string): string | undefined {
    return this.details.find((d) => d.path === field || d.path.endsWith(`.${field}`) || d.path.endsWith(`[${field}]`))?.reason;
  }
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  /** 'json' (default), 'text' (CSV), 'blob' (a download) */
  as?: 'json' | 'text' | 'blob';
  signal?: AbortSignal;
}

export interface Api {
  readonly key: string;
  request<T = unknown>(method: string, service: Service, path: string, options?: RequestOptions): Promise<T>;
  get<T = unknown>(service: Service, path: string, options?: RequestOptions): Promise<T>;
  post<T = unknown>(service: Service, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  put<T = unknown>(service: Service, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  del<T = unknown>(service: Service, path: string, options?: RequestOptions): Promise<T>;
}

function url(service: Service, path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/api/${service}${path}${qs ? `?${qs}` : ''}`;
}

async function failure(res: Response, service: Service): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: string; message?: string; details?: FieldError[] } } | undefined)?.error;
  return new ApiError(res.status, error?.code ?? `HTTP_${res.status}`, error?.message ?? res.statusText, Array.isArray(error?.details) ? error.details : [], service);
}

export function createApi(key: string): Api {
  async function request<T>(method: string, service: Service, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: options.as === 'text' ? 'text/csv' : 'application/json', ...options.headers };
    if (key) headers['x-api-key'] = key;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url(service, path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'SERVICE_UNAVAILABLE', `${service} is not answering`, [], service);
    }
    if (!res.ok) throw await failure(res, service);
    if (res.status === 204) return undefined as T;
    if (options.as === 'text') return (await res.text()) as T;
    if (options.as === 'blob') return (await res.blob()) as T;
    return (await res.json()) as T;
  }
  return {
    key,
    request,
    get: (service, path, options) => request('GET', service, path, options),
    post: (service, path, body, options) => request('POST', service, path, { ...options, body }),
    put: (service, path, body, options) => request('PUT', service, path, { ...options, body }),
    del: (service, path, options) => request('DELETE', service, path, options),
  };
}
