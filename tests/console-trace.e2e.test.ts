// Issue #14's public trace page across the real services, as processes (`npm start`): a station keeper books and
// collects a box of yellow peaches through the console's one origin (intake's REST behind its proxy), the console
// prints its label, the label's QR code is decoded from the PNG, and a phone-sized Chromium opens the decoded URL:
// what a buyer sees is the village, the station, the product, when it was collected and that the cold-chain record
// is pending — nothing personal. The screenshot goes to test-results/console/trace.png.
import { randomUUID } from 'node:crypto';
import jsQR from 'jsqr';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, saveScreenshot } from './support/browser.js';
import { api, countySlice, createAdminKey, tomorrowInCounty } from './support/dispatch-county.js';
import { waitFor } from './support/harness.js';
import { serviceEnv, startStack, type Stack } from './support/stack.js';

interface Label {
  parcelId: string;
  status: number;
  code: string;
  url: string;
  svg: string;
}

/** The text a QR code in a PNG holds. */
function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  // jsqr is CommonJS with an ES default export: under Node's ESM its function is `default` of the default import
  const found = jsQR.default(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height);
  if (!found) throw new Error('no QR code in the label');
  return found.data;
}

describe('a buyer scans the QR code on a box of yellow peaches', () => {
  let stack: Stack;
  let browser: Browser | undefined;
  let consoleUrl: string;
  let stationKey: string;
  let station: { id: string; name: string; villageName: string };
  let parcelId: string;

  beforeAll(async () => {
    stack = await startStack();
    consoleUrl = stack.urls.console;
    const adminKey = await createAdminKey(serviceEnv(stack, 'intake'));
    const slice = await countySlice(tomorrowInCounty());
    const imported = await api('POST', `${consoleUrl}/api/intake/import/county`, adminKey, slice.document);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const doc = slice.document as { stations: { id: string; name: string }[]; villages: { code: string; name: string }[] };
    const first = slice.daily[0]!;
    station = { id: first.stationId, name: doc.stations.find((s) => s.id === first.stationId)!.name, villageName: doc.villages.find((v) => v.code === first.villageCode)!.name };
    const issued = await api<{ key: string }>('POST', `${consoleUrl}/api/intake/keys`, adminKey, { role: 'station', name: station.name, scope: { stationId: station.id } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    stationKey = issued.body.key;
    // the console's own copy of the key comes over masterdata.events
    await waitFor(async () => ((await api('GET', `${consoleUrl}/auth/whoami`, stationKey)).status === 200 ? true : undefined), { timeoutMs: 30_000 });

    const booked = await api<{ parcelId: string }>('POST', `${consoleUrl}/api/intake/bookings`, stationKey, {
      courierId: 'zto',
      bookingId: `peach-${randomUUID().slice(0, 8)}`,
      product: '黄桃',
      coldChainProfileId: 'yellow-peach',
      weightKg: 5,
      count: 1,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    parcelId = booked.body.parcelId;
    // the keeper weighs and takes the box in right after booking it
    const collectedAt = new Date();
    const collected = await api('POST', `${consoleUrl}/api/intake/scans/batch`, stationKey, {
      scans: [{ scanId: `collect-${parcelId}`, kind: 'collect', parcel: { parcelId }, occurredAt: collectedAt.toISOString(), stationId: station.id }],
    });
    expect(collected.status, JSON.stringify(collected.body)).toBe(200);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    stack?.child.kill('SIGTERM');
    await stack?.exited;
  });

  it('opens the trace page from the decoded QR code, at a phone’s width', async () => {
    // the console labels the parcel once its read model holds it (intake's parcel.events)
    const label = await waitFor(
      async () => {
        const res = await api<{ labels: Label[] }>('POST', `${consoleUrl}/api/console/labels`, stationKey, { parcelIds: [parcelId] });
        return res.status === 200 && res.body.labels[0]!.status === 200 ? res.body.labels[0]! : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(label.url).toBe(`${consoleUrl}/t/${label.code}`);
    const png = await fetch(`${consoleUrl}/api/console/labels/${label.code}.png`, { headers: { 'x-api-key': stationKey } });
    expect(png.status).toBe(200);
    const url = decodeQr(Buffer.from(await png.arrayBuffer()));
    expect(url).toBe(label.url);
    // the collect scan reaches the read model after the booking: wait for the page to show it
    await waitFor(async () => ((await (await fetch(url)).text()).includes('揽收时间：<time') ? true : undefined), { timeoutMs: 30_000, intervalMs: 250 });

    const page = await browser!.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    const response = await page.goto(url);
    expect(response?.status()).toBe(200);
    const text = await page.locator('main').innerText();
    for (const seen of ['农产品溯源', '黄桃', station.villageName, station.name, '揽收', '预约揽件', '冷链记录', '运输中']) expect(text, seen).toContain(seen);
    // nothing personal and nothing internal: no parcel id, no courier, no key
    for (const unseen of [parcelId, 'zto', stationKey]) expect(text).not.toContain(unseen);
    // the page fits a phone: nothing wider than the screen
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await saveScreenshot(page, 'trace');

    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.locator('main').innerText()).toContain('Yellow peach');
    await page.close();
  });
});
