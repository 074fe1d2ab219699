// Issue #14's pages of helper B in a real browser against the real stack (`npm start`'s services and console):
// sign-in with a key (a wrong one refused at the field, a right one gets its role's menu), the live board and the
// parcel look-up with an operator key (a known waybill's timeline, an unknown one's message, an empty field's
// error), the bureau dashboard with a bureau key (figures, a period error at its field, the monthly report
// downloaded as JSON and CSV) and the wave page refused to it, and a service down: a second console of the same
// stack whose SLA_URL is a closed port shows the bureau and the board's SLA block as unavailable. Screenshots of
// each page under test-results/console/.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY_ID, announced, api, countySlice, createAdminKey, tomorrowInCounty } from './support/dispatch-county.js';
import { launchBrowser, saveScreenshot } from './support/browser.js';
import { waitFor } from './support/harness.js';
import { freePort, root, serviceEnv, startStack, type Stack } from './support/stack.js';

const DATE = tomorrowInCounty();
const WAYBILLS = ['ZTOBOARD1', 'ZTOBOARD2', 'ZTOBOARD3'];

describe('console pages: board, parcels, bureau (issue #14)', () => {
  let stack: Stack;
  let browser: Browser;
  let adminKey: string;
  let operator: string;
  let bureau: string;
  let parcelIds: string[] = [];
  let stationKey: string;
  let booked: string[] = [];
  let second: { child: ChildProcess; url: string; exited: Promise<unknown> } | undefined;

  async function issue(body: Record<string, unknown>): Promise<string> {
    const res = await api<{ key: string }>('POST', `${stack.urls.intake}/keys`, adminKey, { rateLimitPerMinute: 100_000, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.key;
  }
  const knownAt = (url: string, key: string) => waitFor(async () => ((await api('GET', `${url}/auth/whoami`, key)).status === 200 ? true : undefined), { timeoutMs: 30_000 });

  /** A page of the console at `url`, in English, signed in with `key` (the session's storage, as the sign-in form leaves it). */
  async function open(url: string, key: string | null, hash: string, width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    // Runs in the page before its scripts: English, and the key where the sign-in form leaves it.
    await context.addInitScript(`localStorage.setItem('console.lang', 'en');${key ? `sessionStorage.setItem('console.key', ${JSON.stringify(key)});` : ''}`);
    const page = await context.newPage();
    await page.goto(`${url}/${hash}`);
    return page;
  }

  beforeAll(async () => {
    stack = await startStack();
    adminKey = await createAdminKey(serviceEnv(stack, 'intake'));
    const slice = await countySlice(DATE);
    const imported = await api('POST', `${stack.urls.intake}/import/county`, adminKey, slice.document);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    operator = await issue({ role: 'operator', name: 'board desk' });
    bureau = await issue({ role: 'bureau', name: 'bureau desk' });
    const courier = await issue({ role: 'courier', name: 'zto franchise', scope: { courierId: 'zto' } });
    const parcels = WAYBILLS.map((w, n) => announced(w, slice.daily[n]!.villageCode, n));
    const batch = await api<{ results: { parcelId: string }[] }>('POST', `${stack.urls.intake}/parcels/batch`, courier, { parcels });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    parcelIds = batch.body.results.map((r) => r.parcelId);
    // Two boxes of produce booked at a village station: the labels' parcels.
    stationKey = await issue({ role: 'station', name: 'village keeper', scope: { stationId: slice.daily[0]!.stationId } });
    for (const [n, product] of ['黄桃', '土鸡蛋'].entries()) {
      const res = await api<{ parcelId: string }>('POST', `${stack.urls.intake}/bookings`, stationKey, { courierId: 'zto', bookingId: `board-${n}`, product, weightKg: 5, count: 1 });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      booked.push(res.body.parcelId);
    }
    await Promise.all([knownAt(stack.urls.dispatch, operator), knownAt(stack.urls.coldchain, operator), knownAt(stack.urls.sla, operator), knownAt(stack.urls.sla, bureau)]);
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (second && second.child.exitCode === null) {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    if (stack) {
      stack.child.kill('SIGTERM');
      await stack.exited;
    }
  });

  it('signs in with a key: a wrong one is refused at the field, a right one gets the menu of its role', async () => {
    const page = await open(stack.urls.console, null, '#/board');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('[data-field="key"]').textContent()).resolves.toBe('Enter an API key');
    await page.getByLabel('API key').fill('ck_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('[data-field="key"]').textContent()).resolves.toContain('not valid');
    await saveScreenshot(page, 'sign-in-refused');
    await page.getByLabel('API key').fill(operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const menu = page.getByRole('navigation');
    await menu.getByRole('link', { name: 'Live board' }).waitFor();
    expect(await menu.getByRole('link', { name: 'Parcels' }).count()).toBe(1);
    expect(await menu.getByRole('link', { name: 'Bureau dashboard' }).count()).toBe(0);
    await page.context().close();
  });

  it('shows the live board to an operator: the day’s parcels counted, waves, alarms, alerts, dead letters', async () => {
    for (const width of [1280, 390]) {
      const page = await open(stack.urls.console, operator, '#/board', width);
      const counts = page.getByTestId('parcel-counts');
      await counts.getByText('Registered').waitFor();
      await expect(counts.locator('.stat').first().locator('.stat-value').textContent()).resolves.toBe(String(WAYBILLS.length + booked.length));
      await expect(counts.locator('.stat').nth(2).locator('.stat-value').textContent()).resolves.toBe(String(booked.length));
      for (const id of ['waves', 'alarms', 'sla-alerts', 'dead-letters']) await page.getByTestId(id).waitFor();
      expect(await page.getByTestId('service-unavailable').count()).toBe(0);
      await saveScreenshot(page, width === 1280 ? 'board' : 'board-390');
      await page.context().close();
    }
  });

  it('looks a parcel up by waybill with its timeline; an unknown waybill and an empty field get their messages', async () => {
    for (const width of [1280, 390]) {
      const page = await open(stack.urls.console, operator, '#/parcels', width);
      await page.getByLabel('Courier').selectOption('zto');
      await page.getByLabel('Waybill or parcel id').fill(WAYBILLS[0]!);
      await page.getByRole('button', { name: 'Look up' }).click();
      await expect(page.getByTestId('parcel-state').textContent()).resolves.toBe('manifested');
      await expect(page.getByTestId('timeline').locator('li').first().textContent()).resolves.toContain('manifested');
      await page.getByText(parcelIds[0]!).waitFor();
      await saveScreenshot(page, width === 1280 ? 'parcels' : 'parcels-390');
      if (width === 1280) {
        await page.getByLabel('Waybill or parcel id').fill('NOSUCHWAYBILL');
        await page.getByRole('button', { name: 'Look up' }).click();
        await expect(page.getByTestId('not-found').textContent()).resolves.toContain('NOSUCHWAYBILL');
        await page.getByLabel('Waybill or parcel id').fill('');
        await page.getByRole('button', { name: 'Look up' }).click();
        await expect(page.locator('[data-field="waybill"]').textContent()).resolves.toContain('Enter a waybill');
      }
      await page.context().close();
    }
  });

  it('lets a station key look up only the parcels to or from its station, without the SLA view', async () => {
    const page = await open(stack.urls.console, stationKey, `#/parcels?courier=zto&waybill=${WAYBILLS[0]}`);
    await expect(page.getByTestId('parcel-state').textContent()).resolves.toBe('manifested');
    await page.getByTestId('timeline').waitFor();
    expect(await page.getByTestId('sla').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Delivery time (SLA)' }).count()).toBe(0);
    // the second parcel goes to another station: as if it did not exist
    await page.getByLabel('Waybill or parcel id').fill(WAYBILLS[1]!);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(page.getByTestId('not-found').textContent()).resolves.toContain(WAYBILLS[1]!);
    await page.context().close();
  });

  it('shows the bureau its figures and the monthly report as downloads, and refuses it the wave page', async () => {
    const page = await open(stack.urls.console, bureau, '#/bureau');
    const figures = page.getByTestId('bureau-figures');
    await figures.getByText('Cost per parcel').waitFor();
    await page.getByTestId('legs').getByText('center → village').waitFor();
    await page.getByTestId('coverage').getByText('Villages covered', { exact: true }).waitFor();
    await page.getByTestId('trends').locator('tbody tr').nth(2).waitFor();
    expect(await page.getByTestId('trends').locator('tbody tr td:first-child').allTextContents()).toEqual([expect.stringMatching(/^7d/), expect.stringMatching(/^30d/), expect.stringMatching(/^90d/)]);
    await saveScreenshot(page, 'bureau');

    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 7);
    const report = page.getByTestId('monthly-report');
    const [json] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: 'Download JSON' }).click()]);
    expect(json.suggestedFilename()).toBe(`monthly-report-${month}.json`);
    const body = JSON.parse(await readFile((await json.path())!, 'utf8')) as { countyId: string; month: string; indicators: { key: string }[] };
    expect(body).toMatchObject({ countyId: COUNTY_ID, month });
    expect(body.indicators.map((i) => i.key)).toContain('cost_reduction_vs_surveyed_pct');
    const [csv] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe(`monthly-report-${month}.csv`);
    const text = await readFile((await csv.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe('figure,value');
    expect(text).toContain(`month,${month}`);

    // A period ending before it starts: the API's reason at the "To" field.
    await page.getByLabel('From', { exact: true }).fill('2026-03-10');
    await page.getByLabel('To', { exact: true }).fill('2026-03-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.locator('[data-field="to"]').textContent()).resolves.toContain('not before from');

    await page.goto(`${stack.urls.console}/#/waves`);
    await expect(page.getByTestId('refused').textContent()).resolves.toContain('bureau');
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Waves' }).count()).toBe(0);
    await page.context().close();
  });

  it('makes a station’s trace labels from its upstream parcels, printable, each linked to its trace page', async () => {
    // the console labels a parcel once its read model holds it (intake's parcel.events)
    await waitFor(async () => {
      const res = await api<{ labels: { status: number }[] }>('POST', `${stack.urls.console}/api/console/labels`, stationKey, { parcelIds: booked });
      return res.status === 200 && res.body.labels.every((l) => l.status === 200) ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    const page = await open(stack.urls.console, stationKey, '#/labels');
    const list = page.getByTestId('upstream-parcels');
    await list.locator('tbody tr').nth(1).waitFor();
    expect(await list.locator('tbody tr').count()).toBe(2);
    await list.getByRole('checkbox', { name: 'Select all' }).check();
    await page.getByRole('button', { name: 'Make labels (2)' }).click();
    const labels = page.getByTestId('trace-label');
    await labels.nth(1).waitFor();
    expect(await labels.count()).toBe(2);
    const texts = await labels.allTextContents();
    expect(texts.some((x) => x.includes('黄桃'))).toBe(true);
    expect(texts.some((x) => x.includes('土鸡蛋'))).toBe(true);
    expect(await labels.first().locator('.qr svg').count()).toBe(1);
    await saveScreenshot(page, 'labels');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await list.isVisible()).toBe(false);
    await saveScreenshot(page, 'labels-print');
    const href = await labels.first().getByRole('link').getAttribute('href');
    expect(href).toMatch(/\/t\/[A-Za-z0-9_-]{22}$/);
    const trace = await fetch(href!);
    expect(trace.status).toBe(200);
    await page.context().close();
  });

  it('says clearly which service is down: a console of the same stack whose SLA is a closed port', async () => {
    const port = await freePort();
    const closed = await freePort();
    const child = spawn(process.execPath, ['services/console/dist/main.js'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...inject('infra'),
        PORT: String(port),
        DB_SCHEMA: `${stack.iso.schema}_console_sla_down`,
        TOPIC_PREFIX: stack.iso.topicPrefix,
        GROUP_PREFIX: `${stack.iso.groupPrefix}sla-down-`,
        INTAKE_URL: stack.urls.intake,
        DISPATCH_URL: stack.urls.dispatch,
        COLDCHAIN_URL: stack.urls.coldchain,
        SLA_URL: `http://127.0.0.1:${closed}`,
        LOG_LEVEL: 'warn',
      },
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    second = { child, url: `http://127.0.0.1:${port}`, exited };
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`the second console exited:\n${output}`);
      return (await fetch(`${second!.url}/health/ready`).catch(() => undefined))?.ok ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200 });

    const page = await open(second.url, bureau, '#/bureau');
    await expect(page.getByTestId('service-unavailable').first().textContent()).resolves.toContain('sla');
    await saveScreenshot(page, 'bureau-sla-down');
    await page.context().close();

    const board = await open(second.url, operator, '#/board');
    await expect(board.getByTestId('service-unavailable').first().textContent()).resolves.toContain('sla');
    await board.getByTestId('parcel-counts').waitFor();
    await board.context().close();
  });
});
