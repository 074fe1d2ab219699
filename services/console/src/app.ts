import { fileURLToPath } from 'node:url';
import { createServiceApp, type Runtime } from '@county/platform';
import { upstreamsOf, type Config } from './config.js';
import { registerDeadLetterRoutes } from './dead-letters/http.js';
import { registerProxy } from './proxy/http.js';
import { registerWebApp } from './spa/http.js';
import { registerStatusRoutes } from './status/http.js';

/** What the routes use: the runtime's clients and clock, and the console's own configuration. */
export type AppDeps = Pick<Runtime, 'service' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis' | 'kafka' | 'clock'> & {
  config: Config;
};

const DEFAULT_DIST = fileURLToPath(new URL('../web/dist', import.meta.url));

/** The console's HTTP app: the web app, the proxy to the four services, and its own routes; it never listens. */
export async function buildApp(deps: AppDeps) {
  const { config } = deps;
  const app = await createServiceApp(deps, {
    description: 'Operator console: the web app, one origin for the four services, their status, dead letters, and the public QR trace page.',
  });
  const upstreams = upstreamsOf(config);
  await registerProxy(app, upstreams);
  registerStatusRoutes(app, upstreams);
  registerDeadLetterRoutes(app, { kafka: deps.kafka, topicPrefix: config.TOPIC_PREFIX });
  await registerWebApp(app, config.WEB_DIST ?? DEFAULT_DIST);
  return app;
}
