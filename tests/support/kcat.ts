// kcat publishes as a courier's own Kafka client would: librdkafka, not this project's kafkajs, so a
// codec or framing kafkajs cannot read shows up here (issue #8). `npm test` installs it
// (infra/lib/tools.mjs); a bare `npx vitest` run needs it on PATH.
import { spawn, spawnSync } from 'node:child_process';

export type KcatCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface KcatMessage {
  key?: string;
  value: string;
}

let found: string | undefined;

/** The kcat binary, or an error that says how to get it. */
export function kcatPath(): string {
  if (found) return found;
  const which = spawnSync('sh', ['-c', 'command -v kcat'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  if (which.status !== 0 || !path) {
    throw new Error('kcat is not on PATH: `npm test` installs it as root; otherwise run `apt-get install -y kcat` (Debian package kcat)');
  }
  found = path;
  return path;
}

// Compact JSON never holds a raw tab or newline, so they can split keys, values and messages.
const KEY_DELIMITER = '\t';

/**
 * Produces `messages` to `topic` in one kcat run (librdkafka batches them, compressed with `codec`)
 * and resolves once every one is acknowledged by all in-sync replicas.
 */
export async function kcatProduce({ brokers, topic, codec, messages }: { brokers: string; topic: string; codec: KcatCodec; messages: KcatMessage[] }): Promise<void> {
  for (const m of messages) {
    if (/[\t\n]/.test(m.value) || (m.key !== undefined && /[\t\n]/.test(m.key))) throw new Error('kcat messages must not contain tabs or newlines');
  }
  const keyed = messages.some((m) => m.key !== undefined);
  const args = ['-P', '-b', brokers, '-t', topic, '-z', codec, '-X', 'acks=all', ...(keyed ? ['-K', KEY_DELIMITER] : [])];
  const input = messages.map((m) => (keyed ? `${m.key ?? ''}${KEY_DELIMITER}${m.value}` : m.value)).join('\n');
  const child = spawn(kcatPath(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  child.stdin.end(`${input}\n`);
  const code = await exited;
  if (code !== 0 || /% ERROR/.test(stderr)) throw new Error(`kcat ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`);
}

/** Reads `topic` from the beginning to its current end, as kcat's librdkafka decodes it. */
export async function kcatConsume({ brokers, topic }: { brokers: string; topic: string }): Promise<KcatMessage[]> {
  const args = ['-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', `%k${KEY_DELIMITER}%s\\n`];
  const child = spawn(kcatPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Decoded once at the end: a chunk may end inside a multi-byte character.
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exit) => resolve(exit));
  });
  if (code !== 0) throw new Error(`kcat ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`);
  return Buffer.concat(stdout)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const at = line.indexOf(KEY_DELIMITER);
      return { key: line.slice(0, at), value: line.slice(at + 1) };
    });
}
