// Local MQTT broker (Mosquitto) for coldchain's gateways: use it where it answers on 127.0.0.1:1883; otherwise
// start mosquitto with a generated config in .infra/mosquitto/ (installing the Debian package first when root and
// it is missing). Same shape as redis.mjs.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { aptInstall, canUseApt, infraConfig, makeLogger, run, seconds, sleep, which } from './common.mjs';

/** MQTT 3.1.1 CONNECT (clean session, keep-alive 10 s) with a throwaway client id. */
function connectPacket() {
  const clientId = Buffer.from(`infra-probe-${process.pid}-${Date.now() % 100000}`);
  const variable = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x0a]);
  const payload = Buffer.concat([Buffer.from([clientId.length >> 8, clientId.length & 0xff]), clientId]);
  const remaining = variable.length + payload.length;
  return Buffer.concat([Buffer.from([0x10, remaining]), variable, payload]);
}

const CONNACK_REASONS = {
  1: 'unacceptable protocol version',
  2: 'client id rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorised (anonymous access is off)',
};

/**
 * Sends an MQTT CONNECT over a raw socket (no client library) and then DISCONNECT.
 * Resolves { ok: true } on a CONNACK accepting it, otherwise { ok: false, reason, refused? }. Never rejects.
 */
export function probeMqtt({ host = '127.0.0.1', port = infraConfig().mosquitto.port, timeoutMs = 2000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let reply = Buffer.alloc(0);
    let settled = false;
    const done = (result) => {
      if (settled) return;
      settled = true;
      socket.removeAllListeners();
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, reason: 'no CONNACK' }));
    socket.once('connect', () => socket.write(connectPacket()));
    socket.on('data', (chunk) => {
      reply = Buffer.concat([reply, chunk]);
      if (reply.length < 4) return;
      if (reply[0] !== 0x20) return done({ ok: false, reason: `not an MQTT broker (first byte 0x${reply[0].toString(16)})` });
      if (reply[3] !== 0) return done({ ok: false, reason: `CONNACK refused: ${CONNACK_REASONS[reply[3]] ?? `code ${reply[3]}`}` });
      socket.write(Buffer.from([0xe0, 0x00]));
      done({ ok: true });
    });
    socket.once('error', (error) =>
      done({ ok: false, reason: error.code === 'ECONNREFUSED' ? 'connection refused' : error.message, refused: error.code === 'ECONNREFUSED' }),
    );
    socket.once('end', () => done({ ok: false, reason: 'connection closed' }));
  });
}

/**
 * The broker's config: 127.0.0.1 only, anonymous (a local broker; production uses a password file and an ACL per
 * county prefix, coldchain README "Readings in"), persistent sessions kept on disk so a restarted coldchain
 * resumes its session, and room to queue a county's readings while coldchain is away.
 */
export function mosquittoConf(config = infraConfig()) {
  const { host, port, dir } = config.mosquitto;
  return [
    '# Written by infra/lib/mosquitto.mjs; rewritten on each start.',
    `listener ${port} ${host}`,
    'allow_anonymous true',
    // As root, mosquitto would switch to the mosquitto user, who cannot write this directory.
    'user root',
    'persistence true',
    `persistence_location ${path.join(dir, 'data')}/`,
    'autosave_interval 30',
    `log_dest file ${path.join(dir, 'mosquitto.log')}`,
    `pid_file ${path.join(dir, 'mosquitto.pid')}`,
    // 100 containers × 2 readings a minute: a day of messages queued for a session that is away.
    'max_queued_messages 300000',
    'max_inflight_messages 100',
    'persistent_client_expiration 14d',
    '',
  ].join('\n');
}

function manualCommand(config) {
  return `mosquitto -d -c ${config.mosquitto.confFile}   (after: node infra/up.mjs writes that file; or mosquitto -d -p ${config.mosquitto.port})`;
}

function mosquittoBinary() {
  return which('mosquitto') ?? ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => fs.existsSync(p)) ?? null;
}

/**
 * Makes sure an MQTT broker accepts an anonymous CONNECT at 127.0.0.1:1883. Starts mosquitto (daemonized, with
 * the config above) when it is installed; as root installs the Debian package first. Otherwise throws an error that
 * says how to start it. Resolves the MQTT_URL.
 */
export async function ensureMosquitto({ log: logOption } = {}) {
  const log = makeLogger(logOption);
  const config = infraConfig();
  const { url, host, port, dir, confFile } = config.mosquitto;
  const started = Date.now();
  const first = await probeMqtt({ host, port });
  if (first.ok) {
    log(`mosquitto: up at ${host}:${port}`);
    return url;
  }
  if (!first.refused) {
    throw new Error(`something listens on ${host}:${port} but does not accept an anonymous MQTT CONNECT (${first.reason}). MQTT_URL is ${url}: free the port or allow anonymous access locally.`);
  }
  log(`mosquitto: not answering on ${host}:${port}`);
  let server = mosquittoBinary();
  if (!server) {
    if (!canUseApt()) {
      throw new Error(`Mosquitto is not running on ${host}:${port} and is not installed. Install and start it: sudo apt-get install -y mosquitto && ${manualCommand(config)}`);
    }
    await aptInstall(['mosquitto'], log);
    server = mosquittoBinary();
    if (!server) throw new Error('mosquitto was installed but is not found in /usr/sbin');
    // The package may have started its own service already.
    if ((await probeMqtt({ host, port })).ok) {
      log(`mosquitto: up at ${host}:${port} (${seconds(started)})`);
      return url;
    }
  }
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(confFile, mosquittoConf(config));
  log(`mosquitto: starting ${server} -c ${confFile} (log ${path.join(dir, 'mosquitto.log')})`);
  const result = await run(server, ['-d', '-c', confFile], { timeoutMs: 30_000 });
  if (result.code !== 0) {
    throw new Error(`mosquitto failed to start (exit ${result.code}): ${`${result.stdout}\n${result.stderr}`.trim()}\nStart it yourself: ${manualCommand(config)}`);
  }
  const deadline = Date.now() + 15_000;
  let last;
  while (Date.now() < deadline) {
    last = await probeMqtt({ host, port });
    if (last.ok) {
      log(`mosquitto: up at ${host}:${port} (${seconds(started)})`);
      return url;
    }
    await sleep(200);
  }
  throw new Error(`mosquitto did not accept an MQTT CONNECT within 15 s (${last?.reason}); see ${path.join(dir, 'mosquitto.log')}`);
}

/** Describes the MQTT broker without changing anything: { url, up, error? }. */
export async function mosquittoStatus() {
  const { url, host, port } = infraConfig().mosquitto;
  const probe = await probeMqtt({ host, port });
  return { url, up: probe.ok, error: probe.ok ? undefined : probe.reason };
}
