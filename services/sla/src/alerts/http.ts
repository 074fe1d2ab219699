import { slaAlertSchema, slaLegSchema } from '@county/contracts';
import { requirePrincipal, withTransaction, type App, type Clock, type Logger, type Outbox, type Pool } from '@county/platform';
import { z } from 'zod';
import { fail } from '../errors.js';
import { defaultRateSettings } from './domain/rate.js';
import { startScanner } from './scanner.js';
import { acknowledgeAlert, listAlerts, loadRateSettings, saveRateSettings } from './store.js';

export interface AlertRouteDeps {
  pool: Pool;
  outbox: Outbox;
  source: string;
  now: Clock;
  logger: Logger;
  /** Real milliseconds between scans (open parcels, rate windows); absent or 0: no scanner (tests scan themselves). */
  scanEveryMs?: number;
  /** The parcel consumer's watermark for the scanner's breaches (`scanner.ts`); absent: the clock's now. */
  foldedThrough?: (now: Date) => Promise<Date | null>;
}

const READERS = { access: ['admin', 'operator'] } as const;
const ADMINS = { access: ['admin'] } as const;
const TAGS = ['sla alerts'];

const utc = z.iso.datetime({ offset: true }).describe('ISO-8601 instant');
const alertsQuery = z
  .object({
    kind: z.enum(['breach', 'at_risk', 'eta_slip', 'rate']).optional(),
    leg: slaLegSchema.optional(),
    state: z.enum(['open', 'acknowledged', 'resolved']).optional(),
    courier: z.string().min(1).max(64).optional().describe('courier id'),
    from: utc.optional().describe('raised at or after'),
    to: utc.optional().describe('raised before'),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be after from' });

const alertOut = slaAlertSchema;
const settingsSchema = z
  .object({
    targetRate: z.number().gt(0, 'more than 0').max(1, 'at most 1 (100 %)').default(defaultRateSettings.targetRate),
    windowHours: z.number().int().min(1, 'at least 1 h').max(24 * 90, 'at most 90 days').default(defaultRateSettings.windowHours),
    minLegs: z.number().int().min(1, 'at least 1').max(1_000_000).default(defaultRateSettings.minLegs),
  })
  .strict();
const settingsResponse = z.object({
  settings: settingsSchema.required(),
  defaults: settingsSchema.required(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

/** `GET /sla/alerts`, `POST /sla/alerts/:alertId/acknowledge`, `GET/PUT /sla/settings`; and the scanner of open parcels. */
export function registerAlertRoutes(app: App, deps: AlertRouteDeps): void {
  const emitter = { outbox: deps.outbox, source: deps.source };
  app.get(
    '/sla/alerts',
    {
      config: READERS,
      schema: { tags: TAGS, summary: 'The county’s alerts, newest first, by kind, leg, state, courier and time raised', querystring: alertsQuery, response: { 200: z.object({ items: z.array(alertOut) }) } },
    },
    async (request) => {
      const q = request.query as z.infer<typeof alertsQuery>;
      const items = await listAlerts(deps.pool, requirePrincipal(request).countyId, {
        ...(q.kind ? { kind: q.kind } : {}),
        ...(q.leg ? { leg: q.leg } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.courier ? { courierId: q.courier } : {}),
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
        limit: q.limit,
      });
      return { items };
    },
  );
  app.post(
    '/sla/alerts/:alertId/acknowledge',
    { config: READERS, schema: { tags: TAGS, summary: 'Acknowledge an open alert (again: no change)', params: z.object({ alertId: z.uuid() }), response: { 200: alertOut } } },
    async (request) => {
      const principal = requirePrincipal(request);
      const { alertId } = request.params as { alertId: string };
      const alert = await withTransaction(deps.pool, (tx) => acknowledgeAlert(tx, emitter, principal.countyId, alertId, principal.keyId, deps.now()));
      if (!alert) throw fail('SLA_ALERT_NOT_FOUND', `no alert ${alertId} in this county`);
      const { countyId: _c, ...out } = alert;
      return out;
    },
  );
  const readSettings = async (countyId: string) => {
    const { updatedAt, updatedBy, ...settings } = await loadRateSettings(deps.pool, countyId);
    return { settings, defaults: defaultRateSettings, updatedAt, updatedBy };
  };
  app.get(
    '/sla/settings',
    { config: READERS, schema: { tags: TAGS, summary: 'The county’s rate-alert settings (the defaults where it set none)', response: { 200: settingsResponse } } },
    async (request) => readSettings(requirePrincipal(request).countyId),
  );
  app.put(
    '/sla/settings',
    {
      config: ADMINS,
      schema: { tags: TAGS, summary: 'Replace the county’s rate-alert settings; a field left out takes its default', body: settingsSchema, response: { 200: settingsResponse } },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      await saveRateSettings(deps.pool, principal.countyId, request.body as z.infer<typeof settingsSchema>, principal.keyId, deps.now());
      return readSettings(principal.countyId);
    },
  );
  const every = deps.scanEveryMs ?? 0;
  if (every > 0) {
    let stop: (() => Promise<void>) | undefined;
    app.addHook('onReady', async () => {
      stop = startScanner({ pool: deps.pool, outbox: deps.outbox, source: deps.source, clock: deps.now, logger: deps.logger, ...(deps.foldedThrough ? { foldedThrough: deps.foldedThrough } : {}) }, every);
    });
    app.addHook('onClose', async () => stop?.());
  }
}
