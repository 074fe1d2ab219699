import { requirePrincipal, type App, type Clock, type Pool } from '@county/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toCsv } from './domain/csv.js';
import { metricsQuerySchema, monthlyQuerySchema } from './domain/query.js';
import { readMetrics, readMonthlyReport } from './read-metrics.js';

export interface MetricsRouteDeps {
  pool: Pool;
  now: Clock;
}

/** The commerce bureau reads its county's figures; admins too; nobody else (issue #12). */
export const BUREAU = { access: ['bureau', 'admin'] } as const;
const TAGS = ['bureau metrics'];

/** JSON unless the caller asks for CSV (`Accept: text/csv`); the CSV holds the same figures, one per line. */
function answer(request: FastifyRequest, reply: FastifyReply, body: unknown) {
  const accept = String(request.headers.accept ?? '');
  if (/\btext\/csv\b/i.test(accept)) {
    reply.header('content-type', 'text/csv; charset=utf-8');
    return toCsv(body);
  }
  return body;
}

/** `GET /v1/metrics` and `GET /v1/reports/monthly`, always for the caller's county (its key's). */
export function registerMetricsRoutes(app: App, deps: MetricsRouteDeps): void {
  const use = { pool: deps.pool, now: deps.now };
  app.get(
    '/v1/metrics',
    {
      config: BUREAU,
      schema: {
        tags: TAGS,
        summary: 'The programme’s figures over a period (county days, both included), optionally by courier, town, direction or day; CSV on Accept: text/csv',
        querystring: metricsQuerySchema,
      },
    },
    async (request, reply) => {
      const q = metricsQuerySchema.parse(request.query);
      return answer(request, reply, await readMetrics(use, requirePrincipal(request).countyId, q.from, q.to, q.groupBy));
    },
  );
  app.get(
    '/v1/reports/monthly',
    {
      config: BUREAU,
      schema: { tags: TAGS, summary: 'The month’s indicators a county files with its province; CSV on Accept: text/csv', querystring: monthlyQuerySchema },
    },
    async (request, reply) => {
      const q = monthlyQuerySchema.parse(request.query);
      return answer(request, reply, await readMonthlyReport(use, requirePrincipal(request).countyId, q.month));
    },
  );
}
