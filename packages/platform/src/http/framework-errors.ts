import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, platformError, type AppError } from '../errors.js';
import type { Logger } from '../logger.js';

/** The longest path parameter the router matches (Fastify's default); ids and waybills are shorter. */
export const MAX_PARAM_LENGTH = 100;

/**
 * What the router refuses before any route, hook or error handler runs. Without these, Fastify
 * answers in its own shape; clients get ours everywhere (issue #8).
 */
const routerRefusals: Record<string, () => AppError> = {
  FST_ERR_BAD_URL: () => platformError('BAD_URL'),
  FST_ERR_MAX_PARAM_LENGTH: () => platformError('PARAM_TOO_LONG', `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`),
};

/** Fastify's `frameworkErrors` option. */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  let refusal = routerRefusals[err.code]?.();
  if (!refusal) {
    request.log.error({ err }, 'request failed');
    refusal = platformError('INTERNAL', `internal error (request ${request.id})`);
  }
  reply.code(refusal.statusCode).send(errorBody(refusal));
}

/** What Node's HTTP parser refuses, before Fastify sees a request. */
function socketRefusal(code: string | undefined): AppError {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return platformError('REQUEST_TIMEOUT');
    case 'HPE_HEADER_OVERFLOW':
      return platformError('HEADERS_TOO_LARGE');
    default:
      return platformError('MALFORMED_REQUEST');
  }
}

/**
 * Fastify's `clientErrorHandler` option: answers in the error shape on the raw socket, then closes
 * it, as there is no request to reply to and the connection cannot be trusted to carry another.
 */
export function clientErrorHandler(logger: Logger) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    // A reset connection has no one to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const refusal = socketRefusal(err.code);
    logger.debug({ code: err.code }, 'malformed request refused');
    const body = JSON.stringify(errorBody(refusal));
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${refusal.statusCode} ${STATUS_CODES[refusal.statusCode]}\r\n` +
          `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
