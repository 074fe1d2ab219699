import { idSchema } from '@county/contracts';
import { requirePrincipal, withTransaction, type App, type Clock, type Pool } from '@county/platform';
import { z } from 'zod';
import { fail } from '../errors.js';
import { fixedLineBodySchema } from './domain/lines.js';
import { MAX_MATRIX_STATIONS, travelMatrixBodySchema } from './domain/matrix.js';
import { dispatchSettingsSchema, settingsDefaults } from './domain/settings.js';
import { putLine } from './put-line.js';
import { putMatrix } from './put-matrix.js';
import { deleteLine, deleteMatrix, findLine, listLines, loadMatrix, loadSettings, saveSettings } from './store.js';

export interface SettingsRouteDeps {
  pool: Pool;
  now: Clock;
}

/** Admins change how their county dispatches; operators read it (the issue: admin writes, operator reads). */
const ADMINS = { access: ['admin'] } as const;
const READERS = { access: ['admin', 'operator'] } as const;
const TAGS = ['dispatch settings'];

/**
 * A 1,000-station matrix is two million numbers: up to about 14 MB of JSON with two decimals, more with full
 * precision, so its upload may be larger than the platform's batch limit.
 */
const MATRIX_BODY_LIMIT = 48 * 1024 * 1024;

const settingsResponse = z.object({
  settings: dispatchSettingsSchema.required(),
  defaults: dispatchSettingsSchema.required(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable().describe('the key that last changed them; null while the defaults apply'),
});

const lineSchema = fixedLineBodySchema.extend({ id: idSchema });
const lineParams = z.object({ lineId: idSchema });

/**
 * `GET/PUT /dispatch/settings`, `GET /dispatch/lines`, `GET/PUT/DELETE /dispatch/lines/:lineId`,
 * `PUT/GET/DELETE /dispatch/matrix`: always the caller's county (its key's).
 */
export function registerSettingsRoutes(app: App, deps: SettingsRouteDeps): void {
  registerSettings(app, deps);
  registerLines(app, deps);
  registerMatrix(app, deps);
}

function registerSettings(app: App, deps: SettingsRouteDeps): void {
  const read = async (countyId: string) => ({ ...(await loadSettings(deps.pool, countyId)), defaults: settingsDefaults });
  app.get(
    '/dispatch/settings',
    { config: READERS, schema: { tags: TAGS, summary: 'The county’s dispatch settings (the defaults where it set none)', response: { 200: settingsResponse } } },
    async (request) => read(requirePrincipal(request).countyId),
  );
  app.put(
    '/dispatch/settings',
    {
      config: ADMINS,
      schema: {
        tags: TAGS,
        summary: 'Replace the county’s dispatch settings; a field left out takes its default',
        body: dispatchSettingsSchema,
        response: { 200: settingsResponse },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      await saveSettings(deps.pool, principal.countyId, request.body, principal.keyId, deps.now());
      return read(principal.countyId);
    },
  );
}

function registerLines(app: App, deps: SettingsRouteDeps): void {
  app.get(
    '/dispatch/lines',
    { config: READERS, schema: { tags: TAGS, summary: 'The county’s fixed lines (固定线路), by id', response: { 200: z.object({ items: z.array(lineSchema) }) } } },
    async (request) => ({ items: await listLines(deps.pool, requirePrincipal(request).countyId) }),
  );
  app.get(
    '/dispatch/lines/:lineId',
    { config: READERS, schema: { tags: TAGS, summary: 'A fixed line', params: lineParams, response: { 200: lineSchema } } },
    async (request) => {
      const line = await findLine(deps.pool, requirePrincipal(request).countyId, request.params.lineId);
      if (!line) throw fail('LINE_NOT_FOUND', `no fixed line ${request.params.lineId} in this county`);
      return line;
    },
  );
  app.put(
    '/dispatch/lines/:lineId',
    {
      config: ADMINS,
      schema: {
        tags: TAGS,
        summary: 'Create or replace a fixed line: its stops in order, its vehicle and the ISO weekdays it runs',
        params: lineParams,
        body: fixedLineBodySchema,
        response: { 200: lineSchema, 201: lineSchema },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const change = { countyId: principal.countyId, lineId: request.params.lineId, body: request.body, by: principal.keyId, at: deps.now() };
      const { line, created } = await withTransaction(deps.pool, (tx) => putLine(tx, change));
      return reply.code(created ? 201 : 200).send(line);
    },
  );
  app.delete(
    '/dispatch/lines/:lineId',
    { config: ADMINS, schema: { tags: TAGS, summary: 'Delete a fixed line', params: lineParams } },
    async (request, reply) => {
      if (!(await deleteLine(deps.pool, requirePrincipal(request).countyId, request.params.lineId))) {
        throw fail('LINE_NOT_FOUND', `no fixed line ${request.params.lineId} in this county`);
      }
      return reply.code(204).send();
    },
  );
}

function registerMatrix(app: App, deps: SettingsRouteDeps): void {
  const matrixResponse = z.object({
    stationIds: z.array(z.string()),
    distanceKm: z.array(z.array(z.number())),
    durationMinutes: z.array(z.array(z.number())),
    uploadedAt: z.string(),
    uploadedBy: z.string(),
  });
  app.put(
    '/dispatch/matrix',
    {
      config: ADMINS,
      bodyLimit: MATRIX_BODY_LIMIT,
      schema: {
        tags: TAGS,
        summary: `Replace the county’s distance/duration matrix (at most ${MAX_MATRIX_STATIONS.toLocaleString('en')} stations); plans use it when present`,
        body: travelMatrixBodySchema,
        response: { 200: z.object({ stations: z.number(), uploadedAt: z.string(), uploadedBy: z.string() }) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const at = deps.now();
      await withTransaction(deps.pool, (tx) => putMatrix(tx, { countyId: principal.countyId, body: request.body, by: principal.keyId, at }));
      return { stations: request.body.stationIds.length, uploadedAt: at.toISOString(), uploadedBy: principal.keyId };
    },
  );
  app.get(
    '/dispatch/matrix',
    { config: READERS, schema: { tags: TAGS, summary: 'The county’s travel matrix', response: { 200: matrixResponse } } },
    async (request) => {
      const stored = await loadMatrix(deps.pool, requirePrincipal(request).countyId);
      if (!stored) throw fail('MATRIX_NOT_FOUND');
      return { ...stored.matrix, uploadedAt: stored.uploadedAt, uploadedBy: stored.uploadedBy };
    },
  );
  app.delete(
    '/dispatch/matrix',
    { config: ADMINS, schema: { tags: TAGS, summary: 'Delete the county’s travel matrix: plans go back to great-circle km × road factor' } },
    async (request, reply) => {
      if (!(await deleteMatrix(deps.pool, requirePrincipal(request).countyId))) throw fail('MATRIX_NOT_FOUND');
      return reply.code(204).send();
    },
  );
}
