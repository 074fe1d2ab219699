// `npm start`: install, bring the infrastructure up, build, then start the four services (each
// migrates its schema at start-up), then the console in front of them (issue #14), and print their URLs,
// the console's first. SIGTERM or Ctrl-C stops them cleanly.
// Each service's JSON log goes whole to `.logs/<service>.log`; a terminal shows it readable.
//
// Then the demo (issue #13; DEMO=off skips it): when intake does not hold the demo county, the services are
// restarted on an accelerated clock at yesterday's 00:00 in the county, the county is seeded, an admin key is
// created (printed once, saved to .demo/admin-key) and the simulator drives the day through the services, a line
// per simulated hour; then they are restarted in real time. The bureau's summary of the day follows, with the
// account of every parcel across the four services. `npm run demo:once` (`--once`) does the same, prints the
// figures as bench lines too, and stops what it started. The steps are TypeScript: demo/run.ts.
// After the summary (not with --once), the demo county's gateways go on reporting over MQTT, a reading per sensor
// every 30 s, until the services stop (DEMO_GATEWAYS=off leaves them out): demo/simulator/gateways.ts.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { build, ensureDependencies, infraEnv, ROOT, say } from './lib/bootstrap.mjs';

const services = [
  { name: 'intake', port: 3001 },
  { name: 'dispatch', port: 3002 },
  { name: 'coldchain', port: 3003 },
  { name: 'sla', port: 3004 },
];
/** The console (services/console): the web app and one origin for the four, started once they are ready. */
const consoleService = { name: 'console', port: 3000 };
const READY_TIMEOUT_MS = 90_000;
const ONCE = process.argv.includes('--once');
const DEMO = ONCE || (process.env.DEMO ?? 'on') !== 'off';
const GATEWAYS = !ONCE && (process.env.DEMO_GATEWAYS ?? 'on') !== 'off';

const children = new Map();
let stopping = false;
/** The demo county's gateways once they run (demo/run.ts keepGateways): stopped before the services. */
let gateways;

const LOG_DIR = resolvePath(ROOT, process.env.LOG_DIR ?? '.logs');
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * Where a service's log lines go: all of them to its file, JSON as written (for jq and grep); on a
 * terminal (or with LOG_FORMAT=pretty), those at CONSOLE_LOG_LEVEL (info; warn with the demo, whose
 * simulated day would flood the console with request lines) and above through pino-pretty, one line
 * each; otherwise (piped, in CI, or LOG_FORMAT=json) the JSON lines unchanged — with the demo, those at
 * CONSOLE_LOG_LEVEL and above only.
 */
async function logSink() {
  // Imported here, not at the top: on a fresh clone it is installed by ensureDependencies().
  const { prettyFactory } = await import('pino-pretty');
  const pretty = prettyFactory({ singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', messageFormat: '[{service}] {msg}' });
  const least = LEVELS[process.env.CONSOLE_LOG_LEVEL ?? (DEMO ? 'warn' : 'info')] ?? LEVELS.info;
  const readable = process.env.LOG_FORMAT ? process.env.LOG_FORMAT === 'pretty' : Boolean(process.stdout.isTTY);
  mkdirSync(LOG_DIR, { recursive: true });
  return (service, stream) => {
    // Written synchronously, so nothing is lost when start.mjs exits right after its children.
    const file = openSync(resolvePath(LOG_DIR, `${service.name}.log`), 'a');
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => {
      writeSync(file, `${line}\n`);
      const level = levelOf(line);
      if (!readable) return void (!DEMO || level === undefined || level >= least ? process.stdout.write(`${line}\n`) : undefined);
      if (level === undefined || level >= least) process.stdout.write(level === undefined ? `${line}\n` : pretty(line));
    });
    lines.on('close', () => closeSync(file));
  };
}

/** The pino level of a JSON log line; undefined for anything else (a stack trace, a panic). */
function levelOf(line) {
  try {
    const level = JSON.parse(line).level;
    return typeof level === 'number' ? level : LEVELS[level];
  } catch {
    return undefined;
  }
}

function portOf(service) {
  return Number(process.env[`${service.name.toUpperCase()}_PORT`] ?? service.port);
}

function urlOf(service) {
  return `http://${process.env.HOST ?? '127.0.0.1'}:${portOf(service)}`;
}

/** The console's own settings: where the four services and its public trace pages are. */
function consoleEnv() {
  const upstreams = Object.fromEntries(services.map((service) => [`${service.name.toUpperCase()}_URL`, urlOf(service)]));
  return { ...upstreams, PUBLIC_URL: process.env.PUBLIC_URL ?? urlOf(consoleService) };
}

function startService(service, env, sink) {
  const child = spawn(process.execPath, [`services/${service.name}/dist/main.js`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      ...env,
      ...(service === consoleService ? consoleEnv() : {}),
      PORT: String(portOf(service)),
      DB_SCHEMA: `${process.env.DB_SCHEMA_PREFIX ?? ''}${service.name}`,
    },
  });
  sink(service, child.stdout);
  // 'close', not 'exit': the last log lines are read before start.mjs exits.
  const exited = new Promise((done) => child.on('close', (code, signal) => done({ code, signal })));
  const entry = { child, exited, restarting: false };
  children.set(service.name, entry);
  void exited.then(({ code, signal }) => {
    if (!stopping && !entry.restarting) {
      say(`${service.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the others`);
      void stop(1);
    }
  });
}

