import type { z } from 'zod';
import { envelopeSchema, type Envelope } from './envelope.js';
import { eventDefinition } from './registry.js';

/** One problem with an input: where (a dotted path, `""` for the whole) and why. */
export interface Issue {
  path: string;
  reason: string;
}

export function issuesFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): Issue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.'),
    reason: issue.message,
  }));
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

/**
 * Validates an envelope and then its `data` against the schema registered for its type and version.
 * Returns every problem, never throws, so a consumer can dead-letter with the reasons.
 */
export function parseEnvelope(raw: unknown): ParseResult<Envelope> {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, issues: issuesFromZod(envelope.error) };
  const definition = eventDefinition(envelope.data.type);
  if (!definition) return { ok: false, issues: [{ path: 'type', reason: `unknown event type ${envelope.data.type}` }] };
  if (definition.version !== envelope.data.version) {
    return {
      ok: false,
      issues: [{ path: 'version', reason: `${envelope.data.type} is at version ${definition.version}, got ${envelope.data.version}` }],
    };
  }
  const data = definition.data.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, issues: issuesFromZod(data.error, ['data']) };
  return { ok: true, value: { ...envelope.data, data: data.data } };
}
