import { idSchema, instantSchema, textSchema } from '@county/contracts';
import { idempotent, requirePrincipal, type App, type IdempotencyDeps, type Pool } from '@county/platform';
import { z } from 'zod';
import { acknowledgeAlarm, clearAlarm, resolveExcursion, type ActionDeps } from './actions.js';
import { liveView, type LiveDeps } from './live.js';
import { readAlarm, readAlarms, readExcursion, readExcursions } from './read.js';

export type MonitoringRouteDeps = ActionDeps & IdempotencyDeps & LiveDeps & { pool: Pool };

/** The center's staff read and act; a driver reads its vehicles' containers (coldchain-shared brief). */
const READERS = { access: ['admin', 'operator', 'driver'] } as const;
const ACTORS = { access: ['admin', 'operator'] } as const;
const TAGS = ['monitoring'];

/** `<vehicleId>/refrigerated` or `<stationId>/cold-room` (the contracts' container ids). */
const containerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\/(refrigerated|cold-room)$/, 'a container id: <vehicleId>/refrigerated or <stationId>/cold-room');
const containerIds = z
  .union([containerIdSchema, z.array(containerIdSchema).min(1).max(100)])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .describe('one or more containers (repeat the parameter)');

const range = <T extends { from?: string | undefined; to?: string | undefined }>(query: T, ctx: z.RefinementCtx) => {
  if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
};
const page = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: textSchema.max(300).optional().describe('`next` of the previous page, as it came'),
};

const alarmsQuery = z
  .object({
    state: z.enum(['active', 'acknowledged', 'cleared']).optional().describe('active: neither acknowledged nor cleared; acknowledged: taken charge of, not cleared'),
    kind: z.enum(['tolerance_exceeded', 'sensor_silent', 'precooling_missed']).optional(),
    severity: z.enum(['critical', 'major', 'minor', 'warning']).optional(),
    containerId: containerIds.optional(),
    excursionId: idSchema.optional(),
    from: instantSchema.optional().describe('raised at or after'),
    to: instantSchema.optional().describe('raised at or before'),
    ...page,
  })
  .strict()
  .superRefine(range);

const excursionsQuery = z
  .object({
    containerId: containerIds.optional(),
    state: z.enum(['open', 'closed']).optional(),
    from: instantSchema.optional().describe('still out of range at or after'),
    to: instantSchema.optional().describe('started at or before'),
    includeSuperseded: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('also those late readings replaced'),
    ...page,
  })
  .strict()
  .superRefine(range);

const liveQuery = z.object({ containerId: containerIds.optional() }).strict();
const alarmParams = z.object({ alarmId: idSchema });
const excursionParams = z.object({ excursionId: idSchema });
const comment = textSchema.trim().min(1).max(1_000);
const acknowledgeBody = z.object({ comment: comment.optional() }).strict();
const clearBody = z.object({ comment: comment.describe('why it is cleared by hand: required') }).strict();
const resolutionBody = z
  .object({
    resolution: z.enum(['released', 'downgraded', 'discarded']).describe('what becomes of the goods'),
    comment: comment.optional(),
  })
  .strict();

const refusals = (codes: string) => `Refusals: ${codes}; each names the field and the reason, and changes nothing.`;

/**
 * Excursions, alarms and the live view over REST (issue #11 "Excursions and alarms"): lists with filters, one alarm
 * with its audit trail, one excursion with its alarms and resolutions, acknowledge, clear by hand, resolve. POSTs
 * honour an `Idempotency-Key`; without one a repeated acknowledge or clear is refused (409), changing nothing.
 */
export function registerMonitoringRoutes(app: App, deps: MonitoringRouteDeps): void {
  app.get(
    '/coldchain/alarms',
    { config: READERS, schema: { tags: TAGS, summary: 'Alarms, newest first, by state, kind, severity, container, excursion and time raised', querystring: alarmsQuery } },
    async (request) => readAlarms(deps.pool, requirePrincipal(request), request.query),
  );
  app.get(
    '/coldchain/alarms/:alarmId',
    { config: READERS, schema: { tags: TAGS, summary: 'One alarm with its audit trail (raised, acknowledged, cleared: who, when, why)', params: alarmParams } },
    async (request) => readAlarm(deps.pool, requirePrincipal(request), request.params.alarmId),
  );
  app.post(
    '/coldchain/alarms/:alarmId/acknowledge',
    {
      config: ACTORS,
      schema: {
        tags: TAGS,
        summary: 'Take charge of an alarm: who and when are recorded, with an optional comment',
        description: refusals('an unknown alarm (404), one acknowledged already (409)'),
        params: alarmParams,
        body: acknowledgeBody,
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, async (tx) => ({
        status: 200,
        body: await acknowledgeAlarm(tx, deps, requirePrincipal(request), request.params.alarmId, request.body.comment),
      })),
  );
  app.post(
    '/coldchain/alarms/:alarmId/clear',
    {
      config: ACTORS,
      schema: {
        tags: TAGS,
        summary: 'Clear an alarm by hand, saying why; the data never raises it again',
        description: refusals('an unknown alarm (404), one cleared already (409), no comment (400)'),
        params: alarmParams,
        body: clearBody,
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, async (tx) => ({
        status: 200,
        body: await clearAlarm(tx, deps, requirePrincipal(request), request.params.alarmId, request.body.comment),
      })),
  );
  app.get(
    '/coldchain/excursions',
    { config: READERS, schema: { tags: TAGS, summary: 'Excursions, newest first, by container, open or closed, and time', querystring: excursionsQuery } },
    async (request) => readExcursions(deps.pool, requirePrincipal(request), request.query),
  );
  app.get(
    '/coldchain/excursions/:excursionId',
    { config: READERS, schema: { tags: TAGS, summary: 'One excursion with its alarms and the audit trail of its resolution', params: excursionParams } },
    async (request) => readExcursion(deps.pool, requirePrincipal(request), request.params.excursionId),
  );
  app.post(
    '/coldchain/excursions/:excursionId/resolution',
    {
      config: ACTORS,
      schema: {
        tags: TAGS,
        summary: 'Decide what becomes of the goods of an excursion: released, downgraded or discarded (kept in its audit trail)',
        description: refusals('an unknown excursion (404), one replaced by late readings (409), the resolution it has already (409)'),
        params: excursionParams,
        body: resolutionBody,
      },
    },
    async (request, reply) =>
      idempotent(deps, request, reply, async (tx) => ({
        status: 200,
        body: await resolveExcursion(tx, deps, requirePrincipal(request), request.params.excursionId, request.body.resolution, request.body.comment),
      })),
  );
  app.get(
    '/coldchain/containers/live',
    { config: READERS, schema: { tags: TAGS, summary: 'Each container’s current temperature, when, state (in range, excursion, silent) and open excursion', querystring: liveQuery } },
    async (request) => liveView(deps, requirePrincipal(request), request.query.containerId),
  );
}
