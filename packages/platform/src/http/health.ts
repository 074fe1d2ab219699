import type { FastifyInstance } from 'fastify';

export interface HealthCheck {
  name: string;
  /** Critical checks (the source of truth, Postgres) make the service unready; others degrade it. */
  critical: boolean;
  check: () => Promise<void>;
}

interface CheckResult {
  ok: boolean;
  error?: string;
}

const CHECK_TIMEOUT_MS = 2500;

async function runCheck(check: HealthCheck): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/health/live` says the process serves HTTP. `/health/ready` follows docs/architecture.md §4: ready when
 * Postgres answers; Kafka or Redis down is `degraded` (the outbox holds events, Redis is a cache).
 */
export function registerHealthRoutes(app: FastifyInstance, checks: HealthCheck[]): void {
  app.get('/health/live', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/health/ready', { schema: { hide: true } }, async (_request, reply) => {
    const results = await Promise.all(checks.map(async (c) => [c, await runCheck(c)] as const));
    const failed = results.filter(([c, r]) => !r.ok && c.critical).map(([c]) => c.name);
    const degraded = results.filter(([c, r]) => !r.ok && !c.critical).map(([c]) => c.name);
    const body = {
      status: failed.length > 0 ? 'unready' : degraded.length > 0 ? 'degraded' : 'ready',
      failed,
      degraded,
      checks: Object.fromEntries(results.map(([c, r]) => [c.name, r])),
    };
    return reply.code(failed.length > 0 ? 503 : 200).send(body);
  });
}
