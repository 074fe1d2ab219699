import { complianceRecordedSchema } from '@county/contracts';
import { assertCourier, requirePrincipal, type App, type Clock, type Pool } from '@county/platform';
import { z } from 'zod';
import { findColdParcel } from '../catalogue/store/custody.js';
import { fail } from '../errors.js';
import { listParcelBudgets } from './list-parcels.js';
import type { CompliancePorts } from './ports.js';
import { findRecord, revisionsOf } from './store.js';

export interface ComplianceRouteDeps {
  pool: Pool;
  now: Clock;
  ports: CompliancePorts;
}

/** The center's staff for every parcel; a courier's key for its own parcels (its customers ask it). */
const READERS = { access: ['admin', 'operator', 'courier'] } as const;
const TAGS = ['coldchain compliance'];

const complianceResponse = z.object({
  record: complianceRecordedSchema,
  cause: z.string().describe('what made this revision: stop_handed_over, delivered, handed_over, late_reading, custody_changed, binding_by_hand'),
  computedAt: z.string(),
  revisions: z.array(z.object({ revision: z.number(), compliant: z.boolean(), cause: z.string(), computedAt: z.string() })),
});

const parcelBudget = z.object({
  parcelId: z.string(),
  courierId: z.string().nullable(),
  direction: z.string().nullable(),
  profileId: z.string(),
  containerId: z.string().nullable().describe('the container it is in now; null between containers'),
  since: z.string().nullable(),
  inTransit: z.boolean(),
  toleratedMinutes: z.number(),
  minutesOutOfRange: z.number().describe('while it was in them, its containers’ excursions (open ones up to now)'),
  budgetLeftMinutes: z.number().describe('tolerated minus out of range; negative once exceeded'),
});

const parcelsQuery = z
  .object({
    inTransit: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true')
      .describe('true (default): custody not ended; false: also those ended since endedSince'),
    endedSince: z.iso.datetime({ offset: true }).optional().describe('with inTransit=false; default 24 h ago'),
    limit: z.coerce.number().int().min(1).max(1_000).default(200),
  })
  .strict();

/** `GET /coldchain/parcels/:parcelId/compliance`, `GET /coldchain/parcels`. */
export function registerComplianceRoutes(app: App, deps: ComplianceRouteDeps): void {
  app.get(
    '/coldchain/parcels/:parcelId/compliance',
    {
      config: READERS,
      schema: {
        tags: TAGS,
        summary: 'A cold-chain parcel’s compliance record (the latest revision, or ?revision=n) and the list of its revisions',
        params: z.object({ parcelId: z.uuid() }),
        querystring: z.object({ revision: z.coerce.number().int().min(1).optional() }).strict(),
        response: { 200: complianceResponse },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { parcelId } = request.params;
      const parcel = await findColdParcel(deps.pool, principal.countyId, parcelId);
      if (principal.role === 'courier' && parcel) assertCourier(principal, parcel.courierId ?? '');
      const stored = await findRecord(deps.pool, principal.countyId, parcelId, request.query.revision);
      if (!stored) throw fail('COMPLIANCE_NOT_FOUND', request.query.revision ? `parcel ${parcelId} has no revision ${request.query.revision}` : undefined);
      return { record: stored.record, cause: stored.cause, computedAt: stored.computedAt, revisions: await revisionsOf(deps.pool, principal.countyId, parcelId) };
    },
  );
  app.get(
    '/coldchain/parcels',
    {
      config: READERS,
      schema: {
        tags: TAGS,
        summary: 'Cold-chain parcels with their remaining stability budget, least left first: what to move first',
        querystring: parcelsQuery,
        response: { 200: z.object({ items: z.array(parcelBudget) }) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const now = deps.now();
      const endedSince = request.query.endedSince ? new Date(request.query.endedSince) : new Date(now.getTime() - 24 * 3_600_000);
      const items = await listParcelBudgets(deps.pool, deps.ports, principal.countyId, now, {
        inTransit: request.query.inTransit,
        endedSince,
        limit: request.query.limit,
        ...(principal.role === 'courier' && principal.courierId ? { courierId: principal.courierId } : {}),
      });
      return { items };
    },
  );
}
