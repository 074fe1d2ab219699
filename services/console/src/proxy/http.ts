import httpProxy from '@fastify/http-proxy';
import type { FastifyInstance, FastifyReply, RawServerBase, RouteGenericInterface } from 'fastify';
import { upstreamNames, type UpstreamName } from '../config.js';
import { fail } from '../errors.js';

/** Long enough for the slowest call the console makes: planning a wave with a generous solver budget. */
const UPSTREAM_TIMEOUT_MS = 120_000;

/**
 * `/api/<service>/*` → the service, prefix stripped: one origin for the web app, so the browser needs no CORS
 * (issue #14 "Shape"). Headers (the key, Accept, Idempotency-Key), bodies and responses pass as they are,
 * CSV downloads too; each service checks the key itself, so the proxy routes are public here and not
 * rate-limited twice. A service that does not answer is a 503 in the one error shape, naming it.
 */
export async function registerProxy(app: FastifyInstance, upstreams: Record<UpstreamName, string>): Promise<void> {
  for (const name of upstreamNames) {
    await app.register(async (scope) => {
      // The proxy hands bodies on unparsed: its own parsers replace the platform's JSON parser in this scope.
      scope.removeAllContentTypeParsers();
      await scope.register(httpProxy, {
        upstream: upstreams[name],
        prefix: `/api/${name}`,
        rewritePrefix: '',
        config: { access: 'public', rateLimit: false },
        undici: { headersTimeout: UPSTREAM_TIMEOUT_MS, bodyTimeout: UPSTREAM_TIMEOUT_MS, connectTimeout: 2_000 },
        replyOptions: {
          // A 503 from a service (not ready yet) is the service's answer: handed on, not retried here.
          retryDelay: () => null,
          onError: (reply, { error }) => unavailable(reply, name, error),
        },
      });
    });
  }
}

/** What reply-from hands `onError`: a reply of any HTTP server. */
type AnyReply = FastifyReply<RouteGenericInterface, RawServerBase>;

function unavailable(reply: AnyReply, name: UpstreamName, error: Error): void {
  const cause = (error.cause as { code?: string; message?: string } | undefined) ?? {};
  reply.log.warn({ upstream: name, err: cause.code ?? error.message }, 'upstream not answering');
  const refusal = fail('SERVICE_UNAVAILABLE', `${name} is not answering`, [{ path: name, reason: cause.code ?? error.message }]);
  reply.code(refusal.statusCode).header('retry-after', '5').send({ error: { code: refusal.code, message: refusal.message, details: refusal.details } });
}
