import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

// No import of the stack (vitest's): bench/console-pages.ts launches its browser from here too.
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Debian's Chromium (`npm run infra:up` installs it when absent), or CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium through playwright-core; as root, Chromium refuses to start without `--no-sandbox`. */
export function launchBrowser(): Promise<Browser> {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: asRoot ? ['--no-sandbox'] : [] });
}

/** Where the console's browser tests leave their screenshots (the README shows some of them). */
export const screenshotDir = join(root, 'test-results', 'console');

/** Saves the page as `test-results/console/<name>.png`; resolves the file's path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
