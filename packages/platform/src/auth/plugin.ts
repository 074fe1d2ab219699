import type { ApiKeyRecord, Principal } from '@county/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Queryable } from '../postgres.js';
import type { Redis } from '../redis.js';
import { checkRouteAccess, mayCall, principalOf, rateLimitOf, type RouteAccess } from './access.js';
import { platformError } from '../errors.js';
import { KeyCache } from './key-cache.js';
import { keyMatches, parseKey } from './key-format.js';
import { findKey } from './keys.js';
import { createLimiter, type RateLimitSettings } from './rate-limit.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: `'public'` or the roles. Required on every route (see registerAuth). */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The caller, on routes that are not public; null on public routes. */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** For the instance that changes a key: drop its cached copy so the change bites at once here. */
    accessKeys: { forget(keyId: string): void };
  }
}

export interface AuthSettings {
  /** The service's pool: its schema holds its copy of the keys. */
  pool: Queryable;
  /** Counts requests per key for rate limiting; only a cache, so it may be down. */
  redis: Redis;
  /** How long a looked-up key is trusted before asking Postgres again (default 2 s). */
  keyCacheTtlMs?: number;
  rateLimit?: RateLimitSettings;
}

/** The platform's own routes, open to probes, scrapers and readers of the API document. */
const PLATFORM_PUBLIC = /^\/(health\/|metrics$|docs($|\/))/;
const DEFAULT_ANONYMOUS_MAX = 300;

/**
 * The distinct keys the request presents, in `x-api-key` and `Authorization: Bearer`: none, one, or
 * two different ones, which are refused rather than one of them picked by header order (#8). The
 * same key in both headers is one key.
 */
function presentedKeys(request: FastifyRequest): string[] {
  const header = request.headers['x-api-key'];
  const apiKey = typeof header === 'string' ? header.trim() : undefined;
  const authorization = request.headers.authorization;
  const bearer = authorization ? /^Bearer\s+(.*)$/i.exec(authorization)?.[1]?.trim() : undefined;
  // An empty header presents nothing.
  return [...new Set([apiKey, bearer].filter((key): key is string => !!key))];
}

/**
 * API-key authentication and per-route authorisation (docs/architecture.md §3 "Access"). Every route declares
 * `config.access`; one that does not fails at registration, so nothing is open by omission. Each
 * request then goes: identify the key (from this service's own copy, never another service), count
 * it against its rate limit (or its IP's, without a valid key), and only then refuse it — so
 * refused requests are rate limited too. Register before any route, as createHttpApp does.
 */
export async function registerAuth(app: FastifyInstance, service: string, settings: AuthSettings): Promise<void> {
  const cache = new KeyCache((keyId) => findKey(settings.pool, keyId), settings.keyCacheTtlMs ?? 2000);
  const limit = await createLimiter(app, settings.redis, service, settings.rateLimit);
  const anonymousMax = settings.rateLimit?.anonymousMax ?? DEFAULT_ANONYMOUS_MAX;

  app.decorate('accessKeys', { forget: (keyId: string) => cache.forget(keyId) });
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (route.config?.access === undefined && PLATFORM_PUBLIC.test(route.url ?? '')) {
      route.config = { ...route.config, access: 'public', rateLimit: false };
      return;
    }
    const access = checkRouteAccess(route.config?.access, `${String(route.method)} ${route.url}`);
    // The OpenAPI document says which routes need a key.
    if (access !== 'public') route.schema = { ...route.schema, security: [{ apiKey: [] }] };
  });

  const authenticate = async (presented: string): Promise<ApiKeyRecord | undefined> => {
    const parsed = parseKey(presented);
    if (!parsed) return undefined;
    const record = await cache.get(parsed.keyId);
    if (!record || record.revokedAt !== null || !keyMatches(presented, record.hash)) return undefined;
    return record;
  };

  app.addHook('onRequest', async (request, reply) => {
    const { access, rateLimit } = request.routeOptions.config;
    // Only the not-found handler has no declaration: there is nothing behind it to protect.
    if (access === undefined) return;
    const presented = access === 'public' ? [] : presentedKeys(request);
    const record = presented.length === 1 ? await authenticate(presented[0]!) : undefined;
    if (rateLimit !== false) {
      await limit(request, reply, record ? { key: `key:${record.keyId}`, max: rateLimitOf(record) } : { key: `ip:${request.ip}`, max: anonymousMax });
    }
    if (access === 'public') return;
    if (presented.length > 1) {
      throw platformError('AMBIGUOUS_CREDENTIALS', undefined, [
        { path: 'headers.authorization', reason: 'carries another key than x-api-key; send one key, in either header' },
      ]);
    }
    if (!record) throw platformError('UNAUTHENTICATED', presented.length > 0 ? 'unknown or revoked API key' : undefined);
    request.principal = principalOf(record);
    // The key id (never the key) goes on every log line of the request, "request completed" included.
    request.log = reply.log = request.log.child({ keyId: record.keyId, role: record.role });
    if (!mayCall(access, record.role)) {
      throw platformError('FORBIDDEN', `the ${record.role} role may not call ${request.method} ${request.routeOptions.url}`);
    }
  });
}

/** The caller of a route that is not public; for handlers, which run only after authentication. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw platformError('UNAUTHENTICATED');
  return request.principal;
}
