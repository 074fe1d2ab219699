// A Kafka broker of one suite's own, for tests that kill the broker: the shared one on the default
// port serves every other suite. Started with the project's infra scripts (infra/README.md) in a
// child process, on free ports and in a temporary INFRA_DIR, so a restart reuses its storage.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { waitFor } from './harness.js';
import { freePort, root } from './stack.js';

export interface PrivateBroker {
  brokers: string;
  /** SIGKILL: no shutdown, no flush — as when the machine running it dies. */
  kill(): Promise<void>;
  /** Starts it again on the same ports and storage (after a SIGKILL this takes ~15 s). */
  restart(): Promise<void>;
  /** Kills it (its data is thrown away) and removes its directory. */
  remove(): Promise<void>;
}

export async function startPrivateBroker(): Promise<PrivateBroker> {
  const dir = mkdtempSync(path.join(tmpdir(), 'county-broker-'));
  const kafkaDir = path.join(dir, 'kafka');
  mkdirSync(kafkaDir);
  // The jars already fetched for the shared broker are the same; the infra code only checks they are there.
  const sharedJars = path.join(root, '.infra', 'kafka', 'lib');
  if (existsSync(sharedJars)) symlinkSync(sharedJars, path.join(kafkaDir, 'lib'));
  const kafkaPort = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === kafkaPort) controllerPort = await freePort();
  const env = {
    ...process.env,
    INFRA_DIR: dir,
    KAFKA_PORT: String(kafkaPort),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx512m',
  };
  const serverProperties = path.join(kafkaDir, 'server.properties');

  /** The broker's pid from our own pid file, only while that process is the broker of our config. */
  const runningPid = (): number | undefined => {
    try {
      const pid = Number(readFileSync(path.join(kafkaDir, 'kafka.pid'), 'utf8').trim());
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(serverProperties) ? pid : undefined;
    } catch {
      return undefined;
    }
  };

  /** Resolves ensureKafka's log once the broker answers. */
  const ensure = () =>
    new Promise<string>((resolve, reject) => {
      const script = `import { ensureKafka } from ${JSON.stringify(pathToFileURL(path.join(root, 'infra/lib/kafka.mjs')).href)};
await ensureKafka();`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let log = '';
      child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(log) : reject(new Error(`private broker did not start (exit ${code}):\n${log}`))));
    });

  const kill = async (): Promise<boolean> => {
    const pid = runningPid();
    if (pid === undefined) return false;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => (runningPid() === undefined ? true : undefined), { timeoutMs: 10_000, intervalMs: 50 });
    return true;
  };

  try {
    await ensure();
  } catch (err) {
    await kill();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    brokers: `127.0.0.1:${kafkaPort}`,
    kill: async () => {
      if (!(await kill())) throw new Error(`the private broker (${serverProperties}) is not running`);
    },
    restart: async () => {
      // ensureKafka wipes storage a broker died on while starting; the events on it would be gone.
      const log = await ensure();
      if (!log.includes('reusing storage') || log.includes('wiping')) throw new Error(`the private broker did not restart on its storage:\n${log}`);
    },
    remove: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
