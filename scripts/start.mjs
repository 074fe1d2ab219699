// `npm start`: install, bring the infrastructure up, build, then start the four services (each
// migrates its schema at start-up) and print their URLs. SIGTERM or Ctrl-C stops them cleanly.
// Each service's JSON log goes whole to `.logs/<service>.log`; a terminal shows it readable.
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
const READY_TIMEOUT_MS = 90_000;

const children = new Map();
let stopping = false;

const LOG_DIR = resolvePath(ROOT, process.env.LOG_DIR ?? '.logs');
const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * Where a service's log lines go: all of them to its file, JSON as written (for jq and grep); on a
 * terminal (or with LOG_FORMAT=pretty), those at CONSOLE_LOG_LEVEL (info) and above through
 * pino-pretty, one line each; otherwise (piped, in CI, or LOG_FORMAT=json) the JSON lines unchanged.
 */
async function logSink() {
  // Imported here, not at the top: on a fresh clone it is installed by ensureDependencies().
  const { prettyFactory } = await import('pino-pretty');
  const pretty = prettyFactory({ singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', messageFormat: '[{service}] {msg}' });
  const least = LEVELS[process.env.CONSOLE_LOG_LEVEL ?? 'info'] ?? LEVELS.info;
  const readable = process.env.LOG_FORMAT ? process.env.LOG_FORMAT === 'pretty' : Boolean(process.stdout.isTTY);
  mkdirSync(LOG_DIR, { recursive: true });
  return (service, stream) => {
    // Written synchronously, so nothing is lost when start.mjs exits right after its children.
    const file = openSync(resolvePath(LOG_DIR, `${service.name}.log`), 'a');
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => {
      writeSync(file, `${line}\n`);
      if (!readable) return void process.stdout.write(`${line}\n`);
      const level = levelOf(line);
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

function startService(service, env, sink) {
  const child = spawn(process.execPath, [`services/${service.name}/dist/main.js`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      ...env,
      PORT: String(portOf(service)),
      DB_SCHEMA: `${process.env.DB_SCHEMA_PREFIX ?? ''}${service.name}`,
    },
  });
  sink(service, child.stdout);
  // 'close', not 'exit': the last log lines are read before start.mjs exits.
  const exited = new Promise((done) => child.on('close', (code, signal) => done({ code, signal })));
  children.set(service.name, { child, exited });
  void exited.then(({ code, signal }) => {
    if (!stopping) {
      say(`${service.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the others`);
      void stop(1);
    }
  });
}

async function waitReady(service) {
  const url = `http://${process.env.HOST ?? '127.0.0.1'}:${portOf(service)}`;
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
  say('stopping services');
  for (const { child } of children.values()) child.kill('SIGTERM');
  const results = await Promise.all([...children.values()].map((c) => c.exited));
  const clean = results.every((r) => r.code === 0);
  process.exit(exitCode || (clean ? 0 : 1));
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
  for (const [i, service] of services.entries()) process.stdout.write(`ready ${service.name.padEnd(10)} ${urls[i]}\n`);
  say('all services ready; Ctrl-C stops them');
} catch (err) {
  say(`start failed: ${err.message}`);
  await stop(1);
}
