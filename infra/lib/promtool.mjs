// promtool: Prometheus's own checker of the text format, so /metrics is checked by the tool that
// scrapes it rather than by our reading of the format (issue #9). Installed from Debian when absent.
import { aptInstall, canUseApt, makeLogger, which } from './common.mjs';

/** Resolves the path of promtool; as root installs the Debian package (`prometheus`) first when it is missing. */
export async function ensurePromtool({ log: logOption } = {}) {
  const log = makeLogger(logOption);
  const found = which('promtool');
  if (found) return found;
  if (!canUseApt()) throw new Error('promtool is not installed and this is not root with apt-get: install it yourself (sudo apt-get install -y prometheus)');
  await aptInstall(['prometheus'], log);
  const installed = which('promtool');
  if (!installed) throw new Error('prometheus was installed but promtool is not on PATH');
  log(`promtool: ${installed}`);
  return installed;
}
