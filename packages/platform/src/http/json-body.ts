import type { FastifyInstance } from 'fastify';
import { platformError } from '../errors.js';

/**
 * How deep a JSON body may nest. Our deepest bodies (a county import, a batch) nest at most 5
 * levels; code that walks a body recursively (JSON.stringify for the idempotency hash, validators)
 * overflows the stack at some thousands, which was a 500 (issue #8).
 */
const MAX_JSON_DEPTH = 32;

function deeperThan(value: unknown, max: number): boolean {
  // Iterative: the check itself must not overflow on the bodies it refuses.
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Fastify's JSON parser (prototype poisoning refused as before), refusing bodies nested too deep. */
export function installJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body.toString(), (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      if (deeperThan(value, MAX_JSON_DEPTH)) return done(platformError('INVALID_JSON', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return done(null, value);
    });
  });
}
