import {
  batchParcelSchema,
  destinationSchema,
  idSchema,
  inputJsonSchema,
  type Issue,
  issuesFromZod,
  manifestParcelSchema,
  type Principal,
  textSchema,
} from '@county/contracts';
import {
  assertCourier,
  BATCH_BODY_LIMIT,
  errorResponse,
  idempotent,
  requirePrincipal,
  type App,
  type IdempotencyDeps,
  type Outbox,
  type StoredResponse,
} from '@county/platform';
import { z } from 'zod';
import { fail } from '../errors.js';
import type { IntakeMetrics } from '../metrics.js';
import { correctAddress } from '../parcels/correct-address.js';
import type { MasterDataReads } from '../parcels/masterdata-reads.js';
import { listOpenConflicts } from '../parcels/store/conflicts.js';
import { reportRefusals } from '../parcels/report-refusals.js';
import { registerParcels, type ItemResult, type Registration } from '../parcels/register.js';

export type ParcelIntakeDeps = IdempotencyDeps & {
  outbox: Outbox;
  /** The service name, the source of its events. */
  source: string;
  now: () => Date;
  metrics: IntakeMetrics;
  /** Master data as registration reads it (cached in the service; direct reads when not given). */
  masterData?: MasterDataReads;
};

/** Couriers announce their own parcels; center staff may announce for any courier of the county. */
const ANNOUNCERS = { access: ['admin', 'operator', 'courier'] } as const;
const CENTER_STAFF = { access: ['admin', 'operator'] } as const;

export const MAX_PARCELS_PER_BATCH = 10_000;

const differenceSchema = z.object({ field: z.string(), description: z.string(), kept: z.unknown().optional(), received: z.unknown().optional() });

const itemResultSchema = z.object({
  index: z.int(),
  result: z.enum(['created', 'duplicate', 'conflict', 'rejected']),
  parcelId: z.uuid().optional(),
  waybill: z.string().optional(),
  exception: z.literal('address_unknown').nullable().optional().describe('created parcels whose destination did not resolve'),
  reason: z.string().optional(),
  differences: z.array(differenceSchema).optional().describe('conflicts: what differs from the parcel kept; people’s details named, not shown'),
  issues: z.array(z.object({ path: z.string(), reason: z.string() })).optional().describe('rejected: the fields inside the item and why'),
});

const countsSchema = z.object({ created: z.int(), duplicate: z.int(), conflict: z.int(), rejected: z.int(), addressUnknown: z.int() });

const courierIdField = idSchema.optional().describe('required for operator and admin keys; a courier key announces for its own courier');

/**
 * One parcel and whose it is. Validated in the handler with the parcel contract, so its issues name
 * `body.<field>`; documented as that contract with `courierId` added.
 */
const parcelDocument = inputJsonSchema(manifestParcelSchema) as { properties: Record<string, unknown> };
const singleBody = z.looseObject({ courierId: courierIdField }).meta({
  ...parcelDocument,
  properties: { courierId: inputJsonSchema(courierIdField), ...parcelDocument.properties },
});

const batchBody = z
  .object({
    courierId: courierIdField,
    parcels: z.array(batchParcelSchema).min(1).max(MAX_PARCELS_PER_BATCH).describe('parcel contracts; each is validated on its own and reported by index'),
  })
  .strict();

