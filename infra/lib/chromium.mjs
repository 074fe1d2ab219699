// Headless Chromium for the console's browser tests (issue #14): playwright-core drives Debian's `chromium`
// (no browser download, which this network cannot fetch). Installed with apt when /usr/bin/chromium is absent
// (as root); CHROMIUM_PATH names another build. The pages are in Chinese: without a CJK font their screenshots
// show boxes, so a small one (WenQuanYi Micro Hei) is installed too when fontconfig knows none.
import fs from 'node:fs';

import { aptInstall, canUseApt, makeLogger, run, which } from './common.mjs';

const CJK_FONT_PACKAGE = 'fonts-wqy-microhei';

async function hasCjkFont() {
  if (!which('fc-list')) return false;
  const result = await run('fc-list', [':lang=zh', 'family']);
  return result.code === 0 && result.stdout.trim().length > 0;
}

export function chromiumPath() {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Resolves the path of Chromium; as root installs Debian's `chromium` and a CJK font first when they are missing. */
export async function ensureChromium({ log: logOption } = {}) {
  const log = makeLogger(logOption);
  const path = chromiumPath();
  const missing = [...(fs.existsSync(path) ? [] : ['chromium']), ...((await hasCjkFont()) ? [] : [CJK_FONT_PACKAGE])];
  if (missing.length === 0) return path;
  if (!canUseApt()) {
    if (missing.includes('chromium')) throw new Error(`${path} is missing and this is not root with apt-get: install it yourself (sudo apt-get install -y chromium) or set CHROMIUM_PATH`);
    log(`no Chinese font: screenshots will show boxes (sudo apt-get install -y ${CJK_FONT_PACKAGE})`);
    return path;
  }
  await aptInstall(missing, log);
  if (!fs.existsSync(path)) throw new Error(`chromium was installed but ${path} is not there: set CHROMIUM_PATH`);
  log(`chromium: ${path}`);
  return path;
}
