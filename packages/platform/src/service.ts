import { roles, topics } from '@county/contracts';
import { keyEventHandlers } from './auth/keys.js';
import { createHttpApp } from './http/app.js';
import { consume, type Runtime } from './runtime.js';

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

/**
 * Keeps this service's copy of the API keys current from `masterdata.events` (DESIGN.md §3
 * "Access"). The consumer name carries the service, so each service's group reads every key event.
 */
export function consumeAccessKeys(runtime: Runtime): Promise<void> {
  return consume(runtime, { name: `${runtime.service}.access-keys`, topics: [topics.masterdata.name], handlers: keyEventHandlers });
}
