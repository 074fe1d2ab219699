// Outside tools the tests drive, installed from Debian when absent (as root):
// - kcat: a Kafka producer nobody here wrote (librdkafka), so the tests publish what a courier's own
//   client sends, every compression codec included (issue #8);
// - promtool: Prometheus's own checker of the text format, so /metrics is checked by the tool that
//   scrapes it rather than by our reading of the format (issue #9).
import { aptInstall, canUseApt, makeLogger, which } from './common.mjs';

/** Resolves the path of `command`; as root installs Debian's `pkg` first when it is missing. */
async function ensureDebianTool(command, pkg, { log: logOption } = {}) {
  const log = makeLogger(logOption);
  const found = which(command);
  if (found) return found;
  if (!canUseApt()) throw new Error(`${command} is not installed and this is not root with apt-get: install it yourself (sudo apt-get install -y ${pkg})`);
  await aptInstall([pkg], log);
  const installed = which(command);
  if (!installed) throw new Error(`${pkg} was installed but ${command} is not on PATH`);
  log(`${command}: ${installed}`);
  return installed;
}

export const ensureKcat = (options) => ensureDebianTool('kcat', 'kcat', options);
export const ensurePromtool = (options) => ensureDebianTool('promtool', 'prometheus', options);
