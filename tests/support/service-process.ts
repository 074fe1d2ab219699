import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { waitFor, type Isolation } from './harness.js';
import { freePort, root, type ServiceName } from './stack.js';

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
  output: () => string;
}

export type IntakeProcess = ServiceProcess;

/**
 * `node services/<service>/dist/main.js` on a free port, on the suite's topics and groups and the
 * suite's schema (or `schema`), as `npm start` runs it; resolves once it is ready. `brokers`
 * overrides the shared broker.
 */
export async function startServiceProcess(
  service: ServiceName,
  iso: Isolation,
  { brokers, schema = iso.schema }: { brokers?: string; schema?: string } = {},
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [`services/${service}/dist/main.js`], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...inject('infra'),
      ...(brokers ? { KAFKA_BROKERS: brokers } : {}),
      PORT: String(port),
      DB_SCHEMA: schema,
      TOPIC_PREFIX: iso.topicPrefix,
      GROUP_PREFIX: iso.groupPrefix,
      // A killed process's consumers leave their groups after this, so the next one takes over.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_TOPIC_PARTITIONS: '3',
      LOG_LEVEL: 'warn',
    },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const started = { child, url: `http://127.0.0.1:${port}`, exited, output: () => output };
  const ready = waitFor(async () => ((await fetch(`${started.url}/health/ready`)).ok ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
  const died = exited.then((code) => {
    throw new Error(`${service} exited (${code}) before it was ready:\n${output}`);
  });
  // Whichever settles first; the loser must not surface later as an unhandled rejection.
  died.catch(() => undefined);
  await Promise.race([ready, died]);
  return started;
}

/** Intake, as the crash tests start it. */
export function startIntake(iso: Isolation, options: { brokers?: string } = {}): Promise<IntakeProcess> {
  return startServiceProcess('intake', iso, options);
}

/** Kills a service process still running (a test that failed midway) and waits for it. */
export async function killService(service: ServiceProcess | undefined): Promise<void> {
  if (!service) return;
  if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
  await service.exited;
}
