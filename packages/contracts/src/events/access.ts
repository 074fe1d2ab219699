import { z } from 'zod';
import { idSchema, textSchema } from '../common.js';
import { countyIdSchema } from '../envelope.js';
import { countyScopedKey } from '../topics.js';

/** The roles of docs/architecture.md §3 "Access". */
export const roleSchema = z.enum(['admin', 'operator', 'station', 'driver', 'courier', 'bureau']);
export type Role = z.infer<typeof roleSchema>;
export const roles = roleSchema.options;

/**
 * What a key is bound to besides its county: a station keeper to one station, a courier key to one
 * courier of the county, a driver to the vehicles they drive. The other roles are county-wide.
 */
export const keyScopeSchema = z
  .object({
    stationId: idSchema.optional(),
    courierId: idSchema.optional(),
    vehicleIds: z.array(idSchema).min(1).max(50).optional(),
  })
  .strict();
export type KeyScope = z.infer<typeof keyScopeSchema>;

/** Who is calling: the platform's auth plugin sets it on each request from the caller's key. */
export interface Principal {
  keyId: string;
  countyId: string;
  role: Role;
  stationId?: string;
  courierId?: string;
  vehicleIds?: string[];
}

const requiredScope: Record<Role, keyof KeyScope | undefined> = {
  admin: undefined,
  operator: undefined,
  bureau: undefined,
  station: 'stationId',
  courier: 'courierId',
  driver: 'vehicleIds',
};

/**
 * Problems with a scope for a role: each role takes exactly its own binding and no other, so a
 * station key without a station (which would read as "every station") cannot exist.
 */
export function scopeProblems(role: Role, scope: KeyScope): { path: string; reason: string }[] {
  const required = requiredScope[role];
  const problems: { path: string; reason: string }[] = [];
  if (required && scope[required] === undefined) problems.push({ path: required, reason: `required for ${role} keys` });
  for (const field of Object.keys(scope) as (keyof KeyScope)[]) {
    if (field !== required && scope[field] !== undefined) problems.push({ path: field, reason: `not allowed for ${role} keys` });
  }
  return problems;
}

/** `sha256:<hex>` of the whole key; the secret itself is never stored nor published. */
export const keyHashSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 hex digits>');

/** The fields of an API key record, before the per-role scope rule (see apiKeyRecordSchema). */
export const apiKeyFieldsSchema = z
  .object({
    keyId: idSchema,
    countyId: countyIdSchema,
    role: roleSchema,
    scope: keyScopeSchema,
    name: textSchema.trim().min(1).max(100).describe('a label for people: who or what uses the key'),
    hash: keyHashSchema,
    rateLimitPerMinute: z.int().min(1).max(100_000).optional().describe('absent: the role’s default'),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    revision: z.int().min(1),
  })
  .strict();

/**
 * The full record of an API key, as every access event carries it: `masterdata.events` is
 * compacted, so the latest event of a key must be enough to rebuild it. `revision` grows with every
 * change; a copy never applies an older revision over a newer one.
 */
export const apiKeyRecordSchema = apiKeyFieldsSchema.superRefine((record, ctx) => {
  for (const problem of scopeProblems(record.role, record.scope)) {
    ctx.addIssue({ code: 'custom', path: ['scope', problem.path], message: problem.reason });
  }
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

/** A key as the key endpoints show it: everything but the hash. */
export const apiKeySummarySchema = apiKeyFieldsSchema.omit({ hash: true });
export type ApiKeySummary = z.infer<typeof apiKeySummarySchema>;

/** Kafka key of a key's events on the compacted master-data topic: `<countyId>/apikey:<keyId>`. */
export function apiKeyEntityKey(countyId: string, keyId: string): string {
  return countyScopedKey(countyId, `apikey:${keyId}`);
}
