import { countyIdSchema, countySchema, idSchema, type MasterDataRecords, type Principal, villageCodeSchema } from '@county/contracts';
import { assertCounty, idempotent, requirePrincipal, withTransaction, type App, type IdempotencyDeps } from '@county/platform';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fail } from '../errors.js';
import { deactivateRecord, putRecord, type ChangeDeps } from '../masterdata/change-record.js';
import { countyParts, entitySpecs, recordId, type CountyPart } from '../masterdata/domain/entities.js';
import { listFilterOf, listQueries } from '../masterdata/filters.js';
import { findRecord, listRecords } from '../masterdata/store.js';

export type MasterDataRouteDeps = ChangeDeps & IdempotencyDeps;

/**
 * Who may do what (services/intake/README.md "Master data" has the matrix). Couriers read stations
 * and villages to address parcels, station keepers and drivers the network they work in; the
 * bureau reads metrics only (docs/architecture.md §5).
 */
const READERS = { access: ['admin', 'operator', 'station', 'driver', 'courier'] } as const;
const WRITERS = { access: ['admin', 'operator'] } as const;
const ADMINS = { access: ['admin'] } as const;
const TAGS = ['master data'];

/**
 * A body may leave out what the request already says: its county (the key's) and its id (the
 * path's), so `PUT /stations/vs-1` takes the station as GET returned it or without both. Filled in
 * before validation; a body naming another county or id is refused after it.
 */
function fillFromRequest(idField: string, param: string, countyField: string | null) {
  return async (request: FastifyRequest) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
    const fields = body as Record<string, unknown>;
    const params = request.params as Record<string, unknown>;
    if (countyField && fields[countyField] === undefined && request.principal) fields[countyField] = request.principal.countyId;
    if (fields[idField] === undefined) fields[idField] = params[param];
  };
}

function sameId(actual: string, expected: string, field: string): void {
  if (actual !== expected) {
    throw fail('VALIDATION_FAILED', undefined, [{ path: `body.${field}`, reason: `must be ${expected}, the id in the path (or left out)` }]);
  }
}

const revisionTag = (revision: number) => `"${revision}"`;

/** Master data over REST: the county, towns, villages, stations, couriers and vehicles (the intake issue). */
export function registerMasterDataRoutes(app: App, deps: MasterDataRouteDeps): void {
  registerCountyRoutes(app, deps);
  for (const entity of countyParts) registerPartRoutes(app, deps, entity);
}

function registerCountyRoutes(app: App, deps: MasterDataRouteDeps): void {
  const params = z.object({ countyId: countyIdSchema });
  app.put(
    '/counties/:countyId',
    {
      config: ADMINS,
      preValidation: fillFromRequest('id', 'countyId', null),
      schema: {
        tags: TAGS,
        summary: 'Create or replace the key’s county: time zone, SLA policy, baseline cost, waves, default vehicle type',
        params,
        body: countySchema,
        response: { 200: countySchema, 201: countySchema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      assertCounty(principal, request.params.countyId);
      sameId(request.body.id, request.params.countyId, 'id');
      const result = await withTransaction(deps.pool, (tx) => putRecord(tx, deps, { entity: 'county', record: request.body }, request.id));
      return reply.code(result.created ? 201 : 200).header('etag', revisionTag(result.revision)).send(result.record);
    },
  );

  app.get(
    '/counties/:countyId',
    { config: READERS, schema: { tags: TAGS, summary: 'The county', params, response: { 200: countySchema } } },
    async (request, reply) => {
      assertCounty(requirePrincipal(request), request.params.countyId);
      const stored = await findRecord(deps.pool, request.params.countyId, 'county', request.params.countyId);
      if (!stored) throw fail('MASTERDATA_NOT_FOUND', `county ${request.params.countyId} has no master data yet`);
      return reply.header('etag', revisionTag(stored.revision)).send(stored.record);
    },
  );
}

/**
 * The same five routes for each kind of record. Registered on the instance without its zod type
 * provider (the schemas still validate and document): its types cannot follow a generic entity.
 */
function registerPartRoutes<E extends CountyPart>(typedApp: App, deps: MasterDataRouteDeps, entity: E): void {
  const app = typedApp as unknown as FastifyInstance;
  const spec = entitySpecs[entity];
  const param = spec.idField;
  const params = z.object({ [param]: entity === 'village' ? villageCodeSchema : idSchema });
  const item = `/${spec.collection}/:${param}`;
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>)[param] as string;
  const schema = spec.schema as z.ZodType<MasterDataRecords[E]>;

  app.put(
    item,
    {
      config: WRITERS,
      preValidation: fillFromRequest(param, param, 'countyId'),
      schema: {
        tags: TAGS,
        summary: `Create or replace a ${entity} of the key’s county (countyId and ${param} may be left out)`,
        params,
        body: schema,
        response: { 200: schema, 201: schema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const record = request.body as MasterDataRecords[E];
      assertCounty(principal, record.countyId);
      sameId(recordId(entity, record), idOf(request), param);
      const result = await withTransaction(deps.pool, (tx) => putRecord(tx, deps, { entity, record }, request.id));
      return reply.code(result.created ? 201 : 200).header('etag', revisionTag(result.revision)).send(result.record);
    },
  );

  app.post(
    `${item}/deactivate`,
    {
      config: WRITERS,
      schema: {
        tags: TAGS,
        summary: `Take a ${entity} out of service (it stays on record); honours Idempotency-Key`,
        params,
        response: { 200: schema },
      },
    },
    async (request, reply) => {
      const { countyId } = requirePrincipal(request);
      const target = { countyId, entity, id: idOf(request) };
      return idempotent(deps, request, reply, async (tx) => {
        const result = await deactivateRecord(tx, deps, target, request.id);
        return { status: 200, body: result.record };
      });
    },
  );

  app.get(
    `/${spec.collection}`,
    {
      config: READERS,
      schema: {
        tags: TAGS,
        summary: `The county’s ${spec.collection}, by id`,
        querystring: listQueries[entity],
        response: { 200: z.object({ items: z.array(schema) }) },
      },
    },
    async (request) => {
      const principal: Principal = requirePrincipal(request);
      const filter = listFilterOf(request.query as Parameters<typeof listFilterOf>[0]);
      return { items: await listRecords(deps.pool, principal.countyId, entity, filter) };
    },
  );

  app.get(
    item,
    { config: READERS, schema: { tags: TAGS, summary: `A ${entity}, active or not`, params, response: { 200: schema } } },
    async (request, reply) => {
      const { countyId } = requirePrincipal(request);
      const stored = await findRecord(deps.pool, countyId, entity, idOf(request));
      if (!stored) throw fail('MASTERDATA_NOT_FOUND', `no ${entity} ${idOf(request)} in county ${countyId}`);
      return reply.header('etag', revisionTag(stored.revision)).send(stored.record);
    },
  );
}