const conflictQuery = z
  .object({
    courierId: idSchema.optional(),
    after: z.string().regex(/^\d{1,18}$/).optional().describe('the `next` of the previous page'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

const addressBody = z
  .object({ destination: destinationSchema, reason: textSchema.trim().min(1).max(500).optional() })
  .strict();

/** Whose parcels the caller announces: a courier key its own; center staff must say whose. */
function courierOf(principal: Principal, named: string | undefined): string {
  if (principal.role === 'courier') {
    if (named !== undefined) assertCourier(principal, named);
    return principal.courierId!;
  }
  if (named === undefined) throw fail('COURIER_REQUIRED', undefined, [{ path: 'body.courierId', reason: `required for ${principal.role} keys` }]);
  return named;
}

function refused(registration: Extract<Registration, { accepted: false }>): never {
  throw fail(registration.code, registration.reason, [{ path: 'body.courierId', reason: registration.reason }]);
}

/**
 * Parcels couriers announce over REST (the intake issue), one or a batch of up to 10,000 in one
 * transaction with a result per parcel; operators' view of conflicts and their address corrections.
 * Every POST honours `Idempotency-Key`: a retry gets the first response and changes nothing.
 */
export function registerParcelIntakeRoutes(app: App, deps: ParcelIntakeDeps): void {
  const parcelDeps = { outbox: deps.outbox, source: deps.source, now: deps.now, ...(deps.masterData ? { masterData: deps.masterData } : {}) };
  const announce = (principal: Principal, courierId: string, items: readonly unknown[]) => ({
    countyId: principal.countyId,
    courierId,
    items,
    actor: { keyId: principal.keyId, role: principal.role as 'admin' | 'operator' | 'courier' },
    occurredAt: deps.now().toISOString(),
    source: `rest:${principal.keyId}`,
  });

  app.post(
    '/parcels',
    {
      config: ANNOUNCERS,
      schema: {
        tags: ['parcels'],
        summary: 'Announce one parcel: 201 created, 200 when announced before alike, 409 when before with other content',
        body: singleBody,
        response: { 200: itemResultSchema.omit({ index: true }), 201: itemResultSchema.omit({ index: true }) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { courierId: named, ...contract } = request.body;
      const courierId = courierOf(principal, named);
      const parsed = manifestParcelSchema.safeParse(contract);
      if (!parsed.success) throw fail('VALIDATION_FAILED', undefined, issuesFromZod(parsed.error, ['body']));
      return idempotent(deps, request, reply, async (tx): Promise<StoredResponse> => {
        const registration = await registerParcels(tx, parcelDeps, announce(principal, courierId, [contract]));
        if (!registration.accepted) refused(registration);
        deps.metrics.countParcels(tx, courierId, registration.results);
        return singleResponse(registration.results[0]!);
      });
    },
  );

  app.post(
    '/parcels/batch',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      config: ANNOUNCERS,
      schema: {
        tags: ['parcels'],
        summary: `Announce up to ${MAX_PARCELS_PER_BATCH} parcels in one transaction: good ones taken, each bad one reported by index`,
        body: batchBody,
        response: { 200: z.object({ counts: countsSchema, results: z.array(itemResultSchema).describe('one per parcel, in the order sent') }) },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const courierId = courierOf(principal, request.body.courierId);
      return idempotent(deps, request, reply, async (tx) => {
        const registration = await registerParcels(tx, parcelDeps, announce(principal, courierId, request.body.parcels));
        if (!registration.accepted) refused(registration);
        deps.metrics.countParcels(tx, courierId, registration.results);
        await reportRefusals(tx, parcelDeps, {
          countyId: principal.countyId,
          courierId,
          channel: 'rest',
          manifestId: `rest:${request.id}`,
          items: request.body.parcels,
          results: registration.results,
        });
        request.log.info({ courierId, ...registration.counts }, 'parcel batch registered');
        return { status: 200, body: { counts: registration.counts, results: registration.results } };
      });
    },
  );

  app.get(
    '/parcels/conflicts',
    {
      config: ANNOUNCERS,
      schema: {
        tags: ['parcels'],
        summary: 'Open conflicts: waybills announced again with other content (a courier key sees its own)',
        querystring: conflictQuery,
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { courierId: named, after, limit } = request.query;
      if (principal.role === 'courier' && named !== undefined) assertCourier(principal, named);
      const courierId = principal.role === 'courier' ? principal.courierId : named;
      return listOpenConflicts(deps.pool, { countyId: principal.countyId, limit, ...(courierId ? { courierId } : {}), ...(after ? { after } : {}) });
    },
  );

  app.post(
    '/parcels/:parcelId/address',
    {
      config: CENTER_STAFF,
      schema: {
        tags: ['parcels'],
        summary: 'Give a parcel held in address_unknown its destination: the exception is cleared and published',
        params: z.object({ parcelId: z.uuid() }),
        body: addressBody,
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      return idempotent(deps, request, reply, async (tx) => {
        const outcome = await correctAddress(tx, parcelDeps, {
          countyId: principal.countyId,
          parcelId: request.params.parcelId,
          destination: request.body.destination,
          actor: { keyId: principal.keyId, role: principal.role as 'admin' | 'operator' },
          ...(request.body.reason ? { reason: request.body.reason } : {}),
        });
        switch (outcome.outcome) {
          case 'not_found':
            throw fail('PARCEL_NOT_FOUND');
          case 'not_address_unknown':
            throw fail('ADDRESS_NOT_UNKNOWN');
          case 'unresolved':
            throw fail('DESTINATION_UNRESOLVED', undefined, [{ path: 'body.destination', reason: outcome.reason }]);
          case 'corrected': {
            const { parcel } = outcome;
            return {
              status: 200,
              body: { parcelId: parcel.id, state: parcel.state, exception: parcel.exception, destinationStationId: parcel.destinationStationId },
            };
          }
        }
      });
    },
  );
}

/**
 * One parcel's answer. A conflict is a 409 kept with the Idempotency-Key: it is recorded for
 * operators in the same transaction, so it must commit rather than be thrown.
 */
function singleResponse(item: ItemResult): StoredResponse {
  const { index: _index, ...result } = item;
  switch (item.result) {
    case 'created':
      return { status: 201, body: result };
    case 'duplicate':
      return { status: 200, body: result };
    case 'conflict': {
      const details: Issue[] = item.differences.map((d) => ({ path: `body.${d.field}`, reason: d.description }));
      const conflict = fail('PARCEL_CONFLICT', `waybill ${item.waybill} was announced before with other content (parcel ${item.parcelId}); the conflict is recorded for operators`, details);
      return errorResponse(conflict, { parcelId: item.parcelId });
    }
    case 'rejected':
      // Valid contracts reach here: what is left is a station that does not resolve (upstream origin).
      throw fail('DESTINATION_UNRESOLVED', undefined, item.issues.map((i) => ({ path: `body.${i.path}`, reason: i.reason })));
  }
}
