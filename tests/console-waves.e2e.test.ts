// Issue #14's waves page in a real browser against the real stack (`npm start`'s services and console): an operator
// signs in with its key, plans tomorrow's morning wave of a small county in the UI, sees the routes drawn over the
// stations and the counterfactual beside the plan's cost, moves a stop to another route, locks a route and confirms —
// then the API says the plan is confirmed at the revision the UI last had, with the route locked and the stop moved.
import type { Pool } from '@county/platform';
import { createPool } from '@county/platform';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, countySlice, createAdminKey, tomorrowInCounty, receivedAtCenter, type Slice } from './support/dispatch-county.js';
import { launchBrowser, saveScreenshot } from './support/browser.js';
import { testLogger, waitFor } from './support/harness.js';
import { serviceEnv, startStack, type Stack } from './support/stack.js';

const logger = testLogger('console-waves-e2e');
const DATE = tomorrowInCounty();
const PER_COURIER = 60;

interface Plan {
  planId: string;
  status: string;
  revision: number;
  locks: { routes: string[] };
  routes: { routeKey: string; locked: boolean; stops: { stationId: string; deliveries: string[]; pickups: string[] }[] }[];
}

describe('the console’s waves page: plan, draw, move, lock, confirm', () => {
  let stack: Stack;
  let slice: Slice;
  let adminKey: string;
  let operator: string;
  let dispatchDb: Pool;
  let browser: Browser;
  let page: Page;

  const issue = async (body: Record<string, unknown>) => {
    const res = await api<{ key: string }>('POST', `${stack.urls.intake}/keys`, adminKey, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.key;
  };

  beforeAll(async () => {
    stack = await startStack();
    const { intake, dispatch } = stack.urls;
    slice = await countySlice(DATE);
    adminKey = await createAdminKey(serviceEnv(stack, 'intake'));
    dispatchDb = createPool({ url: inject('infra').DATABASE_URL, schema: `${stack.iso.schema}_dispatch`, logger });
    const imported = await api('POST', `${intake}/import/county`, adminKey, slice.document);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    operator = await issue({ role: 'operator', name: 'console waves desk', rateLimitPerMinute: 100_000 });
    await waitFor(async () => ((await api('GET', `${dispatch}/auth/whoami`, operator)).status === 200 ? true : undefined), { timeoutMs: 30_000 });
    await waitFor(async () => ((await api('GET', `${dispatch}/auth/whoami`, adminKey)).status === 200 ? true : undefined), { timeoutMs: 30_000 });
    expect((await api('PUT', `${dispatch}/dispatch/settings`, adminKey, { budgetSeconds: 2 })).status).toBe(200);

    // Three couriers announce parcels to the slice's daily villages; the center receives them all now.
    await receivedAtCenter({ intakeUrl: intake, slice, issue, operator, dispatchDb, perCourier: PER_COURIER, waybillTag: 'UI' });

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript("localStorage.setItem('console.lang', 'en')");
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    stack?.child.kill('SIGTERM');
    await stack?.exited;
    await dispatchDb?.end();
  });

  const plan = () => page.getByTestId('plan');
  const revision = async () => Number(await plan().getAttribute('data-revision'));

  it('signs in with the operator’s key and plans the wave in the UI: routes drawn over the stations, the counterfactual beside the plan’s cost', async () => {
    await page.goto(stack.urls.console);
    await page.getByLabel('API key').fill(operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Waves' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Waves and routes');

    await page.getByLabel('Date', { exact: true }).fill(DATE);
    await page.getByLabel('Wave', { exact: true }).selectOption('am');
    await expect.poll(() => page.getByText('This wave has no plan yet.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Plan this wave' }).click();

    await plan().and(page.locator('[data-status=draft]')).waitFor({ timeout: 120_000 });
    await page.getByTestId('route-map').locator('canvas').waitFor();
    expect(await page.getByTestId('route').count()).toBeGreaterThanOrEqual(2);
    const costs = page.getByTestId('costs');
    await expect.poll(() => costs.textContent()).toContain('Counterfactual cost (each courier alone)');
    expect(await costs.textContent()).toMatch(/Saving.*less than the counterfactual/s);
    expect(await page.getByTestId('plan-row').count()).toBe(1);
  });

  it('moves a stop to another route and locks a route, each at the revision shown; a stale revision’s refusal shows beside its control', async () => {
    const planId = (await plan().getAttribute('data-plan-id'))!;
    const before = (await api<Plan>('GET', `${stack.urls.dispatch}/dispatch/plans/${planId}`, operator)).body;
    // The smallest stop of a route into the route carrying least, so the van has room for it.
    const parcelsOf = (r: Plan['routes'][number]) => r.stops.reduce((n, s) => n + s.deliveries.length + s.pickups.length, 0);
    const to = [...before.routes].sort((a, b) => parcelsOf(a) - parcelsOf(b))[0]!;
    const from = before.routes.find((r) => r.routeKey !== to.routeKey)!;
    const moved = [...from.stops].sort((a, b) => a.deliveries.length + a.pickups.length - (b.deliveries.length + b.pickups.length))[0]!.stationId;

    const form = page.getByTestId('move-form');
    await form.getByLabel('Stop', { exact: true }).selectOption(`${from.routeKey}|${moved}`);
    await form.getByLabel('To route', { exact: true }).selectOption(to.routeKey);
    await form.getByRole('button', { name: 'Move' }).click();
    // The new revision, or the API's refusal beside the form (which would fail the test with its reason).
    await expect.poll(async () => ((await form.getByRole('alert').count()) > 0 ? await form.getByRole('alert').first().textContent() : await revision())).toBe(before.revision + 1);
    await page.locator(`[data-testid=route][data-route-key="${to.routeKey}"] [data-testid=stop][data-station-id="${moved}"]`).waitFor({ state: 'attached' });

    // Someone else edits the draft meanwhile: the UI's next edit is refused with the API's 409 beside the button.
    const other = await api<Plan>('POST', `${stack.urls.dispatch}/dispatch/plans/${planId}/locks`, operator, { routeKey: from.routeKey, revision: before.revision + 1 });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    const card = page.locator(`[data-testid=route][data-route-key="${to.routeKey}"]`);
    await card.getByRole('button', { name: 'Lock route' }).click();
    await card.getByRole('alert').waitFor();
    expect(await card.getByRole('alert').textContent()).toMatch(/revision/i);

    // Read the plan again, then lock.
    await page.getByRole('button', { name: 'Read the plan again' }).click();
    await plan().and(page.locator(`[data-revision="${other.body.revision}"]`)).waitFor();
    await card.getByRole('button', { name: 'Lock route' }).click();
    await card.and(page.locator('[data-locked=true]')).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(page, 'waves');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('route-map').locator('canvas').waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(page, 'waves-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('confirms the plan in the UI: the API says it is confirmed, with the locks and the move', async () => {
    const planId = (await plan().getAttribute('data-plan-id'))!;
    await page.getByRole('button', { name: 'Confirm plan' }).click();
    await plan().and(page.locator('[data-status=confirmed]')).waitFor({ timeout: 60_000 });
    const confirmed = await api<Plan>('GET', `${stack.urls.dispatch}/dispatch/plans/${planId}`, operator);
    expect(confirmed.body.status).toBe('confirmed');
    expect(confirmed.body.locks.routes.length).toBe(2);
    expect(confirmed.body.revision).toBe(await revision());
    const costs = await api<{ planId: string }>('GET', `${stack.urls.dispatch}/dispatch/waves/${DATE}/am/costs`, operator);
    expect(costs.status).toBe(200);
    expect(costs.body.planId).toBe(planId);
    // The page shows the confirmed wave's cost from GET …/costs.
    await expect.poll(() => page.getByTestId('costs').textContent()).toContain('The confirmed wave’s cost');
  });
});
