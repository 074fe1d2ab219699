import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorBody, platformError, type PlatformErrorCode } from '../errors.js';
import { isOutage } from '../messaging/outage.js';

const RETRY_AFTER_SECONDS = 5;

/** Fastify's own 4xx codes, named for clients in our vocabulary. */
const fastifyCodes: Record<string, PlatformErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
};

/**
 * SQLSTATEs that a client's text causes (issue #8): NUL or a lone surrogate Postgres cannot store
 * (22P05 in jsonb, 22021 in text), and a value of the wrong form for its column's type (22P02).
 * Validation refuses such text first (`textSchema`); this keeps a field it missed from being a 500.
 */
const inputSqlStates: Record<string, string> = {
  '22P05': 'the request holds text that cannot be stored: NUL or an unpaired surrogate',
  '22021': 'the request holds a character that cannot be stored: NUL or an invalid byte sequence',
  '22P02': 'a value in the request is not of the form its field takes',
};

function inputSqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code in inputSqlStates ? code : undefined;
}

function fieldPath(context: string | undefined, instancePath: string): string {
  const inner = instancePath.replace(/^\//, '').replace(/\//g, '.');
  return [context, inner].filter(Boolean).join('.');
}

/** Answers with the error's catalogued status, in the one error shape. */
function send(reply: FastifyReply, error: AppError): FastifyReply {
  return reply.code(error.statusCode).send(errorBody(error));
}

/**
 * One error shape for every error (`{ error: { code, message, details } }`), its status from the
 * code's catalogue (`errors.ts`). Bad input names the field and the reason; a 5xx never leaks its
 * message or stack, only the request id to quote.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({ path: fieldPath(err.validationContext, v.instancePath), reason: v.message ?? 'invalid' }));
      return send(reply, platformError('VALIDATION_FAILED', undefined, details));
    }
    if (err instanceof AppError) {
      if (err.statusCode < 500) return send(reply, err);
      request.log.error({ err }, 'request failed');
      return send(reply, new AppError(err.code, err.statusCode, `internal error (request ${request.id})`));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own refusals, named in our catalogue; one not named yet is logged, so it can be.
      const code = fastifyCodes[err.code];
      if (!code) request.log.warn({ fastifyCode: err.code, status }, 'a Fastify refusal without a code of ours: answered 400 BAD_REQUEST');
      return send(reply, platformError(code ?? 'BAD_REQUEST', err.message));
    }
    const sqlState = inputSqlState(err);
    if (sqlState) {
      // Not the message: Postgres quotes the value, which may be a phone number or a name.
      request.log.warn({ sqlState }, 'input refused by Postgres: a field validation let through');
      return send(reply, platformError('INVALID_INPUT', inputSqlStates[sqlState]!));
    }
    if (isOutage(err)) {
      // Postgres (or another backing service) is away: nothing was done, and the same request will
      // work once it is back — say so, so clients retry instead of giving up on a 500.
      request.log.warn({ err: err.message }, 'backing service unavailable');
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return send(reply, platformError('UNAVAILABLE', `a backing service is unavailable; retry in a few seconds (request ${request.id})`));
    }
    request.log.error({ err }, 'request failed');
    return send(reply, platformError('INTERNAL', `internal error (request ${request.id})`));
  });

  app.setNotFoundHandler((request, reply) => {
    send(reply, platformError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}
