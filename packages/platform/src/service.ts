import { roles, topics } from '@county/contracts';
import type { FastifyInstance } from 'fastify';
import { keyEventHandlers } from './auth/keys.js';
import { createHttpApp } from './http/app.js';
import { exitOnSignals } from './lifecycle.js';
import { consume, type ConsumerSpec, type Runtime } from './runtime.js';

export interface ServiceAppSettings {
  description: string;
}

/**
 * The HTTP app of one of the four services: the platform app with API keys and per-key rate limits
 * on this service's own copy of the keys, and `GET /auth/whoami` so a caller can check its key.
 */
export async function createServiceApp(
  runtime: Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis'> & Partial<Pick<Runtime, 'pacer'>>,
  settings: ServiceAppSettings,
) {
  const app = await createHttpApp({
    service: runtime.service,
    description: settings.description,
    logger: runtime.logger,
    metrics: runtime.metrics,
    health: runtime.health,
    ...(runtime.pacer ? { pacer: runtime.pacer } : {}),
    auth: {
      pool: runtime.pool,
      redis: runtime.redis,
      // Per schema, so each deployment (and each test suite) counts its own requests.
      rateLimit: { namespace: `rate-limit:${runtime.config.DB_SCHEMA}:` },
    },
  });
  app.get(
    '/auth/whoami',
    { config: { access: roles }, schema: { tags: ['access'], summary: 'The caller’s key: id, county, role and scope' } },
    async (request) => request.principal,
  );
  return app;
}

export interface ServiceParts {
  /** The service's `buildApp(runtime)`. */
  app: FastifyInstance;
  /** The service's own consumers (`src/consumers.ts`). */
  consumers: ConsumerSpec[];
}

/**
 * Starts a service in `main.ts`: listens, stops everything cleanly on SIGTERM or SIGINT, and starts
 * its consumers together with the platform's own — the copy of the API keys every service checks
 * requests against, so no service can forget it and answer 401 to every key. Resolves once every
 * consumer has joined its group (or shutdown began first).
 */
export async function startService(runtime: Runtime, { app, consumers }: ServiceParts): Promise<string> {
  runtime.lifecycle.add('http', () => app.close());
  exitOnSignals(runtime.lifecycle, runtime.logger, runtime.config.SHUTDOWN_TIMEOUT_MS);
  const url = await app.listen({ host: runtime.config.HOST, port: runtime.config.PORT });
  runtime.logger.info({ url }, `${runtime.service} listening`);
  // Started together: each waits to join its consumer group.
  await Promise.all([accessKeyConsumer(runtime.service), ...consumers].map((spec) => consume(runtime, spec)));
  return url;
}

/**
 * Keeps this service's copy of the API keys current from `masterdata.events` (docs/architecture.md §3
 * "Access"). The consumer name carries the service, so each service's group reads every key event.
 */
function accessKeyConsumer(service: string): ConsumerSpec {
  return { name: `${service}.access-keys`, topics: [topics.masterdata.name], handlers: keyEventHandlers };
}
