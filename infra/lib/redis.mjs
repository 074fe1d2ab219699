// Local Redis: use it where it answers PING on 127.0.0.1:6379; otherwise start redis-server
// (installing redis-server with apt-get first when root and it is missing).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { aptInstall, canUseApt, infraConfig, makeLogger, run, seconds, sleep, which } from './common.mjs';

/**
 * Sends PING over a raw socket (no client library, no reconnect loops).
 * Resolves { ok: true } on +PONG, otherwise { ok: false, reason, refused?, reply? }. Never rejects.
 */
export function pingRedis({ host = '127.0.0.1', port = infraConfig().redis.port, timeoutMs = 2000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let reply = '';
    let settled = false;
    const done = (result) => {
      if (settled) return;
      settled = true;
      socket.removeAllListeners();
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, reason: reply ? `unexpected reply ${JSON.stringify(reply)}` : 'no reply to PING' }));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (!reply.includes('\r\n')) return;
      const line = reply.split('\r\n')[0];
      if (line === '+PONG') done({ ok: true });
      else done({ ok: false, reason: `replied ${JSON.stringify(line)}`, reply: line });
    });
    socket.once('error', (error) =>
      done({ ok: false, reason: error.code === 'ECONNREFUSED' ? 'connection refused' : error.message, refused: error.code === 'ECONNREFUSED' }),
    );
    socket.once('end', () => done({ ok: false, reason: reply ? `unexpected reply ${JSON.stringify(reply)}` : 'connection closed' }));
  });
}

function startArgs(config) {
  const { port, host, dir } = config.redis;
  return [
    '--daemonize', 'yes',
    '--bind', host,
    '--port', String(port),
    '--save', '',
    '--appendonly', 'no',
    '--dir', dir,
    '--logfile', path.join(dir, 'redis.log'),
  ];
}

function manualCommand(config) {
  const { port, host } = config.redis;
  return `redis-server --daemonize yes --bind ${host} --port ${port} --save "" --appendonly no`;
}

/**
 * Makes sure Redis answers PING at 127.0.0.1:6379. Starts redis-server (daemonized, no
 * persistence) when it is installed; as root installs redis-server with apt-get first. Otherwise
 * throws an error that says how to start it. Resolves the REDIS_URL.
 */
export async function ensureRedis({ log: logOption } = {}) {
  const log = makeLogger(logOption);
  const config = infraConfig();
  const { url, host, port, dir } = config.redis;
  const started = Date.now();
  const first = await pingRedis({ host, port });
  if (first.ok) {
    log(`redis: up at ${host}:${port}`);
    return url;
  }
  if (!first.refused) {
    throw new Error(
      `something listens on ${host}:${port} but does not answer PING like a password-less Redis (${first.reason}). ` +
        `REDIS_URL is ${url}: free the port or allow password-less access.`,
    );
  }
  log(`redis: not answering on ${host}:${port}`);
  let server = which('redis-server');
  if (!server) {
    if (!canUseApt()) {
      throw new Error(
        `Redis is not running on ${host}:${port} and redis-server is not installed. ` +
          `Install and start it: sudo apt-get install -y redis-server && ${manualCommand(config)}`,
      );
    }
    await aptInstall(['redis-server'], log);
    server = which('redis-server') ?? (fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null);
    if (!server) throw new Error('redis-server was installed but is not on PATH');
    // The package may have started its own service already.
    if ((await pingRedis({ host, port })).ok) {
      log(`redis: up at ${host}:${port} (${seconds(started)})`);
      return url;
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  log(`redis: starting ${server} (log ${path.join(dir, 'redis.log')})`);
  const result = await run(server, startArgs(config), { timeoutMs: 30_000 });
  if (result.code !== 0) {
    throw new Error(
      `redis-server failed to start (exit ${result.code}): ${`${result.stdout}\n${result.stderr}`.trim()}\n` +
        `Start it yourself: ${manualCommand(config)}`,
    );
  }
  const deadline = Date.now() + 15_000;
  let last;
  while (Date.now() < deadline) {
    last = await pingRedis({ host, port });
    if (last.ok) {
      log(`redis: up at ${host}:${port} (${seconds(started)})`);
      return url;
    }
    await sleep(200);
  }
  throw new Error(`redis-server did not answer PING within 15 s (${last?.reason}); see ${path.join(dir, 'redis.log')}`);
}

/** Describes Redis without changing anything: { url, up, error? }. */
export async function redisStatus() {
  const { url, host, port } = infraConfig().redis;
  const ping = await pingRedis({ host, port });
  return { url, up: ping.ok, error: ping.ok ? undefined : ping.reason };
}
