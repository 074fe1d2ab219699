import '@fastify/rate-limit';
import { platformError, requirePrincipal, type Clock, type Pool } from '@county/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { TRACE_CODE } from '../domain/codes.js';
import { epcisDocument } from '../domain/epcis.js';
import { langOf, notFoundPage, tooManyPage, tracePage } from '../domain/page.js';
import type { Lang } from '../domain/products.js';
import { traceView } from '../domain/trace.js';
import { labelPng, makeLabels } from '../labels.js';
import { loadTrace } from '../store.js';

export interface TraceRouteDeps {
  pool: Pool;
  now: Clock;
  publicUrl: string;
  /** Trace pages per client IP per minute. */
  ratePerMinute: number;
}

const LABEL_ROLES = ['admin', 'operator', 'station'] as const;
const MAX_LABELS = 200;
/** A Redis that hangs counts as down: the page is served unlimited rather than not at all (as the platform's limiter). */
const RATE_CHECK_TIMEOUT_MS = 500;

const labelResult = z.union([
  z.object({ parcelId: z.string(), status: z.literal(200), code: z.string(), url: z.string(), svg: z.string() }),
  z.object({
    parcelId: z.string(),
    status: z.number().int(),
    error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ path: z.string(), reason: z.string() })) }),
  }),
]);

function wantsJsonLd(request: FastifyRequest): boolean {
  return /application\/ld\+json/i.test(request.headers.accept ?? '');
}

function sendHtml(reply: FastifyReply, status: number, lang: Lang, html: string): FastifyReply {
  return reply.code(status).header('content-language', lang === 'zh' ? 'zh-CN' : 'en').header('cache-control', 'no-cache').header('vary', 'Accept').type('text/html; charset=utf-8').send(html);
}

/**
 * Labels (QR codes for upstream parcels, for admin, operator and station keys) and the public trace page
 * `GET /t/:code` (no key; rate-limited per client IP; EPCIS 2.0 JSON-LD on `Accept: application/ld+json`).
 */
export function registerTraceRoutes(app: FastifyInstance, deps: TraceRouteDeps): void {
  app.post(
    '/api/console/labels',
    {
      config: { access: LABEL_ROLES },
      schema: {
        tags: ['trace'],
        summary: 'Trace labels for upstream parcels: each parcel’s code (the same every time), its URL and QR code as SVG',
        body: z.object({ parcelIds: z.array(z.uuid()).min(1).max(MAX_LABELS) }).strict(),
        response: { 200: z.object({ labels: z.array(labelResult) }) },
      },
    },
    async (request) => {
      const { parcelIds } = request.body as { parcelIds: string[] };
      return { labels: await makeLabels(deps.pool, requirePrincipal(request), parcelIds, deps.publicUrl) };
    },
  );

  app.get(
    '/api/console/labels/:file',
    {
      config: { access: LABEL_ROLES },
      schema: { tags: ['trace'], summary: 'A label’s QR code as PNG: /api/console/labels/<code>.png', params: z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{22}\.png$/, '<code>.png') }) },
    },
    async (request, reply) => {
      const code = (request.params as { file: string }).file.replace(/\.png$/, '');
      const png = await labelPng(deps.pool, requirePrincipal(request), code, deps.publicUrl);
      return reply.type('image/png').header('cache-control', 'private, max-age=86400').send(png);
    },
  );

  const check = app.createRateLimit({ keyGenerator: (request) => `trace:${request.ip}`, max: deps.ratePerMinute, timeWindow: 60_000 });
  const overLimit = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), RATE_CHECK_TIMEOUT_MS)));
    const result = await Promise.race([check(request).catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
    if (!result || result.isAllowed || !result.isExceeded) return false;
    reply.header('retry-after', result.ttlInSeconds);
    return true;
  };

  app.get(
    '/t/:code',
    {
      // counted below, per client IP, at the page's own rate
      config: { access: 'public', rateLimit: false },
      schema: {
        tags: ['trace'],
        summary: 'The public trace page of a labelled parcel (HTML, zh-CN; ?lang=en), or EPCIS 2.0 JSON-LD on Accept: application/ld+json',
        params: z.object({ code: z.string().max(64) }),
        querystring: z.object({ lang: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const lang = langOf((request.query as { lang?: string }).lang);
      const jsonLd = wantsJsonLd(request);
      if (await overLimit(request, reply)) {
        const limited = platformError('RATE_LIMITED', `more than ${deps.ratePerMinute} trace pages a minute from this address; retry in a minute`);
        if (jsonLd) throw limited;
        return sendHtml(reply, 429, lang, tooManyPage(lang));
      }
      const { code } = request.params as { code: string };
      const record = TRACE_CODE.test(code) ? await loadTrace(deps.pool, code) : undefined;
      if (!record) {
        if (jsonLd) throw platformError('NOT_FOUND', 'no trace of that code');
        return sendHtml(reply, 404, lang, notFoundPage(lang));
      }
      const view = traceView(record);
      if (jsonLd) return reply.header('cache-control', 'no-cache').header('vary', 'Accept').type('application/ld+json').send(epcisDocument(view, deps.now()));
      return sendHtml(reply, 200, lang, tracePage(view, lang));
    },
  );
}
