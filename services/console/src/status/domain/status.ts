/** A service as the console's header shows it. */
export type ServiceStatus = 'up' | 'down' | 'degraded';

/** What a service's `/health/ready` answered, if it answered at all. */
export type ReadyAnswer = { answered: false } | { answered: true; httpStatus: number; body: unknown };

/**
 * `/health/ready` of the platform (packages/platform/src/http/health.ts): 200 `ready`, 200 `degraded` (Kafka,
 * Redis or a consumer down: requests are still served), 503 `unready` (Postgres away or migrations pending).
 */
export function statusOf(answer: ReadyAnswer): ServiceStatus {
  if (!answer.answered || answer.httpStatus >= 500) return 'down';
  const status = (answer.body as { status?: unknown } | null)?.status;
  if (answer.httpStatus === 200 && status === 'ready') return 'up';
  return 'degraded';
}
