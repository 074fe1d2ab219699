import { randomUUID } from 'node:crypto';
import type { Pacer } from '../pacer.js';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { registerAuth, type AuthSettings } from '../auth/plugin.js';
import type { Logger } from '../logger.js';
import { instrumentHttp } from '../metrics.js';
import { installErrorHandlers } from './error-handler.js';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH } from './framework-errors.js';
import { registerHealthRoutes, type HealthCheck } from './health.js';
import { installJsonParser } from './json-body.js';
import { isProbeUrl, QuietProbesLogController } from './request-logs.js';

/** Default body limit; batch routes raise theirs with `bodyLimit: BATCH_BODY_LIMIT`. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const BATCH_BODY_LIMIT = 16 * 1024 * 1024;

export interface HttpAppSettings {
  service: string;
  version?: string;
  description?: string;
  logger: Logger;
  metrics: Registry;
  health: HealthCheck[];
  /**
   * API keys and rate limits (docs/architecture.md §3 "Access"). With it, every route must declare
   * `config.access`; services always pass it, bare apps in platform tests may leave it out.
   */
  auth?: AuthSettings;
  /** Counts the requests in flight, so the service's bulk work yields to them (pacer.ts). */
  pacer?: Pacer;
}

/** The API documents: like probes, nothing a person's work waits on. */
const DOCS = /^\/docs(\/|\?|$)/;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The Fastify app every service builds on: zod validation of body, query and params, one error
 * shape, request ids, health, metrics and the OpenAPI document at `/docs`. It never listens;
 * `main.ts` does, and tests use `inject`.
 */
export async function createHttpApp(settings: HttpAppSettings) {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps Fastify's default generics for plugins.
    loggerInstance: settings.logger as FastifyBaseLogger,
    logController: new QuietProbesLogController(),
    bodyLimit: DEFAULT_BODY_LIMIT,
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Keep-alive connections must not hold up a graceful shutdown.
    forceCloseConnections: 'idle',
    // Refusals before routing, and from Node's HTTP parser, in the one error shape too.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(settings.logger),
  }).withTypeProvider<ZodTypeProvider>();

  const { pacer } = settings;
  if (pacer) {
    const ends = new WeakMap<object, () => void>();
    app.addHook('onRequest', async (request) => {
      // Probes and documents: no person waits on them, and bulk work need not yield to them.
      if (!isProbeUrl(request.url) && !DOCS.test(request.url)) ends.set(request, pacer.begin());
    });
    const end = async (request: object) => ends.get(request)?.();
    app.addHook('onResponse', end);
    app.addHook('onRequestAbort', end);
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installErrorHandlers(app);
  installJsonParser(app);
  // Before any route, so every route (the OpenAPI UI's too) passes the access declaration check.
  if (settings.auth) await registerAuth(app, settings.service, settings.auth);

  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema 2020-12, the dialect of the contracts' documented fragments
      // (the parcel item of a batch, @county/contracts documentedAs), which 3.0 cannot hold as they are.
      openapi: '3.1.0',
      info: { title: `${settings.service} API`, version: settings.version ?? '0.1.0', description: settings.description ?? '' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerHealthRoutes(app, settings.health);
  instrumentHttp(app, settings.metrics);
  return app;
}

export type App = Awaited<ReturnType<typeof createHttpApp>>;
