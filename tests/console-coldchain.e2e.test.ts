// Issue #14's cold-chain page in a real browser against the real stack (`npm start`'s services and console): a
// refrigerated truck's gateway sends two hours of readings over REST, the last hour out of range (its profile
// tolerates 30 minutes), coldchain raises the `tolerance_exceeded` alarm; an operator signs in, sees the container in
// excursion, its chart with the profile's band, the excursion listed, and acknowledges the alarm with a comment —
// then the API shows it acknowledged by this very key with that comment. Clearing it without a comment is refused
// with the API's reason beside the comment field.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bigTruck, countySlice, createAdminKey, tomorrowInCounty } from './support/dispatch-county.js';
import { launchBrowser, saveScreenshot } from './support/browser.js';
import { waitFor } from './support/harness.js';
import { serviceEnv, startStack, type Stack } from './support/stack.js';

const MINUTE = 60_000;
const TRUCK = 'reefer-1';
const CONTAINER = `${TRUCK}/refrigerated`;
const reefer = { ...bigTruck(TRUCK), name: '冷藏车', capacityKg: 800, capacityM3: 6, refrigerated: true, refrigeratedCapacityKg: 50, refrigeratedCapacityM3: 1 };

interface Alarm {
  alarmId: string;
  kind: string;
  state: string;
  acknowledged: { by: { keyId: string; role: string }; comment: string | null } | null;
}

describe('the console’s cold-chain page: a container beyond tolerance, its chart, its alarm acknowledged', () => {
  let stack: Stack;
  let adminKey: string;
  let operator: string;
  let operatorKeyId: string;
  let profile: { id: string; minC: number; maxC: number; toleratedMinutes: number };
  let alarm: Alarm;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    const { intake, coldchain } = stack.urls;
    adminKey = await createAdminKey(serviceEnv(stack, 'intake'));
    // A slice of the demo county with one van and one refrigerated truck; no cold rooms: its compartment is the one container.
    const slice = await countySlice(tomorrowInCounty());
    const doc = slice.document as { stations: Record<string, unknown>[]; vehicles: Record<string, unknown>[] };
    const document = { ...slice.document, stations: doc.stations.map((s) => ({ ...s, coldStorageM3: 0 })), vehicles: [doc.vehicles[0]!, reefer] };
    const imported = await api('POST', `${intake}/import/county`, adminKey, document);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const issued = await api<{ key: string; keyId?: string; id?: string }>('POST', `${intake}/keys`, adminKey, { role: 'operator', name: 'cold-chain desk', rateLimitPerMinute: 100_000 });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    operator = issued.body.key;
    operatorKeyId = (await api<{ keyId: string }>('GET', `${intake}/auth/whoami`, operator)).body.keyId;
    await waitFor(async () => ((await api('GET', `${coldchain}/auth/whoami`, operator)).status === 200 ? true : undefined), { timeoutMs: 30_000 });
    const container = await waitFor(
      async () => (await api<{ items: { containerId: string; profileId: string }[] }>('GET', `${coldchain}/coldchain/containers`, operator)).body.items?.find((c) => c.containerId === CONTAINER),
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    profile = (await api<typeof profile>('GET', `${coldchain}/coldchain/profiles/${container.profileId}`, operator)).body;

    // Two hours of readings every 2 minutes up to 2 minutes ago, 5 °C above the range for the last hour: out for more
    // than the profile tolerates and still out (readings back in range would clear the alarm by themselves). Sent as
    // the gateway would, 10 at a time, in order.
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const readings = [];
    for (let m = -120; m <= -2; m += 2) {
      const out = m >= -60;
      readings.push({ containerId: CONTAINER, sensorId: `${TRUCK}-probe-1`, measuredAt: new Date(now + m * MINUTE).toISOString(), temperatureC: out ? profile.maxC + 5 : (profile.minC + profile.maxC) / 2 });
    }
    expect(58).toBeGreaterThan(profile.toleratedMinutes);
    for (let i = 0; i < readings.length; i += 10) {
      const res = await api<{ stored: number }>('POST', `${coldchain}/coldchain/readings`, operator, { gatewayId: `gw-${TRUCK}`, readings: readings.slice(i, i + 10) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    alarm = await waitFor(
      async () => (await api<{ alarms: Alarm[] }>('GET', `${coldchain}/coldchain/alarms?containerId=${encodeURIComponent(CONTAINER)}&kind=tolerance_exceeded`, operator)).body.alarms?.[0],
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript("localStorage.setItem('console.lang', 'en')");
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    stack?.child.kill('SIGTERM');
    await stack?.exited;
  });

  it('shows the container, its readings chart with the profile’s band and the excursion', async () => {
    await page.goto(stack.urls.console);
    await page.getByLabel('API key').fill(operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Cold chain' }).click();
    const row = page.locator(`[data-testid=container-row][data-container-id="${CONTAINER}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: CONTAINER }).click();
    const detail = page.locator(`[data-testid=container-detail][data-container-id="${CONTAINER}"]`);
    await detail.getByTestId('readings-chart').locator('canvas').waitFor();
    await expect.poll(() => detail.getByTestId('band').textContent()).toContain(`Allowed range ${profile.minC}–${profile.maxC} °C`);
    await detail.getByTestId('excursion').first().waitFor();
    expect(await detail.getByTestId('excursion').first().textContent()).toContain('above');
  });

  it('acknowledges the alarm with a comment in the UI: the API shows it acknowledged by this key; clearing without a comment is refused beside the field', async () => {
    const alarms = page.getByTestId('alarms');
    await alarms.getByLabel('State', { exact: true }).selectOption('');
    const item = alarms.locator(`[data-testid=alarm][data-alarm-id="${alarm.alarmId}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('active');
    await item.getByLabel('Comment', { exact: true }).fill('door seal checked, goods moved to the cold room');
    await item.getByRole('button', { name: 'Acknowledge' }).click();
    await item.and(page.locator('[data-state=acknowledged]')).waitFor();
    await expect.poll(() => item.getByTestId('acknowledged-by').textContent()).toContain(operatorKeyId);

    const read = await api<Alarm>('GET', `${stack.urls.coldchain}/coldchain/alarms/${alarm.alarmId}`, operator);
    expect(read.body.state).toBe('acknowledged');
    expect(read.body.acknowledged).toMatchObject({ by: { keyId: operatorKeyId, role: 'operator' }, comment: 'door seal checked, goods moved to the cold room' });

    await item.getByRole('button', { name: 'Clear by hand' }).click();
    await item.locator('.field-error[data-field=comment]').waitFor();
    expect((await api<Alarm>('GET', `${stack.urls.coldchain}/coldchain/alarms/${alarm.alarmId}`, operator)).body.state).toBe('acknowledged');
    await page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(page, 'coldchain');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(page, 'coldchain-390');
  });
});
