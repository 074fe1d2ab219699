// kcat: a Kafka producer nobody here wrote (librdkafka), so the tests publish what a courier's own
// client sends — every compression codec included (issue #8). Installed from Debian when absent.
import { aptInstall, canUseApt, makeLogger, which } from './common.mjs';

/** Resolves the path of kcat; as root installs the Debian package first when it is missing. */
export async function ensureKcat({ log: logOption } = {}) {
  const log = makeLogger(logOption);
  const found = which('kcat');
  if (found) return found;
  if (!canUseApt()) throw new Error('kcat is not installed and this is not root with apt-get: install it yourself (sudo apt-get install -y kcat)');
  await aptInstall(['kcat'], log);
  const installed = which('kcat');
  if (!installed) throw new Error('kcat was installed but is not on PATH');
  log(`kcat: ${installed}`);
  return installed;
}
