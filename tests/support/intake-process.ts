import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { waitFor, type Isolation } from './harness.js';
import { freePort, root } from './stack.js';

export interface IntakeProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
  output: () => string;
}

/**
 * `node services/intake/dist/main.js` on a free port, on the suite's schema, topics and groups, as
 * `npm start` runs it; resolves once it is ready. `brokers` overrides the shared broker.
 */
export async function startIntake(iso: Isolation, { brokers }: { brokers?: string } = {}): Promise<IntakeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['services/intake/dist/main.js'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...inject('infra'),
      ...(brokers ? { KAFKA_BROKERS: brokers } : {}),
      PORT: String(port),
      DB_SCHEMA: iso.schema,
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
  const intake = { child, url: `http://127.0.0.1:${port}`, exited, output: () => output };
  const ready = waitFor(async () => ((await fetch(`${intake.url}/health/ready`)).ok ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
  const died = exited.then((code) => {
    throw new Error(`intake exited (${code}) before it was ready:\n${output}`);
  });
  // Whichever settles first; the loser must not surface later as an unhandled rejection.
  died.catch(() => undefined);
  await Promise.race([ready, died]);
  return intake;
}

/** Kills an intake process still running (a test that failed midway) and waits for it. */
export async function killIntake(intake: IntakeProcess | undefined): Promise<void> {
  if (!intake) return;
  if (intake.child.exitCode === null && intake.child.signalCode === null) intake.child.kill('SIGKILL');
  await intake.exited;
}
