import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { platformError } from '../errors.js';
import { withTransaction, type Pool, type PoolClient } from '../postgres.js';
import type { Redis } from '../redis.js';

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotencyDeps {
  pool: Pool;
  /** A cache in front of Postgres; losing it loses nothing. */
  redis?: Redis;
  /** Distinguishes services sharing one Redis. */
  namespace: string;
}

const HEADER = 'idempotency-key';
const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;
const CACHE_TTL_SECONDS = 24 * 3600;

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n`)
    .update(JSON.stringify(request.body ?? null))
    .digest('hex');
}

function principalOf(request: FastifyRequest): string {
  return (request as FastifyRequest & { principal?: { keyId: string } }).principal?.keyId ?? 'anonymous';
}

/**
 * Runs a POST's effect in one transaction with its `Idempotency-Key` record (docs/architecture.md §4): a retry
 * with the same key and the same request gets the first response and changes nothing; the same key
 * with a different request is refused. Without the header the effect simply runs in a transaction.
 * A concurrent duplicate waits on the first one's row lock, then replays its response.
 */
export async function idempotent(
  deps: IdempotencyDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  effect: (tx: PoolClient) => Promise<StoredResponse>,
): Promise<FastifyReply> {
  const key = request.headers[HEADER];
  if (key === undefined) {
    const response = await withTransaction(deps.pool, effect);
    return reply.code(response.status).send(response.body);
  }
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw platformError('VALIDATION_FAILED', undefined, [
      { path: 'headers.idempotency-key', reason: '1–200 letters, digits or . _ : -' },
    ]);
  }
  const principal = principalOf(request);
  const hash = requestHash(request);
  const cacheKey = `idem:${deps.namespace}:${principal}:${key}`;

  const cached = await deps.redis?.get(cacheKey).catch(() => null);
  if (cached) return replay(reply, JSON.parse(cached) as StoredResponse & { hash: string }, hash);

  const outcome = await withTransaction(deps.pool, async (tx) => {
    const claimed = await tx.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash, status, body) VALUES ($1, $2, $3, 0, 'null')
       ON CONFLICT DO NOTHING`,
      [principal, key, hash],
    );
    if (claimed.rowCount === 0) {
      const { rows } = await tx.query<{ request_hash: string; status: number; body: unknown }>(
        'SELECT request_hash, status, body FROM idempotency_keys WHERE principal = $1 AND key = $2',
        [principal, key],
      );
      const row = rows[0]!;
      return { replayed: true as const, stored: { status: row.status, body: row.body, hash: row.request_hash } };
    }
    const response = await effect(tx);
    await tx.query('UPDATE idempotency_keys SET status = $3, body = $4 WHERE principal = $1 AND key = $2', [
      principal,
      key,
      response.status,
      JSON.stringify(response.body ?? null),
    ]);
    return { replayed: false as const, stored: { ...response, hash } };
  });
  void deps.redis?.set(cacheKey, JSON.stringify(outcome.stored), 'EX', CACHE_TTL_SECONDS).catch(() => undefined);
  if (outcome.replayed) return replay(reply, outcome.stored, hash);
  return reply.code(outcome.stored.status).send(outcome.stored.body);
}

function replay(reply: FastifyReply, stored: StoredResponse & { hash: string }, hash: string): FastifyReply {
  if (stored.hash !== hash) {
    throw platformError('IDEMPOTENCY_KEY_REUSED', undefined, [
      { path: 'headers.idempotency-key', reason: 'already used with another method, path or body' },
    ]);
  }
  return reply.code(stored.status).header('idempotent-replayed', 'true').send(stored.body);
}
