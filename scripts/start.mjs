// `npm start`: install, bring the infrastructure up, build, then start the four services (each
// migrates its schema at start-up) and print their URLs. SIGTERM or Ctrl-C stops them cleanly.
import { spawn } from 'node:child_process';
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

function portOf(service) {
  return Number(process.env[`${service.name.toUpperCase()}_PORT`] ?? service.port);
}

function startService(service, env) {
  const child = spawn(process.execPath, [`services/${service.name}/dist/main.js`], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      ...env,
      PORT: String(portOf(service)),
      DB_SCHEMA: `${process.env.DB_SCHEMA_PREFIX ?? ''}${service.name}`,
    },
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
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
  for (const service of services) startService(service, env);
  const urls = await Promise.all(services.map(waitReady));
  for (const [i, service] of services.entries()) process.stdout.write(`ready ${service.name.padEnd(10)} ${urls[i]}\n`);
  say('all services ready; Ctrl-C stops them');
} catch (err) {
  say(`start failed: ${err.message}`);
  await stop(1);
}
