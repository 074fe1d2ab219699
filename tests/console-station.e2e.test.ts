// Issue #14's station keeper's page (`#/station`) in a real browser at a phone's width, against the real stack
// (`npm start`'s services and console): two parcels announced by a courier, received at the center and handed over
// at a village station by an operator's scans. The station's key lands on 服务站 / Station, sees them waiting, marks
// one delivered (intake then says delivered) and the other refused with its reason (asked for when missing), books
// a pickup of produce with a bad weight (the API's reason next to the weight field) and then a good one (listed
// among the station's upstream parcels today); that produce, found by its waybill and marked delivered by mistake,
// is refused with intake's reason on the item. Screenshot: test-results/console/station-390.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announced, api, countySlice, createAdminKey, tomorrowInCounty } from './support/dispatch-county.js';
import { launchBrowser, saveScreenshot } from './support/browser.js';
import { waitFor } from './support/harness.js';
import { serviceEnv, startStack, type Stack } from './support/stack.js';

const WAYBILL = 'ZTOSTATION1';
const REFUSED = 'ZTOSTATION2';

describe('console: the station keeper’s page at 390 px (issue #14)', () => {
  let stack: Stack;
  let browser: Browser;
  let adminKey: string;
  let stationKey: string;
  let stationId: string;
  let parcelId: string;
  let refusedId: string;

  async function issue(body: Record<string, unknown>): Promise<string> {
    const res = await api<{ key: string }>('POST', `${stack.urls.intake}/keys`, adminKey, { rateLimitPerMinute: 100_000, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.key;
  }

  /** The console at a phone's size, in English, signed in with `key` (where the sign-in form leaves it). */
  async function open(key: string, hash = ''): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await context.addInitScript(`localStorage.setItem('console.lang', 'en');sessionStorage.setItem('console.key', ${JSON.stringify(key)});`);
    const page = await context.newPage();
    await page.goto(`${stack.urls.console}/${hash}`);
    return page;
  }

  beforeAll(async () => {
    stack = await startStack();
    adminKey = await createAdminKey(serviceEnv(stack, 'intake'));
    const slice = await countySlice(tomorrowInCounty());
    const imported = await api('POST', `${stack.urls.intake}/import/county`, adminKey, slice.document);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    stationId = slice.daily[0]!.stationId;
    const operator = await issue({ role: 'operator', name: 'center desk' });
    const courier = await issue({ role: 'courier', name: 'zto franchise', scope: { courierId: 'zto' } });
    stationKey = await issue({ role: 'station', name: 'village keeper', scope: { stationId } });
    const batch = await api<{ results: { parcelId: string }[] }>('POST', `${stack.urls.intake}/parcels/batch`, courier, {
      parcels: [announced(WAYBILL, slice.daily[0]!.villageCode, 0), announced(REFUSED, slice.daily[0]!.villageCode, 1)],
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    [parcelId, refusedId] = batch.body.results.map((r) => r.parcelId) as [string, string];
    // Received at the center, then handed over at its village station: the operator's scans (forward scans may skip states).
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const scans = await api<{ results: { result: string }[] }>('POST', `${stack.urls.intake}/scans/batch`, operator, {
      scans: [parcelId, refusedId].flatMap((id) => [
        { scanId: `receive-${id}`, kind: 'receive', parcel: { parcelId: id }, occurredAt: at(60), stationId: 'center' },
        { scanId: `handover-${id}`, kind: 'handover', parcel: { parcelId: id }, occurredAt: at(5), stationId },
      ]),
    });
    expect(scans.status, JSON.stringify(scans.body)).toBe(200);
    expect(scans.body.results.map((r) => r.result)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const parcel = await api<{ state: string }>('GET', `${stack.urls.intake}/parcels/${parcelId}`, stationKey);
    expect(parcel.body.state).toBe('at_station');
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (stack) {
      stack.child.kill('SIGTERM');
      await stack.exited;
    }
  });

  it('lands a station key on its page, marks the waiting parcel delivered, and books a pickup (a bad weight refused at its field)', async () => {
    const page = await open(stationKey);
    await page.getByRole('heading', { name: /^Station/ }).waitFor();
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Station' }).getAttribute('class')).resolves.toBe('active');
    // in Chinese, as a keeper reads it: 服务站
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: /^服务站/ }).waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: /^Station/ }).waitFor();

    // the parcel waiting at the station: tick it, mark it delivered
    const item = page.getByTestId('waiting-parcel').filter({ hasText: WAYBILL });
    await item.waitFor();
    await item.getByRole('checkbox', { name: WAYBILL }).check();
    await page.getByTestId('scan-actions').getByText('1 selected').waitFor();
    await page.getByRole('button', { name: 'Delivered', exact: true }).click();
    await expect(page.getByTestId('scan-summary').textContent()).resolves.toBe('1 recorded');
    const delivered = await waitFor(async () => {
      const res = await api<{ state: string }>('GET', `${stack.urls.intake}/parcels/${parcelId}`, stationKey);
      return res.body.state === 'delivered' ? res.body : undefined;
    });
    expect(delivered.state).toBe('delivered');
    await item.waitFor({ state: 'detached' });

    // the other one refused by its recipient: a reason first asked for, then recorded; the parcel waits on, marked
    const other = page.getByTestId('waiting-parcel').filter({ hasText: REFUSED });
    await other.getByRole('checkbox', { name: REFUSED }).check();
    await page.getByRole('button', { name: 'Refused', exact: true }).click();
    await expect(page.locator('[data-field="reason"]').textContent()).resolves.toBe('Give the reason for a refusal');
    await page.getByTestId('scan-actions').getByLabel('Reason').fill('recipient refused: not as ordered');
    await page.getByRole('button', { name: 'Refused', exact: true }).click();
    await other.locator('.badge', { hasText: 'refused' }).waitFor();
    const refused = await api<{ state: string; exception: { kind: string } | null; timeline: { fact: string; reason: string | null }[] }>('GET', `${stack.urls.intake}/parcels/${refusedId}`, stationKey);
    expect(refused.body).toMatchObject({ state: 'at_station', exception: { kind: 'refused' } });
    expect(refused.body.timeline.at(-1)).toMatchObject({ fact: 'refused', reason: 'recipient refused: not as ordered' });

    // a pickup with a weight the API refuses: its reason next to the weight field
    const form = page.getByTestId('booking-form');
    await form.getByLabel('Courier').selectOption('zto');
    await form.getByLabel('Product').fill('黄桃');
    await form.getByLabel('Weight (kg)').fill('-3');
    await form.getByRole('button', { name: 'Book' }).click();
    const weightError = form.locator('[data-field="weightKg"]');
    await weightError.waitFor();
    expect(await weightError.textContent()).toMatch(/\S/);
    expect(await page.getByTestId('upstream-parcel').count()).toBe(0);

    // then a good one: shown as booked, with the link to its label, and listed among today's upstream parcels
    await form.getByLabel('Weight (kg)').fill('12.5');
    await form.getByLabel('Pieces').fill('3');
    await form.getByRole('button', { name: 'Book' }).click();
    const booked = page.getByTestId('booked');
    await booked.waitFor();
    expect(await booked.textContent()).toContain('Booked, waybill');
    const waybill = (await booked.getByTestId('booked-waybill').textContent())!;
    expect(waybill).toMatch(/^BK\d{8}[0-9A-F]{10}$/);
    expect(await booked.getByRole('link', { name: 'Print its trace label' }).getAttribute('href')).toBe('#/labels');
    const listed = page.getByTestId('upstream-today').locator(`[data-waybill="${waybill}"]`);
    await listed.waitFor();
    expect(await listed.getByTestId('upstream-state').textContent()).toBe('booked');
    const search = await api<{ items: { waybill: string; state: string; originStationId: string }[] }>('GET', `${stack.urls.intake}/parcels?direction=upstream`, stationKey);
    expect(search.body.items).toEqual([expect.objectContaining({ waybill, state: 'booked', originStationId: stationId })]);

    await page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(page, 'station-390');

    // the booked produce found by its waybill and marked delivered by mistake: refused, the API's reason on the item
    await page.getByRole('searchbox', { name: 'Find by waybill' }).fill(waybill);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    const found = page.getByTestId('waiting-parcel').filter({ hasText: waybill });
    await found.getByRole('checkbox', { name: waybill }).check();
    await page.getByRole('button', { name: 'Delivered', exact: true }).click();
    await expect(found.getByTestId('scan-rejected').textContent()).resolves.toBe('Not recorded: deliver applies to downstream parcels; this parcel is upstream');
    await expect(page.getByTestId('scan-summary').textContent()).resolves.toBe('0 recorded, 1 refused (the reason is on each parcel)');
    expect((await api<{ state: string }>('GET', `${stack.urls.intake}/parcels?direction=upstream`, stationKey)).body).toMatchObject({ items: [{ waybill, state: 'booked' }] });

    expect(await page.getByTestId('service-unavailable').count()).toBe(0);
    // nothing wider than the phone
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.context().close();
  });
});
