// Steps shared by `npm start` and `npm test`, in plain Node so they run before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function say(line) {
  process.stderr.write(`[county] ${line}\n`);
}

/**
 * Installs the locked dependencies when node_modules is absent or older than the lockfile.
 * `npm install` rather than `npm ci`: npm 11 leaves other platforms' optional packages (rollup's
 * native builds, under vitest) out of the lockfile and then refuses that same lockfile in `npm ci`
 * (npm/cli#4828). `npm install` still installs exactly the locked versions.
 */
export function ensureDependencies() {
  const installed = `${ROOT}node_modules/.package-lock.json`;
  const lock = `${ROOT}package-lock.json`;
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  say('installing dependencies (npm install from the lockfile)');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm install failed with exit code ${result.status}`);
}

/** Compiles every package and service (incremental: a second run does next to nothing). */
export function build() {
  say('building');
  const result = spawnSync(`${ROOT}node_modules/.bin/tsc`, ['-b'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`build failed with exit code ${result.status}`);
  // The console's web app (services/console/web): Vite writes web/dist, which the console service serves.
  const web = spawnSync(`${ROOT}node_modules/.bin/vite`, ['build', '--logLevel', 'warn', '--config', 'services/console/web/vite.config.ts'], { cwd: ROOT, stdio: 'inherit' });
  if (web.status !== 0) throw new Error(`the console's web build failed with exit code ${web.status}`);
}

/**
 * Type-checks what `build()` does not compile: the tests, bench, demo and scripts. vitest strips
 * types without checking them, so a type error in a test would otherwise never be reported.
 */
export function typecheck() {
  say('type-checking tests, bench, demo and scripts (tsconfig.check.json)');
  const result = spawnSync(`${ROOT}node_modules/.bin/tsc`, ['-p', 'tsconfig.check.json'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`type check failed with exit code ${result.status}: fix the errors above before the tests run`);
  // The console's web app is bundled by Vite, which strips types: its own check (DOM, JSX).
  const web = spawnSync(`${ROOT}node_modules/.bin/tsc`, ['-p', 'services/console/web/tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  if (web.status !== 0) throw new Error(`the console's web app has type errors (services/console/web/tsconfig.json): fix them before the tests run`);
}

/**
 * The connection strings of Kafka, Postgres, Redis and the MQTT broker: the environment's when the first three are
 * set (MQTT_URL then defaults to the local Mosquitto), otherwise the local infrastructure brought up by infra/ (a
 * no-op when it already runs).
 */
export async function infraEnv({ cleanTestData = false } = {}) {
  const { KAFKA_BROKERS, DATABASE_URL, REDIS_URL, MQTT_URL } = process.env;
  if (KAFKA_BROKERS && DATABASE_URL && REDIS_URL) return { KAFKA_BROKERS, DATABASE_URL, REDIS_URL, MQTT_URL: MQTT_URL || 'mqtt://127.0.0.1:1883' };
  const { ensureInfra } = await import('../../infra/lib/index.mjs');
  return ensureInfra({ cleanTestData });
}

/**
 * The outside tools the tests drive: kcat, a courier's own Kafka producer (issue #8), and promtool,
 * Prometheus's checker of /metrics (issue #9), and Chromium for the console's browser tests (issue #14).
 */
export async function ensureTestTools() {
  const { ensureChromium, ensureKcat, ensurePromtool } = await import('../../infra/lib/index.mjs');
  await ensureKcat();
  await ensurePromtool();
  // The console's browser tests drive Debian's Chromium (with a CJK font for the screenshots).
  await ensureChromium();
}

/** Runs a command to completion with inherited output; resolves its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
