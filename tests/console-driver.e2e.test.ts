// Issue #14's driver page in a real browser against the real stack (`npm start`'s services and console), at a
// phone's width: a wave of a small county is planned and confirmed through the API; the driver of one route's van
// signs in at 390×844 and lands on 我的线路 / My route, departs, arrives at the first stop and hands over its parcels —
// the hand-over's answer lost on the way once, so the page shows the service as unavailable and the driver's second
// press sends the same report (same eventId: dispatch replays it, the parcels move once) — and dispatch's sheet and
// intake's parcels show it. A refusal (an arrival reported already) shows the API's message beside its button. The
// driver of another van does not see the route, and its sheet is refused.
import type { Pool } from '@county/platform';
import { createPool } from '@county/platform';
import type { Browser, Page, Request } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VANS, api, countySlice, createAdminKey, tomorrowInCounty, receivedAtCenter, type Slice } from './support/dispatch-county.js';
import { launchBrowser, saveScreenshot } from './support/browser.js';
import { testLogger, waitFor } from './support/harness.js';
import { serviceEnv, startStack, type Stack } from './support/stack.js';

const logger = testLogger('console-driver-e2e');
const DATE = tomorrowInCounty();
const PER_COURIER = 20;

interface PlanRoute {
  routeId: string | null;
  vehicleId: string;
  stops: { sequence: number; stationId: string; deliveries: string[]; pickups: string[] }[];
}
interface Plan {
  planId: string;
  revision: number;
  status: string;
  routes: PlanRoute[];
}
interface Sheet {
  status: string;
  stops: { sequence: number; arrivedAt: string | null; unload: { parcelId: string; status: string }[] }[];
}

