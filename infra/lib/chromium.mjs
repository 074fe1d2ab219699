// Headless Chromium for the console's browser tests (issue #14): playwright-core drives Debian's `chromium`
// (no browser download, which this network cannot fetch). Installed with apt when /usr/bin/chromium is absent
// (as root); CHROMIUM_PATH names another build.
import fs from 'node:fs';

import { aptInstall, canUseApt, makeLogger } from './common.mjs';

export function chromiumPath() {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Resolves the path of Chromium; as root installs Debian's `chromium` first when it is missing. */
export async function ensureChromium({ log: logOption } = {}) {
  const log = makeLogger(logOption);
  const path = chromiumPath();
  if (fs.existsSync(path)) return path;
  if (!canUseApt()) throw new Error(`${path} is missing and this is not root with apt-get: install it yourself (sudo apt-get install -y chromium) or set CHROMIUM_PATH`);
  await aptInstall(['chromium'], log);
  if (!fs.existsSync(path)) throw new Error(`chromium was installed but ${path} is not there: set CHROMIUM_PATH`);
  log(`chromium: ${path}`);
  return path;
}
