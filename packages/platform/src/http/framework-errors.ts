import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.js';
import type { Logger } from '../logger.js';

/** The longest path parameter the router matches (Fastify's default); ids and waybills are shorter. */
export const MAX_PARAM_LENGTH = 100;

interface Refusal {
  status: number;
  code: string;
  message: string;
}

/**
 * What the router refuses before any route, hook or error handler runs. Without these, Fastify
 * answers in its own shape; clients get ours everywhere (issue #8).
 */
const routerRefusals: Record<string, Refusal> = {
  FST_ERR_BAD_URL: { status: 400, code: 'BAD_URL', message: 'the URL path is not valid percent-encoding' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'PARAM_TOO_LONG', message: `a path parameter is longer than ${MAX_PARAM_LENGTH} characters` },
};

/** Fastify's `frameworkErrors` option. */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const refusal = routerRefusals[err.code];
  if (!refusal) {
    request.log.error({ err }, 'request failed');
    reply.code(500).send(errorBody('INTERNAL', `internal error (request ${request.id})`));
    return;
  }
  reply.code(refusal.status).send(errorBody(refusal.code, refusal.message));
}

/** What Node's HTTP parser refuses, before Fastify sees a request. */
function socketRefusal(code: string | undefined): Refusal {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time' };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'the request line and headers are over 16 KiB (a long query string counts)' };
    default:
      return { status: 400, code: 'MALFORMED_REQUEST', message: 'the request is not valid HTTP/1.1' };
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
    const body = JSON.stringify(errorBody(refusal.code, refusal.message));
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n` +
          `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
