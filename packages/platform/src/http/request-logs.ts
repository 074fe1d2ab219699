import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** Health probes and metric scrapes: one every few seconds from every orchestrator and Prometheus. */
const PROBE = /^\/(health\/[^?]*|metrics)(\?|$)/;

/** Whether a request URL is a health probe or a metrics scrape. */
export function isProbeUrl(url: string): boolean {
  return PROBE.test(url);
}

/**
 * Fastify's request lines, with probes and scrapes at debug instead of info: at info they were most
 * of what a service logged (issue #9, "A console a person can read"). A probe that fails with an
 * error is still logged as one.
 */
export class QuietProbesLogController extends LogController {
  override incomingRequest(request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    if (!isProbe(request)) return super.incomingRequest(request, reply, metadata);
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    if (error || !isProbe(request)) return super.requestCompleted(error, request, reply, metadata);
    reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

function isProbe(request: FastifyRequest): boolean {
  return isProbeUrl(request.url);
}