describe('the console’s driver page at a phone’s width: depart, arrive, hand over', () => {
  let stack: Stack;
  let slice: Slice;
  let adminKey: string;
  let operator: string;
  let driver: string;
  let stranger: string;
  let route: PlanRoute & { routeId: string };
  let dispatchDb: Pool;
  let browser: Browser;
  let page: Page;

  const issue = async (body: Record<string, unknown>) => {
    const res = await api<{ key: string }>('POST', `${stack.urls.intake}/keys`, adminKey, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.key;
  };
  const knownAtDispatch = (key: string) => waitFor(async () => ((await api('GET', `${stack.urls.dispatch}/auth/whoami`, key)).status === 200 ? true : undefined), { timeoutMs: 30_000 });
  const sheet = async () => (await api<Sheet>('GET', `${stack.urls.dispatch}/dispatch/routes/${route.routeId}/sheet`, operator)).body;

  beforeAll(async () => {
    stack = await startStack();
    const { intake, dispatch } = stack.urls;
    slice = await countySlice(DATE);
    adminKey = await createAdminKey(serviceEnv(stack, 'intake'));
    dispatchDb = createPool({ url: inject('infra').DATABASE_URL, schema: `${stack.iso.schema}_dispatch`, logger });
    const imported = await api('POST', `${intake}/import/county`, adminKey, slice.document);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    operator = await issue({ role: 'operator', name: 'console driver desk', rateLimitPerMinute: 100_000 });
    await knownAtDispatch(operator);
    await knownAtDispatch(adminKey);
    expect((await api('PUT', `${dispatch}/dispatch/settings`, adminKey, { budgetSeconds: 2 })).status).toBe(200);

    // Three couriers announce parcels to the slice's daily villages; the center receives them all now.
    await receivedAtCenter({ intakeUrl: intake, slice, issue, operator, dispatchDb, perCourier: PER_COURIER, waybillTag: 'DRV' });

    // The wave planned and confirmed at the desk (the waves page's test does it in the UI).
    const planned = await api<Plan>('POST', `${dispatch}/dispatch/waves/${DATE}/am/plans`, operator, {});
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    const confirmed = await api<Plan>('POST', `${dispatch}/dispatch/plans/${planned.body.planId}/confirm`, operator, { revision: planned.body.revision });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    // The route with most stops (its second stop takes the refusal), whose first stop has parcels to hand over.
    const withStops = confirmed.body.routes.filter((r) => r.routeId && r.stops[0]!.deliveries.length > 0).sort((a, b) => b.stops.length - a.stops.length);
    route = withStops[0] as PlanRoute & { routeId: string };
    expect(route.stops.length).toBeGreaterThanOrEqual(2);

    driver = await issue({ role: 'driver', name: `driver of ${route.vehicleId}`, scope: { vehicleIds: [route.vehicleId] } });
    const otherVan = VANS.find((v) => v !== route.vehicleId)!;
    stranger = await issue({ role: 'driver', name: `driver of ${otherVan}`, scope: { vehicleIds: [otherVan] } });
    await knownAtDispatch(driver);
    await knownAtDispatch(stranger);

    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    stack?.child.kill('SIGTERM');
    await stack?.exited;
    await dispatchDb?.end();
  });

  const phone = async (key: string, hash = '') => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    await context.addInitScript("localStorage.setItem('console.lang', 'en')");
    const p = await context.newPage();
    await p.goto(`${stack.urls.console}/${hash}`);
    await p.getByLabel('API key').fill(key);
    await p.getByRole('button', { name: 'Sign in' }).click();
    return p;
  };

  it('the driver signs in at 390 px and lands on My route, its route picked and its sheet open', async () => {
    page = await phone(driver);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('My route');
    // Tomorrow's route is listed today: it is still to drive.
    const item = page.locator(`[data-testid=route-item][data-route-id="${route.routeId}"]`);
    await item.waitFor();
    expect(await page.getByTestId('route-item').count()).toBe(1);
    expect(await item.getAttribute('aria-pressed')).toBe('true');
    const open = page.locator(`[data-testid=sheet][data-route-id="${route.routeId}"]`);
    await open.and(page.locator('[data-status=confirmed]')).waitFor();
    expect(await page.getByTestId('stop').count()).toBe(route.stops.length);
    // Before the departure only the departure is allowed.
    expect(await page.getByTestId('return').getByRole('button').isDisabled()).toBe(true);
    expect(await page.getByTestId('arrival').count()).toBe(0);
    // Nothing wider than the phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  });

  it('departs, arrives and hands over at the first stop; the hand-over’s lost answer is retried with the same eventId', async () => {
    await page.getByTestId('departure').getByRole('button', { name: 'Depart' }).click();
    await page.locator('[data-testid=sheet][data-status=departed]').waitFor();
    expect(await page.getByTestId('departure').getByRole('button').isDisabled()).toBe(true);

    const first = page.locator('[data-testid=stop][data-sequence="1"]');
    expect(await first.getAttribute('data-current')).toBe('true');
    await first.getByRole('button', { name: 'Arrived' }).click();
    await first.getByTestId('arrived').waitFor();

    // The first hand-over reaches dispatch, but its answer is lost on the way back (the phone drops off the network).
    const sent: Request[] = [];
    let dropped = false;
    await page.route('**/api/dispatch/dispatch/routes/*/stops/1/handover', async (r) => {
      sent.push(r.request());
      if (dropped) return r.continue();
      dropped = true;
      const answer = await r.fetch();
      expect(answer.status()).toBe(201);
      await r.abort('internetdisconnected');
    });
    const handover = first.getByTestId('handover');
    await handover.getByRole('button', { name: /^Hand over/ }).click();
    await handover.getByTestId('service-unavailable').waitFor();
    expect(await handover.getByRole('button').isEnabled()).toBe(true);
    // Pressed again: the very same report, replayed by dispatch.
    const replayed = page.waitForResponse((res) => res.url().endsWith('/stops/1/handover') && res.status() === 201);
    await handover.getByRole('button', { name: /^Hand over/ }).click();
    expect((await replayed).headers()['field-event-replayed']).toBe('true');
    expect(sent.length).toBe(2);
    const [a, b] = sent.map((r) => r.postDataJSON() as { eventId: string; occurredAt: string });
    expect(b).toEqual(a);
    await expect.poll(() => first.getByTestId('unload-count').textContent()).toContain('Done');
    await page.unroute('**/api/dispatch/dispatch/routes/*/stops/1/handover');

    // Dispatch has the arrival and every parcel of the stop handed over, once; intake moves them to the station.
    const now = await sheet();
    expect(now.status).toBe('departed');
    expect(now.stops[0]!.arrivedAt).not.toBeNull();
    expect(now.stops[0]!.unload.every((p) => p.status === 'handed_over')).toBe(true);
    const handed = await dispatchDb.query<{ n: number }>(`SELECT count(*)::int AS n FROM field_events WHERE route_id = $1 AND kind = 'handover'`, [route.routeId]);
    expect(handed.rows[0]!.n).toBe(1);
    // The second stop is the current one now, kept in view.
    expect(await page.locator('[data-testid=stop][data-sequence="2"]').getAttribute('data-current')).toBe('true');
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    await expect
      .poll(async () => {
        const bar = (await page.locator('.topbar').boundingBox())!;
        const current = (await page.locator('[data-testid=stop][data-current=true]').boundingBox())!;
        return current.y >= bar.y + bar.height - 1 && current.y < 844;
      })
      .toBe(true);
    await page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(page, 'route-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(page, 'route');
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('a refusal shows the API’s message beside its button', async () => {
    // The desk reports the arrival at stop 2 meanwhile; the driver's page still offers it, and dispatch refuses it.
    const desk = await api('POST', `${stack.urls.dispatch}/dispatch/routes/${route.routeId}/stops/2/arrival`, operator, { eventId: randomUUID(), occurredAt: new Date().toISOString() });
    expect(desk.status, JSON.stringify(desk.body)).toBe(201);
    const second = page.locator('[data-testid=stop][data-sequence="2"]');
    await second.getByRole('button', { name: 'Arrived' }).click();
    const refusal = second.getByTestId('arrival').getByTestId('refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/already/);
    // The page read the sheet again: the arrival is shown.
    await second.getByTestId('arrived').waitFor();
    await page.context().close();
  });

  it('intake has the first stop’s parcels at the station, from dispatch’s events', async () => {
    for (const parcelId of route.stops[0]!.deliveries) {
      await waitFor(async () => ((await api<{ state: string }>('GET', `${stack.urls.intake}/parcels/${parcelId}`, operator)).body.state === 'at_station' ? true : undefined), { timeoutMs: 30_000 });
    }
  });

  it('the driver of another van does not see the route, and its sheet is refused', async () => {
    const other = await phone(stranger);
    await expect.poll(() => other.getByRole('heading', { level: 1 }).textContent()).toBe('My route');
    await other.getByTestId('no-routes').waitFor();
    expect(await other.locator(`[data-route-id="${route.routeId}"]`).count()).toBe(0);
    const listed = await api<{ routes: { routeId: string }[] }>('GET', `${stack.urls.dispatch}/dispatch/routes?date=${DATE}`, stranger);
    expect(listed.body.routes.map((r) => r.routeId)).not.toContain(route.routeId);
    // Opened by its address (the page reads the route from it when it opens).
    await other.goto(`${stack.urls.console}/#/route?route=${route.routeId}`);
    await other.reload();
    await other.getByTestId('error').waitFor();
    expect(await other.getByTestId('sheet').count()).toBe(0);
    await other.context().close();
  });
});
