import type { Issue } from '@county/contracts';
import { assertCounty, BATCH_BODY_LIMIT, idempotent, requirePrincipal, type App } from '@county/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { validateCountyCsv, validateCountyImport, type CountyImportResult, type ImportError } from '../masterdata/domain/import/index.js';
import { fail } from '../errors.js';
import { importCounty, type CountyImportOutcome } from '../masterdata/import-county.js';
import type { MasterDataRouteDeps } from './masterdata.js';

/** Replacing a whole county is the admin's call alone. */
const ADMINS = { access: ['admin'] } as const;
const TAGS = ['master data'];

const part = (what: string) => z.unknown().describe(what);

/**
 * Loose on purpose: the import's validator reports every problem by file, row and field (422),
 * which a schema refusing the body first (400) would hide.
 */
const documentBody = z
  .object({
    county: part('the county record (see PUT /counties/:countyId)'),
    towns: part('an array of towns'),
    villages: part('an array of villages'),
    stations: part('an array of stations'),
    couriers: part('an array of couriers'),
    vehicles: part('an array of vehicles'),
  })
  .catchall(z.unknown())
  .describe('a whole county (src/masterdata/domain/import/README.md): records without countyId, which each takes from the county');

const csvBody = z
  .object({
    files: z
      .record(z.string(), z.string())
      .describe('each CSV file by name — county.csv, towns.csv, villages.csv, stations.csv, couriers.csv, vehicles.csv — its content as a UTF-8 string'),
  })
  .strict();

const counts = z.object({ inDocument: z.int(), created: z.int(), changed: z.int(), unchanged: z.int(), deactivated: z.int() });

const outcomeSchema = z.object({
  countyId: z.string(),
  counts: z.object({ county: counts, town: counts, village: counts, station: counts, courier: counts, vehicle: counts }),
  events: z.int().describe('masterdata.* events written: one per created, changed or deactivated record'),
  summary: z
    .object({
      towns: z.object({ total: z.int(), withStation: z.int() }),
      villages: z.object({ total: z.int(), covered: z.int(), povertyRegistered: z.int(), povertyRegisteredCovered: z.int() }),
      stations: z.object({ center: z.int(), town: z.int(), village: z.int() }),
      couriers: z.int(),
      vehicles: z.object({ total: z.int(), refrigerated: z.int(), courierOwned: z.int() }),
    })
    .describe('the county as imported, active records: coverage of villages and towns, the network, the fleet'),
});

/** An import problem in the error shape: `path` and `reason`, and the file, row and field apart. */
const detailOf = (error: ImportError): Issue & ImportError => ({
  path: [error.file, error.row, error.field].filter((part) => part !== null).join(':'),
  ...error,
});

/**
 * Bulk import of a whole county (the intake issue), as one JSON document or as the six CSV files
 * in a JSON body. Validated as a whole first: any problem is a 422 listing every one, and nothing is
 * written. A valid county replaces the county's master data in one transaction (see
 * masterdata/import-county.ts). Both honour Idempotency-Key.
 */
export function registerImportRoutes(app: App, deps: MasterDataRouteDeps): void {
  app.post(
    '/import/county',
    {
      config: ADMINS,
      bodyLimit: BATCH_BODY_LIMIT,
      schema: { tags: TAGS, summary: 'Import a whole county from one JSON document (replaces its master data)', body: documentBody, response: { 200: outcomeSchema } },
    },
    async (request, reply) => runImport(request, reply, deps, validateCountyImport(request.body)),
  );

  app.post(
    '/import/county/csv',
    {
      config: ADMINS,
      bodyLimit: BATCH_BODY_LIMIT,
      schema: { tags: TAGS, summary: 'Import a whole county from its six CSV files (replaces its master data)', body: csvBody, response: { 200: outcomeSchema } },
    },
    async (request, reply) => runImport(request, reply, deps, validateCountyCsv(request.body.files)),
  );
}

async function runImport(request: FastifyRequest, reply: FastifyReply, deps: MasterDataRouteDeps, result: CountyImportResult): Promise<FastifyReply> {
  const principal = requirePrincipal(request);
  if (!result.ok) {
    const count = result.errors.length;
    throw fail('IMPORT_INVALID', `${count} problem${count === 1 ? '' : 's'}; nothing was imported`, result.errors.map(detailOf));
  }
  const { plan } = result;
  assertCounty(principal, plan.county.id);
  const started = performance.now();
  let imported: CountyImportOutcome | undefined;
  const sent = await idempotent(deps, request, reply, async (tx) => {
    imported = await importCounty(tx, deps, plan, {
      correlationId: request.id,
      onProgress: (progress) => request.log.info(progress, 'county import progress'),
    });
    return { status: 200, body: imported };
  });
  // Absent when the Idempotency-Key replayed an earlier import.
  if (imported) {
    request.log.info({ countyId: imported.countyId, events: imported.events, durationMs: Math.round(performance.now() - started) }, 'county imported');
  }
  return sent;
}
