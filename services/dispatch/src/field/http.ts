import { createHash } from 'node:crypto';
import { idSchema, instantSchema, textSchema } from '@county/contracts';
import { idempotent, requirePrincipal, type App, type IdempotencyDeps } from '@county/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FieldCommand } from './domain/commands.js';
import { listFieldRoutes } from './list-routes.js';
import { readSheet } from './read-sheet.js';
import { reportFieldEvent, type FieldDeps } from './report-field-event.js';

export type FieldRouteDeps = FieldDeps & IdempotencyDeps;

type Access = { access: readonly ('admin' | 'operator' | 'driver')[] };

/** Drivers for their vehicles' routes; the center's staff for any route of the county. */
const ON_THE_ROAD: Access = { access: ['admin', 'operator', 'driver'] };
/** Cancelling a route is the center's decision, not the driver's. */
const CENTER: Access = { access: ['admin', 'operator'] };

const eventId = idSchema.describe('the handheld’s own id for this event (a UUID will do): sent again, it has one effect and gets the same answer');
const occurredAt = instantSchema.describe('when it happened (handhelds upload late), ISO-8601 with Z or an offset; at most 5 minutes ahead of the server');
const parcelIds = z
  .array(z.uuid())
  .min(1)
  .max(20_000)
  .describe('a subset of the stop’s parcels; absent: every parcel still to do at the stop');

const routeParams = z.object({ routeId: idSchema });
const stopParams = routeParams.extend({
  sequence: z.coerce.number().int().min(1).max(1_000).describe('the stop’s sequence on the route sheet (1 = first stop)'),
});

const plainBody = z.object({ eventId, occurredAt }).strict();
const parcelsBody = plainBody.extend({ parcelIds: parcelIds.optional() }).strict();
const exceptionBody = plainBody
  .extend({
    kind: z.enum(['station_closed', 'damaged', 'refused']),
    parcelIds: parcelIds.optional().describe('required for damaged and refused; for station_closed, absent means everything still to do there'),
    reason: textSchema.trim().max(500).optional(),
  })
  .strict();
const cancelBody = z
  .object({
    eventId,
    reason: textSchema.trim().min(1).max(500),
    occurredAt: occurredAt.optional().describe('when it was decided; absent: now'),
  })
  .strict();

const routesQuery = z
  .object({
    date: z.iso.date().optional().describe('the routes of this planning day, every status; absent: routes confirmed or on the road'),
    vehicleId: idSchema.optional(),
  })
  .strict();

const fieldResponse = z.object({
  eventId: z.string(),
  routeId: z.string(),
  kind: z.string(),
  routeStatus: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  event: z.object({ id: z.uuid(), type: z.string(), data: z.record(z.string(), z.unknown()) }),
});

type Params = { routeId: string; sequence?: number };

/**
 * The driver's handheld on the road (issue #10): the route sheet, the driver's routes, and one POST per field
 * event. Each event carries the handheld's own `eventId` (a retry has one effect and the same answer) and
 * `occurredAt`. A platform `Idempotency-Key` header is honoured as well.
 */
export function registerFieldRoutes(app: App, deps: FieldRouteDeps): void {
  app.get(
    '/dispatch/routes',
    { config: ON_THE_ROAD, schema: { tags: ['field'], summary: 'Routes of a date, or those still to drive; a driver’s key sees its vehicles’ only', querystring: routesQuery } },
    async (request) => ({ routes: await listFieldRoutes(deps.pool, requirePrincipal(request), request.query) }),
  );

  app.get(
    '/dispatch/routes/:routeId/sheet',
    {
      config: ON_THE_ROAD,
      schema: { tags: ['field'], summary: 'The route sheet: stops in order, what to unload and collect, the loading order, compartments', params: routeParams },
    },
    async (request) => readSheet(deps.pool, requirePrincipal(request), request.params.routeId),
  );

  const report = <B extends z.ZodType<{ eventId: string }>>(
    path: string,
    summary: string,
    params: typeof routeParams | typeof stopParams,
    body: B,
    command: (body: z.output<B>, params: Params, now: Date) => FieldCommand,
    access: Access = ON_THE_ROAD,
  ) =>
    app.post(path, { config: access, schema: { tags: ['field'], summary, params, body, response: { 201: fieldResponse } } }, async (request, reply) => {
      const parsed = request.body as z.output<B>;
      const where = request.params as Params;
      return recordEvent(deps, request, reply, where, parsed.eventId, command(parsed, where, deps.now()));
    });

  report('/dispatch/routes/:routeId/departure', 'The vehicle left its depot: the route’s parcels are on the road', routeParams, plainBody, (b) => ({
    kind: 'departure',
    occurredAt: b.occurredAt,
  }));
  report('/dispatch/routes/:routeId/stops/:sequence/arrival', 'The vehicle reached a stop', stopParams, plainBody, (b, p) => ({
    kind: 'arrival',
    sequence: p.sequence!,
    occurredAt: b.occurredAt,
  }));
  report('/dispatch/routes/:routeId/stops/:sequence/handover', 'Parcels handed to the station (all of the stop’s by default)', stopParams, parcelsBody, (b, p) => ({
    kind: 'handover',
    sequence: p.sequence!,
    occurredAt: b.occurredAt,
    ...(b.parcelIds ? { parcelIds: b.parcelIds } : {}),
  }));
  report('/dispatch/routes/:routeId/stops/:sequence/pickups', 'Booked produce collected at the stop (all of the stop’s by default)', stopParams, parcelsBody, (b, p) => ({
    kind: 'pickups',
    sequence: p.sequence!,
    occurredAt: b.occurredAt,
    ...(b.parcelIds ? { parcelIds: b.parcelIds } : {}),
  }));
  report('/dispatch/routes/:routeId/stops/:sequence/exceptions', 'The station was closed, or parcels were damaged or refused', stopParams, exceptionBody, (b, p) => ({
    kind: 'exception',
    sequence: p.sequence!,
    occurredAt: b.occurredAt,
    exception: b.kind,
    ...(b.parcelIds ? { parcelIds: b.parcelIds } : {}),
    ...(b.reason ? { reason: b.reason } : {}),
  }));
  report('/dispatch/routes/:routeId/return', 'The vehicle is back at its depot', routeParams, plainBody, (b) => ({ kind: 'return', occurredAt: b.occurredAt }));
  report(
    '/dispatch/routes/:routeId/cancel',
    'Cancel a route before it departs: its parcels go back to the pool',
    routeParams,
    cancelBody,
    (b, _p, now) => ({ kind: 'cancel', occurredAt: b.occurredAt ?? now.toISOString(), reason: b.reason }),
    CENTER,
  );
}

async function recordEvent(deps: FieldRouteDeps, request: FastifyRequest, reply: FastifyReply, where: Params, clientEventId: string, command: FieldCommand) {
  const principal = requirePrincipal(request);
  // Two reports are the same event when they name the same kind and stop and send the same body (as parsed:
  // instants in UTC, fields in the schema's order), whenever the server hears them.
  const requestHash = createHash('sha256')
    .update(JSON.stringify({ kind: command.kind, sequence: where.sequence ?? null, body: request.body }))
    .digest('hex');
  return idempotent(deps, request, reply, async (tx) => {
    const outcome = await reportFieldEvent(tx, deps, principal, { routeId: where.routeId, clientEventId, command, requestHash });
    if (outcome.replayed) reply.header('field-event-replayed', 'true');
    return { status: outcome.status, body: outcome.body };
  });
}
