import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountParcels } from '../demo/account.js';
import { compareWithMetrics, readTopics } from '../demo/recompute.js';
import { benchLines, formatSummary, readSummary } from '../demo/summary.js';
import { COUNTY_ID, announced, api, countySlice, createAdminKey, tomorrowInCounty, type Slice } from './support/dispatch-county.js';
import { waitFor } from './support/harness.js';
import { serviceEnv, startStack, type Stack } from './support/stack.js';

/**
 * The demo's checks (demo/account.ts, demo/recompute.ts) against a real stack: a small real day of parcels through
 * the services' APIs — announced by a courier, received at the center, planned, confirmed and driven to their
 * stations — then every parcel's state in the four services' views, and the bureau's figures against a
 * recomputation from the raw events on the topics.
 */

const DATE = tomorrowInCounty();
const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const PARCELS = 24;
const now = () => new Date().toISOString();

interface PlanRoute {
  routeId: string | null;
  vehicleId: string;
  stops: { sequence: number; deliveries: string[] }[];
}

describe("the demo's checks over a small real day", () => {
  let stack: Stack;
  let slice: Slice;
  let adminKey: string;
  let urls: Stack['urls'];
  const waybills: string[] = [];
  const parcelIds: string[] = [];

  const known = (url: string, key: string) => waitFor(async () => ((await api('GET', `${url}/auth/whoami`, key)).status === 200 ? true : undefined), { timeoutMs: 30_000 });
  async function issue(body: Record<string, unknown>): Promise<string> {
    const res = await api<{ key: string }>('POST', `${urls.intake}/keys`, adminKey, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.key;
  }

  beforeAll(async () => {
    stack = await startStack();
    urls = stack.urls;
    slice = await countySlice(DATE);
    adminKey = await createAdminKey(serviceEnv(stack, 'intake'));
    for (const url of Object.values(urls)) await known(url, adminKey);
    expect((await api('POST', `${urls.intake}/import/county`, adminKey, slice.document)).status).toBe(200);
    const operator = await issue({ role: 'operator', name: 'desk', rateLimitPerMinute: 100_000 });
    const courier = await issue({ role: 'courier', name: 'zto', scope: { courierId: 'zto' } });
    await known(urls.dispatch, operator);
    expect((await api('PUT', `${urls.dispatch}/dispatch/settings`, adminKey, { budgetSeconds: 2 })).status).toBe(200);

    const parcels = Array.from({ length: PARCELS }, (_, n) => announced(`ZTODEMO${randomUUID().slice(0, 8)}${n}`, slice.daily[n % slice.daily.length]!.villageCode, n));
    const batch = await api<{ results: { parcelId: string }[] }>('POST', `${urls.intake}/parcels/batch`, courier, { parcels });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    waybills.push(...parcels.map((p) => p.waybill));
    parcelIds.push(...batch.body.results.map((r) => r.parcelId));
    const scans = parcelIds.map((parcelId) => ({ scanId: `receive-${parcelId}`, kind: 'receive', parcel: { parcelId }, occurredAt: now(), stationId: 'center' }));
    expect((await api('POST', `${urls.intake}/scans/batch`, operator, { scans })).status).toBe(200);
    // dispatch's read model has them all, received, and the slice's master data.
    await waitFor(
      async () => {
        const page = await api<{ items: { parcelId: string; state: string }[] }>('GET', `${urls.dispatch}/dispatch/parcels?limit=1000`, operator);
        return page.body.items.filter((p) => p.state === 'received').length === PARCELS ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    // The morning wave: planned, confirmed, and every route driven to its stations and back.
    const planned = await waitFor(
      async () => {
        const res = await api<{ planId: string; revision: number; routes: PlanRoute[] }>('POST', `${urls.dispatch}/dispatch/waves/${DATE}/am/plans`, operator, {});
        return res.status === 201 && res.body.routes.flatMap((r) => r.stops.flatMap((s) => s.deliveries)).length === PARCELS ? res.body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    const confirmed = await api<{ routes: PlanRoute[] }>('POST', `${urls.dispatch}/dispatch/plans/${planned.planId}/confirm`, operator, { revision: planned.revision });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    for (const route of confirmed.body.routes) {
      const driver = await issue({ role: 'driver', name: `driver of ${route.vehicleId}`, scope: { vehicleIds: [route.vehicleId] } });
      await known(urls.dispatch, driver);
      const field = async (path: string) => {
        const res = await api('POST', `${urls.dispatch}/dispatch/routes/${route.routeId}${path}`, driver, { eventId: randomUUID(), occurredAt: now() });
        expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
      };
      await field('/departure');
      for (const stop of route.stops) {
        await field(`/stops/${stop.sequence}/arrival`);
        if (stop.deliveries.length > 0) await field(`/stops/${stop.sequence}/handover`);
      }
      await field('/return');
    }
  }, 300_000);

  afterAll(async () => {
    stack?.child.kill('SIGTERM');
    await stack?.exited;
  });

  it('accounts for every parcel exactly once: the same final state in intake, dispatch and sla', async () => {
    // The hand-overs reach intake through dispatch.events and the others through parcel.events after it: until intake
    // has folded the last one, all three views can agree on `departed` for a moment. The final state is at_station.
    await waitFor(
      async () => {
        const page = await api<{ items: { state: string }[] }>('GET', `${urls.intake}/parcels?limit=500`, adminKey);
        return page.body.items.filter((p) => p.state === 'at_station').length === PARCELS ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    const account = await accountParcels({ urls, adminKey, waybills, settleMs: 90_000 });
    expect(account.unaccounted).toEqual([]);
    expect(account.parcels).toBe(PARCELS);
    expect(account.byState).toEqual({ at_station: PARCELS });
  }, 180_000);

  it("reads the bureau's summary the demo prints: the day's parcels, legs, cost against both baselines, alerts", async () => {
    // The parcels entered today; the wave that carried them is tomorrow's (its cost and hand-overs are dated so).
    const today = await readSummary(urls, adminKey, TODAY);
    expect(today.parcels).toEqual({ downstream: PARCELS, upstream: 0, total: PARCELS });
    expect(today.alerts.total).toBe(today.alerts.sla + today.alerts.coldchain);
    const tomorrow = await readSummary(urls, adminKey, DATE);
    expect(tomorrow.cost.perParcelYuan).toBeGreaterThan(0);
    expect(tomorrow.cost.reductionVsCounterfactualPct).not.toBeNull();
    const text = formatSummary(today, urls);
    expect(text).toContain(`parcels             ${PARCELS} (${PARCELS} to the villages, 0 from them)`);
    expect(text).toContain(`${urls.sla}/v1/metrics?from=${TODAY}&to=${TODAY}`);
    for (const name of ['intake', 'dispatch', 'coldchain', 'sla'] as const) expect(text).toContain(`${urls[name]}/docs`);
    expect(text).toContain(`the console           ${urls.console}`);
    const lines = benchLines(today, { unaccountedParcels: 0, seconds: 12.34 });
    expect(lines).toContainEqual({ bench: 'demo.parcels', value: PARCELS, unit: 'parcels' });
    expect(lines).toContainEqual({ bench: 'demo.unaccounted_parcels', value: 0, unit: 'parcels' });
    expect(lines).toContainEqual({ bench: 'demo.seconds', value: 12.3, unit: 's' });
    expect(lines.map((l) => l.bench)).toEqual(expect.arrayContaining(['demo.coverage.villages_pct', 'demo.coverage.towns_pct', 'demo.alerts']));
  }, 60_000);

  it('finds a waybill the couriers announced that intake does not hold', async () => {
    const account = await accountParcels({ urls, adminKey, waybills: [...waybills, 'ZTONEVERSENT1'] });
    expect(account.unaccounted).toEqual([expect.objectContaining({ waybill: 'ZTONEVERSENT1', reason: 'announced, not in intake' })]);
  }, 120_000);

  it("recomputes the bureau's figures from the raw events on the topics and finds them equal", async () => {
    const brokers = String(stack.env.KAFKA_BROKERS).split(',');
    // sla folds the same events the topics hold: once it has caught up, every figure agrees.
    let last: ReturnType<typeof compareWithMetrics> | undefined;
    const result = await waitFor(
      async () => {
        const metrics = await api('GET', `${urls.sla}/v1/metrics?from=${TODAY}&to=${DATE}`, adminKey);
        if (metrics.status !== 200) throw new Error(`GET /v1/metrics: ${metrics.status}`);
        const raw = await readTopics({ brokers, topicPrefix: stack.iso.topicPrefix, countyId: COUNTY_ID });
        last = compareWithMetrics(raw, metrics.body, TODAY, DATE);
        return last.mismatches.length === 0 ? last : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 2000 },
    ).catch(() => last);
    expect(result?.mismatches).toEqual([]);
    expect(result!.recomputed).toMatchObject({ volumes: { downstream: PARCELS, upstream: 0 } });
    expect((result!.recomputed as { cost: { waves: number } }).cost.waves).toBe(1);
  }, 180_000);
});
