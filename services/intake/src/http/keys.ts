import {
  apiKeySummarySchema,
  countyIdSchema,
  idSchema,
  keyScopeSchema,
  type Principal,
  roleSchema,
  scopeProblems,
  textSchema,
} from '@county/contracts';
import {
  assertCounty,
  changeKey,
  findKey,
  issueKey,
  listKeys,
  requirePrincipal,
  revokeKey,
  summaryOf,
  withTransaction,
  type App,
  type Outbox,
  type Pool,
  type Queryable,
} from '@county/platform';
import { z } from 'zod';
import { fail } from '../errors.js';

export interface KeyRouteDeps {
  pool: Pool;
  outbox: Outbox;
  now: () => Date;
}

/** Only a county's admins manage its keys (packages/platform/README.md has the matrix). */
const ADMINS = { access: ['admin'] } as const;

const rateLimitSchema = z.int().min(1).max(100_000);

const createBody = z
  .object({
    countyId: countyIdSchema.optional().describe('defaults to the admin’s own county, the only one allowed'),
    role: roleSchema,
    scope: keyScopeSchema.default({}).describe('stationId for station keys, courierId for courier keys, vehicleIds for driver keys'),
    name: textSchema.trim().min(1).max(100),
    rateLimitPerMinute: rateLimitSchema.optional().describe('requests per minute; the role’s default when absent'),
  })
  .strict()
  .superRefine((body, ctx) => {
    for (const problem of scopeProblems(body.role, body.scope)) {
      ctx.addIssue({ code: 'custom', path: ['scope', problem.path], message: problem.reason });
    }
  });

const changeBody = z
  .object({
    name: textSchema.trim().min(1).max(100).optional(),
    scope: keyScopeSchema.optional(),
    rateLimitPerMinute: rateLimitSchema.nullable().optional().describe('null goes back to the role’s default'),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'name, scope or rateLimitPerMinute');

const keyParams = z.object({ keyId: idSchema });
const issuedKey = apiKeySummarySchema.extend({ key: z.string().describe('the API key; shown once, never again') });

/** The key must exist in the admin's own county; another county's keys are as good as absent. */
async function ownKey(tx: Queryable, admin: Principal, keyId: string): Promise<void> {
  const record = await findKey(tx, keyId, { forUpdate: true });
  if (!record || record.countyId !== admin.countyId) throw fail('KEY_NOT_FOUND');
}

/** Issuing, listing, changing and revoking API keys (docs/architecture.md §3 "Access": intake issues keys). */
export function registerKeyRoutes(app: App, deps: KeyRouteDeps): void {
  app.post('/keys', { config: ADMINS, schema: { body: createBody, response: { 201: issuedKey } } }, async (request, reply) => {
    const admin = requirePrincipal(request);
    const { countyId = admin.countyId, ...key } = request.body;
    assertCounty(admin, countyId);
    const issued = await withTransaction(deps.pool, (tx) => issueKey(tx, deps.outbox, { ...key, countyId }, deps.now()));
    // The response carries a secret: no cache anywhere may keep it.
    reply.header('cache-control', 'no-store');
    return reply.code(201).send({ ...summaryOf(issued.record), key: issued.key });
  });

  app.get('/keys', { config: ADMINS, schema: { response: { 200: z.object({ keys: z.array(apiKeySummarySchema) }) } } }, async (request) => {
    const admin = requirePrincipal(request);
    return { keys: await listKeys(deps.pool, admin.countyId) };
  });

  app.patch(
    '/keys/:keyId',
    { config: ADMINS, schema: { params: keyParams, body: changeBody, response: { 200: apiKeySummarySchema } } },
    async (request) => {
      const admin = requirePrincipal(request);
      const { keyId } = request.params;
      const record = await withTransaction(deps.pool, async (tx) => {
        await ownKey(tx, admin, keyId);
        return changeKey(tx, deps.outbox, keyId, request.body, deps.now());
      });
      app.accessKeys.forget(keyId);
      return summaryOf(record);
    },
  );

  app.post(
    '/keys/:keyId/revoke',
    { config: ADMINS, schema: { params: keyParams, response: { 200: apiKeySummarySchema } } },
    async (request) => {
      const admin = requirePrincipal(request);
      const { keyId } = request.params;
      const record = await withTransaction(deps.pool, async (tx) => {
        await ownKey(tx, admin, keyId);
        return revokeKey(tx, deps.outbox, keyId, deps.now());
      });
      // Refused here at once; other services refuse it as soon as the event reaches their copy.
      app.accessKeys.forget(keyId);
      return summaryOf(record);
    },
  );
}
