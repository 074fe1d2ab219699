/**
 * `npm run bench:console`: how long each page of the console takes to show its data in headless Chromium, against
 * the demo county (issue #14: "every page loads within a second on this machine against the demo county").
 *
 * Uses the console answering at CONSOLE_URL (default http://127.0.0.1:3000) with the admin key in DEMO_DIR
 * (.demo/admin-key); when none answers, runs `npm start` (which seeds and simulates the demo county's day the first
 * time, some minutes) and stops it after. Each page is opened LOADS times in a fresh browser context (nothing
 * cached), signed in; the time is from navigation to the page showing its content with nothing left loading
 * (no `[data-loading]` element, its first card rendered). The public trace page of one upstream parcel is timed the
 * same way. Prints JSON lines `{"bench": "console.page.<id>.p50_ms" | ".max_ms", "value", "unit": "ms"}`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../tests/support/browser.js';

const ROOT = join(import.meta.dirname, '..');
const CONSOLE_URL = (process.env.CONSOLE_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const DEMO_DIR = process.env.DEMO_DIR ?? join(ROOT, '.demo');
const LOADS = Number(process.env.LOADS ?? 7);

/**
 * Each page's address; the board and the waves at the demo's simulated day (its plans and routes), when known; the
 * station page at a village station (an admin key picks one); the driver's page on the day's route with the most
 * deliveries, as a desk opens it.
 */
const pages = (day: string | undefined, station: string | undefined, route: string | undefined): [string, string][] => [
  ['board', day ? `board?date=${day}` : 'board'],
  ...(day && route ? [['route', `route?date=${day}&route=${route}`] as [string, string]] : []),
  ['waves', day ? `waves?date=${day}&wave=am` : 'waves'],
  ['coldchain', 'coldchain'],
  ...(station ? [['station', `station?station=${station}`] as [string, string]] : []),
  ['parcels', 'parcels'],
  ['labels', 'labels'],
  ['bureau', 'bureau'],
];

function line(bench: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ bench, value: Math.round(value * 10) / 10, unit })}\n`);
}

async function answers(): Promise<boolean> {
  try {
    return (await fetch(`${CONSOLE_URL}/api/console/status`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

/** `npm start` in the background until the console answers and the demo's admin key is there. */
async function startStack(): Promise<ChildProcess> {
  process.stderr.write('[bench] no console answers: running npm start (the demo county is seeded the first time)\n');
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_FORMAT: 'json' } });
  let ready = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('all services ready')) ready = true;
  });
  const deadline = Date.now() + 30 * 60_000;
  while (!(ready && (await answers()) && existsSync(join(DEMO_DIR, 'admin-key')))) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('npm start was not ready in 30 minutes');
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return child;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Milliseconds from navigation to `ready` being true in the page, LOADS times, each in a fresh context. */
async function time(browser: Browser, url: string, key: string | null, ready: string): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < LOADS; n++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (key) await context.addInitScript(`sessionStorage.setItem('console.key', ${JSON.stringify(key)})`);
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(url);
    await page.waitForFunction(ready, undefined, { timeout: 30_000, polling: 'raf' });
    times.push(performance.now() - started);
    await context.close();
  }
  return times;
}

const PAGE_READY = `(() => { const main = document.querySelector('main'); return !!main && !main.querySelector('[data-loading]') && !!main.querySelector('.card') && !document.querySelector('form.signin'); })()`;

async function main(): Promise<void> {
  const child = (await answers()) ? undefined : await startStack();
  const browser = await launchBrowser();
  try {
    const keyFile = join(DEMO_DIR, 'admin-key');
    if (!existsSync(keyFile)) throw new Error(`no admin key at ${keyFile}: run npm start once (it seeds the demo county), or set DEMO_DIR`);
    const key = readFileSync(keyFile, 'utf8').trim();
    const dayFile = join(DEMO_DIR, 'day.json');
    const day = existsSync(dayFile) ? (JSON.parse(readFileSync(dayFile, 'utf8')) as { day?: string }).day : undefined;
    const stations = (await (await fetch(`${CONSOLE_URL}/api/intake/stations?kind=village`, { headers: { 'x-api-key': key } })).json()) as { items?: { id: string }[] };
    const routes = day
      ? ((await (await fetch(`${CONSOLE_URL}/api/dispatch/dispatch/routes?date=${day}`, { headers: { 'x-api-key': key } })).json()) as { routes?: { routeId: string; vehicleId: string }[] })
      : {};
    const route = routes.routes?.find((r) => r.vehicleId.includes('truck'))?.routeId ?? routes.routes?.[0]?.routeId;
    for (const [id, address] of pages(day, stations.items?.[0]?.id, route)) {
      const times = await time(browser, `${CONSOLE_URL}/#/${address}`, key, PAGE_READY);
      line(`console.page.${id}.p50_ms`, percentile(times, 50), 'ms');
      line(`console.page.${id}.max_ms`, Math.max(...times), 'ms');
    }
    // The public trace page of one upstream parcel the demo collected.
    const headers = { 'x-api-key': key, 'content-type': 'application/json' };
    const page = (await (await fetch(`${CONSOLE_URL}/api/intake/parcels?direction=upstream&limit=1`, { headers })).json()) as { items: { parcelId: string }[] };
    const parcelId = page.items[0]?.parcelId;
    if (parcelId) {
      const labels = (await (await fetch(`${CONSOLE_URL}/api/console/labels`, { method: 'POST', headers, body: JSON.stringify({ parcelIds: [parcelId] }) })).json()) as { labels: { url?: string }[] };
      const url = labels.labels[0]?.url;
      if (url) {
        const times = await time(browser, url.replace(/^https?:\/\/[^/]+/, CONSOLE_URL), null, `!!document.querySelector('h1')`);
        line('console.page.trace.p50_ms', percentile(times, 50), 'ms');
        line('console.page.trace.max_ms', Math.max(...times), 'ms');
      }
    }
  } finally {
    await browser.close();
    if (child) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}

await main();
