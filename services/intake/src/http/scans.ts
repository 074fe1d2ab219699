import { rejectionCodes, scanSchema, type RejectionCode } from '@county/contracts';
import {
  BATCH_BODY_LIMIT,
  errorResponse,
  idempotent,
  requirePrincipal,
  type App,
  type IdempotencyDeps,
  type StoredResponse,
} from '@county/platform';
import { z } from 'zod';
import { fail } from '../errors.js';
import type { IntakeMetrics } from '../metrics.js';
import { applyScans, MAX_SCANS_PER_BATCH, type ScanDeps, type ScanRejected, type ScanResult } from '../parcels/record-scans.js';

export type ScanRouteDeps = ScanDeps & IdempotencyDeps & { metrics: IntakeMetrics };

/** Everyone who handles parcels; what each role may scan is checked per scan (parcels/domain/scan-rules.ts). */
const SCANNERS = { access: ['admin', 'operator', 'station', 'driver', 'courier'] } as const;

const exceptionSchema = z.object({ kind: z.string(), since: z.string() }).nullable();

const appliedSchema = z.object({
  result: z.enum(['applied', 'recorded', 'confirming', 'duplicate']),
  parcelId: z.uuid(),
  factId: z.string(),
  state: z.string(),
  progress: z.string().nullable(),
  exception: exceptionSchema,
});

const itemSchema = z.union([
  appliedSchema.extend({ index: z.int() }),
  z.object({
    index: z.int(),
    result: z.literal('rejected'),
    code: z.string(),
    path: z.string().optional(),
    reason: z.string(),
    reasonZh: z.string(),
    parcelId: z.uuid().optional(),
  }),
]);

const batchBody = z.object({ scans: z.array(scanSchema).min(1).max(MAX_SCANS_PER_BATCH) }).strict();

const batchResponse = z.object({
  results: z.array(itemSchema).describe('one per scan, in the order sent'),
  summary: z.record(z.enum(['applied', 'recorded', 'confirming', 'duplicate', 'rejected']), z.int()),
});

const isLifecycleCode = (code: string): code is RejectionCode => (rejectionCodes as readonly string[]).includes(code);

/**
 * Scans as handhelds send them (docs/architecture.md "Parcel lifecycle"): one at a time, or an uploaded batch
 * applied in one transaction with a result per scan. Both honour `Idempotency-Key`.
 */
export function registerScanRoutes(app: App, deps: ScanRouteDeps): void {
  app.post(
    '/scans',
    {
      config: SCANNERS,
      schema: {
        tags: ['scans'],
        summary: 'Apply one scan: 409 with the reason (English and Chinese) when it cannot apply to the parcel',
        body: scanSchema,
        response: { 200: appliedSchema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      return idempotent(deps, request, reply, async (tx): Promise<StoredResponse> => {
        const [result] = (await applyScans(tx, deps, principal, [request.body])) as [ScanResult];
        deps.metrics.countScans(tx, [request.body], [result]);
        if (result.result !== 'rejected') {
          const { index: _index, ...applied } = result;
          return { status: 200, body: applied };
        }
        return refusal(result);
      });
    },
  );

  app.post(
    '/scans/batch',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      config: SCANNERS,
      schema: {
        tags: ['scans'],
        summary: `Apply up to ${MAX_SCANS_PER_BATCH} scans in one transaction, each with its own result`,
        body: batchBody,
        response: { 200: batchResponse },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      return idempotent(deps, request, reply, async (tx) => {
        const results = await applyScans(tx, deps, principal, request.body.scans);
        deps.metrics.countScans(tx, request.body.scans, results);
        const summary = { applied: 0, recorded: 0, confirming: 0, duplicate: 0, rejected: 0 };
        for (const result of results) summary[result.result] += 1;
        return { status: 200, body: { results, summary } };
      });
    },
  );
}

/**
 * A single scan's refusal. What cannot apply to the parcel is a 409 kept with the Idempotency-Key
 * (it changed nothing, and a retry would be refused alike); the others are thrown as errors.
 */
function refusal(result: ScanRejected): StoredResponse {
  const details = result.path === undefined ? [] : [{ path: `body.${result.path}`, reason: result.reason }];
  if (isLifecycleCode(result.code)) {
    return errorResponse(fail(result.code, result.reason, details), { reason: result.reason, reasonZh: result.reasonZh });
  }
  switch (result.code) {
    case 'FORBIDDEN':
      throw fail('FORBIDDEN', result.reason);
    case 'PARCEL_NOT_FOUND':
      throw fail('PARCEL_NOT_FOUND', result.reason);
    case 'VALIDATION_FAILED':
      throw fail('VALIDATION_FAILED', undefined, details.length > 0 ? details : [{ path: 'body', reason: result.reason }]);
  }
}