async function waitReady(service) {
  const url = urlOf(service);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) });
      if (res.ok) return url;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} not ready at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  if (gateways) await gateways.stop().catch((err) => say(`the gateways did not stop cleanly: ${err.message}`));
  say('stopping services');
  for (const { child } of children.values()) child.kill('SIGTERM');
  const results = await Promise.all([...children.values()].map((c) => c.exited));
  const clean = results.every((r) => r.code === 0);
  process.exit(exitCode || (clean ? 0 : 1));
}

/**
 * Stops the four services and starts them again with `extraEnv` (the demo's clock, or none: real time). The
 * console stays up: its proxy answers 503 for a service meanwhile, as for any service away.
 */
async function restart(env, extraEnv, sink) {
  const restarted = services.map((service) => children.get(service.name));
  for (const entry of restarted) {
    entry.restarting = true;
    entry.child.kill('SIGTERM');
  }
  await Promise.all(restarted.map((c) => c.exited));
  if (stopping) throw new Error('stopped');
  for (const service of services) startService(service, { ...env, ...extraEnv }, sink);
  return Object.fromEntries(await Promise.all(services.map(async (service) => [service.name, await waitReady(service)])));
}

/** The demo (demo/run.ts): seed and simulate the county's day when intake does not hold it, then its summary. */
async function demo(env, sink, urls, consoleUrl) {
  const { tsImport } = await import('tsx/esm/api');
  const run = await tsImport('../demo/run.ts', import.meta.url);
  if (await run.countyPresent(urls.intake)) {
    say(`the demo county is there (key in ${run.KEY_FILE}): its data is kept, its day is not run again`);
  } else {
    const plan = run.planDay(new Date(), Number(process.env.DEMO_CLOCK_RATE ?? 240), Number(process.env.DEMO_LEAD_SECONDS ?? 60));
    const clock = run.clockEnv(plan);
    say(`the demo county is not there: simulating its day ${plan.day} on a clock ${plan.clock.rate} times real time (CLOCK_START ${clock.CLOCK_START})`);
    urls = await restart(env, clock, sink);
    const key = await run.createAdminKey({ ...process.env, ...env, ...clock, DB_SCHEMA: `${process.env.DB_SCHEMA_PREFIX ?? ''}intake`, LOG_LEVEL: 'warn' });
    process.stdout.write(`\nThe demo county's admin key (shown once; saved to ${run.KEY_FILE}):\n  ${key}\n\n`);
    await run.keyKnown(urls, key);
    const scale = process.env.DEMO_SCALE === undefined ? undefined : Number(process.env.DEMO_SCALE);
    await run.runDay({ urls, env: { ...process.env, ...env }, plan, adminKey: key, scale, onHour: (line) => process.stdout.write(`${line}\n`) });
    say('the day is done; restarting the services in real time');
    urls = await restart(env, {}, sink);
  }
  const key = run.savedKey();
  const day = run.savedDay();
  if (!key || !day) {
    say(`no finished day to summarise (${run.DAY_FILE} is missing): delete ${run.KEY_FILE} and the services' schemas to seed afresh`);
    return;
  }
  try {
    // demo.seconds: the whole command, install and build included.
    const report = await run.report({ ...urls, console: consoleUrl }, key, day.day, process.uptime());
    process.stdout.write(`\n${report.text}\n`);
    if (ONCE) process.stdout.write(report.bench);
  } finally {
    // The county goes on, its summary printed or not.
    if (GATEWAYS && !stopping) await keepReporting(run, env, urls, key, day);
  }
}

/** The demo county's gateways after its day (demo/simulator/gateways.ts), until the services stop. */
async function keepReporting(run, env, urls, key, day) {
  let failed = false;
  const started = await run.keepGateways({
    coldchainUrl: urls.coldchain,
    env: { ...process.env, ...env },
    adminKey: key,
    // One line for the first failed publish (the broker away), not one a tick.
    onError: (err) => void (failed ? undefined : ((failed = true), say(`a gateway's reading was not published (${err.message}); they keep trying`))),
  });
  if (stopping) return void (await started.stop());
  gateways = started;
  const sensors = started.gateways.reduce((n, g) => n + g.sensors.length, 0);
  const silent = day.injected?.silentSensor?.containerId;
  say(
    `the county's gateways keep reporting: ${sensors} sensors in ${started.gateways.length} containers, a reading each every 30 s over MQTT` +
      `${silent ? ` (${silent} stays silent)` : ''}; DEMO_GATEWAYS=off leaves them out`,
  );
}

process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));

try {
  ensureDependencies();
  const env = await infraEnv();
  build();
  const sink = await logSink();
  for (const service of services) startService(service, env, sink);
  say(`full JSON logs: ${LOG_DIR}/<service>.log`);
  const urls = await Promise.all(services.map(waitReady));
  startService(consoleService, env, sink);
  const consoleUrl = await waitReady(consoleService);
  process.stdout.write(`console: ${consoleUrl}\n`);
  const ready = [[consoleService, consoleUrl], ...services.map((service, i) => [service, urls[i]])];
  for (const [service, url] of ready) process.stdout.write(`ready ${service.name.padEnd(10)} ${url}\n`);
  if (DEMO) {
    try {
      await demo(env, sink, Object.fromEntries(services.map((service, i) => [service.name, urls[i]])), consoleUrl);
    } catch (err) {
      // The services stay up for `npm start`: the demo is a bonus, not what they need to run.
      say(`the demo failed: ${err.stack ?? err.message}`);
      if (ONCE) await stop(1);
    }
  }
  if (ONCE) await stop(0);
  else say('all services ready; Ctrl-C stops them');
} catch (err) {
  say(`start failed: ${err.message}`);
  await stop(1);
}
