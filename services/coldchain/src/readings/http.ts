import { containerIdSchema, idSchema, instantSchema } from '@county/contracts';
import { BATCH_BODY_LIMIT, requirePrincipal, withTransaction, type App, type Pool } from '@county/platform';
import { z } from 'zod';
import { fail } from '../errors.js';
import { containerRefusal } from './domain/access.js';
import type { ReadingsIngest } from './ingest.js';
import { readingsBetween } from './store.js';

export interface ReadingsRouteDeps {
  pool: Pool;
  ingest: ReadingsIngest;
}

export const MAX_READINGS_PER_BATCH = 1_000;
const MAX_READINGS_PER_QUERY = 50_000;

/** Gateways' keys: a driver's for its vehicles' compartments, a station's for its cold room; center staff for any. */
const SENDERS = { access: ['admin', 'operator', 'driver', 'station'] } as const;

const batchBody = z
  .object({
    gatewayId: idSchema.optional(),
    readings: z
      .array(z.unknown())
      .min(1)
      .max(MAX_READINGS_PER_BATCH)
      .describe('readings (coldchain.reading_recorded); each is validated on its own and, when bad, refused by index with its field and reason'),
  })
  .strict();

const issueSchema = z.object({ path: z.string(), reason: z.string() });

const batchResult = z.object({
  stored: z.int().describe('readings stored by this request'),
  duplicates: z.int().describe('good readings stored before (same container, sensor and measuredAt): kept once'),
  refused: z
    .array(z.object({ index: z.int(), status: z.int().describe('422, or 403 for a container the key may not send for'), issues: z.array(issueSchema) }))
    .describe('the bad items, each with its fields and reasons; nothing of them was stored'),
});

const rangeQuery = z
  .object({
    containerId: containerIdSchema,
    from: instantSchema,
    to: instantSchema,
    limit: z.coerce.number().int().min(1).max(MAX_READINGS_PER_QUERY).default(10_000),
  })
  .strict()
  // A range the wrong way round is a mistake to name, not an empty answer.
  .refine((q) => Date.parse(q.to) >= Date.parse(q.from), { message: 'must not be before from', path: ['to'] });

const storedReading = z.object({
  containerId: z.string(),
  sensorId: z.string(),
  measuredAt: z.string(),
  temperatureC: z.number(),
  humidityPct: z.number().nullable(),
  receivedAt: z.string(),
});

/** `POST /coldchain/readings` (a gateway's batch) and `GET /coldchain/readings` (a container over a time range). */
export function registerReadingsRoutes(app: App, deps: ReadingsRouteDeps): void {
  app.post(
    '/coldchain/readings',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      config: SENDERS,
      schema: {
        tags: ['readings'],
        summary: `Send up to ${MAX_READINGS_PER_BATCH} readings: good ones stored (duplicates once), each bad one refused by index with its field and reason`,
        body: batchBody,
        response: { 200: batchResult },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const items = request.body.readings;
      const result = await withTransaction(deps.pool, async (tx) => {
        const judged = await deps.ingest.judge(tx, {
          countyId: principal.countyId,
          items,
          check: (reading) => {
            const reason = containerRefusal(principal, reading.containerId);
            return reason ? { path: 'containerId', reason } : undefined;
          },
        });
        if (judged.accepted.length === 0) return { judged, stored: 0 };
        const stored = await deps.ingest.store(tx, judged.accepted);
        return { judged, stored: stored.length };
      });
      const refused = result.judged.refused.map((r) => ({
        index: r.index,
        status: r.issues.some((i) => i.reason.startsWith('this key is bound')) ? 403 : 422,
        issues: r.issues.map((i) => ({ path: `body.readings.${r.index}${i.path ? `.${i.path}` : ''}`, reason: i.reason })),
      }));
      if (result.judged.accepted.length === 0) {
        if (refused.every((r) => r.status === 403)) throw fail('FORBIDDEN', refused[0]!.issues[0]!.reason, refused.flatMap((r) => r.issues));
        throw fail('READINGS_REFUSED', undefined, refused.flatMap((r) => r.issues));
      }
      request.log.info({ stored: result.stored, refused: refused.length }, 'readings batch stored');
      return { stored: result.stored, duplicates: result.judged.accepted.length - result.stored, refused };
    },
  );

  app.get(
    '/coldchain/readings',
    {
      config: SENDERS,
      schema: {
        tags: ['readings'],
        summary: 'A container’s readings measured in [from, to), in time order',
        querystring: rangeQuery,
        response: { 200: z.object({ containerId: z.string(), readings: z.array(storedReading), truncated: z.boolean().describe('more readings than limit: narrow the range') }) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const { containerId, from, to, limit } = request.query;
      const refusal = containerRefusal(principal, containerId);
      if (refusal) throw fail('FORBIDDEN', refusal, [{ path: 'querystring.containerId', reason: refusal }]);
      const rows = await readingsBetween(deps.pool, principal.countyId, containerId, from, to, limit + 1);
      return {
        containerId,
        readings: rows.slice(0, limit).map(({ countyId: _county, containerId: _container, ...reading }) => ({ containerId, ...reading })),
        truncated: rows.length > limit,
      };
    },
  );
}
