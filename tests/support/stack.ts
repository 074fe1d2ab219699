import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { isolation, type Isolation } from './harness.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const services = ['intake', 'dispatch', 'coldchain', 'sla'] as const;
export type ServiceName = (typeof services)[number];
/** What `npm start` starts: the four services, then the console in front of them (services/console). */
export type StackProcess = ServiceName | 'console';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Stack {
  iso: Isolation;
  child: ChildProcess;
  /** Each service's URL, and the console's (`urls.console`: the web app and one origin for the four). */
  urls: Record<StackProcess, string>;
  ports: Record<string, string>;
  /** The environment the services run with (for commands that act on the same schemas and topics). */
  env: NodeJS.ProcessEnv;
  /** Where `npm start` writes each service's JSON log (`<service>.log`): the stack's own folder. */
  logDir: string;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * Starts the four services and the console as `npm start` does (without its demo), on free ports, isolated;
 * resolves when all are ready.
 */
export async function startStack(extraEnv: Record<string, string> = {}): Promise<Stack> {
  const iso = isolation();
  const started: StackProcess[] = [...services, 'console'];
  const ports = Object.fromEntries(await Promise.all(started.map(async (s) => [`${s.toUpperCase()}_PORT`, String(await freePort())])));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...inject('infra'),
    DB_SCHEMA_PREFIX: `${iso.schema}_`,
    TOPIC_PREFIX: iso.topicPrefix,
    GROUP_PREFIX: iso.groupPrefix,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    LOG_LEVEL: 'warn',
    LOG_DIR: mkdtempSync(join(tmpdir(), `county-logs-${iso.id}-`)),
    // The four services only: no demo county, no simulated day (tests/county-day.e2e.test.ts runs its own).
    DEMO: 'off',
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...ports } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const urls = await new Promise<Record<StackProcess, string>>((resolve, reject) => {
    const found: Record<string, string> = {};
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const match of chunk.toString().matchAll(/^ready (\w+)\s+(http:\/\/\S+)$/gm)) found[match[1]!] = match[2]!;
      if (started.every((name) => found[name])) resolve(found as Record<StackProcess, string>);
    });
    void exited.then((code) => reject(new Error(`npm start exited with ${code} before all were ready:\n${output}`)));
  });
  return { iso, child, urls, ports, env, logDir: env.LOG_DIR!, exited, output: () => output };
}

/** The environment of one service of a stack: its schema, the stack's topics and groups. */
export function serviceEnv(stack: Stack, service: ServiceName): NodeJS.ProcessEnv {
  return { ...stack.env, DB_SCHEMA: `${stack.iso.schema}_${service}` };
}
