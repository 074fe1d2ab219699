import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from '../redis.js';
import { platformError } from '../errors.js';

export interface RateLimitSettings {
  /** Redis key prefix; defaults to `rate-limit:<service>:`. Tests give each suite its own. */
  namespace?: string;
  windowMs?: number;
  /** Requests per window per IP for callers without a valid key (public routes, refused keys). */
  anonymousMax?: number;
  /** A Redis that hangs counts as down: the request goes on unlimited after this long. */
  redisTimeoutMs?: number;
}

/** Whom a request is counted against, and how many requests per window they have. */
export interface RateTarget {
  key: string;
  max: number;
}

export type Limiter = (request: FastifyRequest, reply: FastifyReply, target: RateTarget) => Promise<void>;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis gave no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Per-key rate limiting with @fastify/rate-limit, counted in Redis so every instance of a service
 * shares one budget per key. Redis is only a cache (docs/architecture.md §4): when it is down the limiter
 * fails open. The plugin's own `skipOnError` would do that silently, so the store error is caught
 * here instead, to log one warning when failing open starts and one line when it ends.
 */
export async function createLimiter(app: FastifyInstance, redis: Redis, service: string, settings: RateLimitSettings = {}): Promise<Limiter> {
  const { namespace = `rate-limit:${service}:`, windowMs = 60_000, redisTimeoutMs = 500 } = settings;
  await app.register(rateLimit, { global: false, redis, nameSpace: namespace });
  const targets = new WeakMap<FastifyRequest, RateTarget>();
  const check = app.createRateLimit({
    keyGenerator: (request) => targets.get(request)?.key ?? `ip:${request.ip}`,
    max: (request) => targets.get(request)?.max ?? 1,
    timeWindow: windowMs,
    skipOnError: false,
  });
  let failingOpen = false;

  return async (request, reply, target) => {
    targets.set(request, target);
    let result: Awaited<ReturnType<typeof check>>;
    try {
      result = await withTimeout(check(request), redisTimeoutMs);
    } catch (err) {
      if (!failingOpen) app.log.warn({ err: (err as Error).message }, 'rate limiting fails open: Redis unavailable, requests pass unlimited until it returns');
      failingOpen = true;
      return;
    }
    if (failingOpen) app.log.info('rate limiting restored: Redis available again');
    failingOpen = false;
    if (result.isAllowed) return;
    reply.header('x-ratelimit-limit', result.max);
    reply.header('x-ratelimit-remaining', result.remaining);
    reply.header('x-ratelimit-reset', result.ttlInSeconds);
    if (!result.isExceeded) return;
    reply.header('retry-after', result.ttlInSeconds);
    throw platformError('RATE_LIMITED', `more than ${result.max} requests in ${windowMs / 1000} s; retry in ${result.ttlInSeconds} s`);
  };
}
