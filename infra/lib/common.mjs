// Shared helpers for the infra scripts: configuration, logging, processes, ports, locks, apt.
// Plain Node ESM, no dependencies outside Node's standard library.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const INFRA_SRC_DIR = path.join(REPO_ROOT, 'infra');

function intFromEnv(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) {
    throw new Error(`${name}=${raw} is not a valid port number`);
  }
  return value;
}

function msFromEnv(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${raw} is not a positive number of milliseconds`);
  return value;
}

/**
 * Everything the scripts need to know, derived from the environment.
 * Env overrides: KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_HEAP_OPTS, KAFKA_OPTS,
 * KAFKA_START_TIMEOUT_MS, KAFKA_STOP_TIMEOUT_MS, POSTGRES_PORT, REDIS_PORT, MQTT_PORT, INFRA_DIR.
 */
export function infraConfig(env = process.env) {
  const host = '127.0.0.1';
  const kafkaPort = intFromEnv(env, 'KAFKA_PORT', 9092);
  const controllerPort = intFromEnv(env, 'KAFKA_CONTROLLER_PORT', 9093);
  const postgresPort = intFromEnv(env, 'POSTGRES_PORT', 5432);
  const redisPort = intFromEnv(env, 'REDIS_PORT', 6379);
  const mqttPort = intFromEnv(env, 'MQTT_PORT', 1883);
  if (kafkaPort === controllerPort) throw new Error(`KAFKA_PORT and KAFKA_CONTROLLER_PORT are both ${kafkaPort}`);
  const stateDir = env.INFRA_DIR ? path.resolve(env.INFRA_DIR) : path.join(REPO_ROOT, '.infra');
  const kafkaDir = path.join(stateDir, 'kafka');
  return {
    host,
    stateDir,
    kafka: {
      host,
      port: kafkaPort,
      controllerPort,
      brokers: `${host}:${kafkaPort}`,
      heapOpts: (env.KAFKA_HEAP_OPTS ?? '-Xms256m -Xmx1g').trim(),
      extraOpts: (env.KAFKA_OPTS ?? '').trim(),
      startTimeoutMs: msFromEnv(env, 'KAFKA_START_TIMEOUT_MS', 90_000),
      stopTimeoutMs: msFromEnv(env, 'KAFKA_STOP_TIMEOUT_MS', 30_000),
      pomFile: path.join(INFRA_SRC_DIR, 'kafka', 'pom.xml'),
      log4jFile: path.join(INFRA_SRC_DIR, 'kafka', 'log4j.properties'),
      dir: kafkaDir,
      libDir: path.join(kafkaDir, 'lib'),
      dataDir: path.join(kafkaDir, 'data'),
      logsDir: path.join(kafkaDir, 'logs'),
      serverLog: path.join(kafkaDir, 'logs', 'server.log'),
      stdoutLog: path.join(kafkaDir, 'logs', 'kafka.out'),
      serverProperties: path.join(kafkaDir, 'server.properties'),
      pidFile: path.join(kafkaDir, 'kafka.pid'),
      clusterIdFile: path.join(kafkaDir, 'cluster.id'),
      lockFile: path.join(kafkaDir, '.lock'),
    },
    postgres: {
      host,
      port: postgresPort,
      url: `postgres://postgres@${host}:${postgresPort}/postgres`,
    },
    redis: {
      host,
      port: redisPort,
      url: `redis://${host}:${redisPort}`,
      dir: path.join(stateDir, 'redis'),
    },
    mosquitto: {
      host,
      port: mqttPort,
      url: `mqtt://${host}:${mqttPort}`,
      dir: path.join(stateDir, 'mosquitto'),
      confFile: path.join(stateDir, 'mosquitto', 'mosquitto.conf'),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Logging: short lines on stderr, prefixed with [infra]. A custom `log` receives whole lines.

export function defaultLog(line) {
  process.stderr.write(`${line}\n`);
}

/** Normalises the `log` option: undefined -> stderr, false/null -> silent, function -> as is. */
export function makeLogger(log) {
  const sink = log === undefined ? defaultLog : typeof log === 'function' ? log : () => {};
  const logger = (message) => {
    for (const line of String(message).split('\n')) sink(`[infra] ${line}`);
  };
  logger.sink = sink;
  return logger;
}

// ---------------------------------------------------------------------------------------------
// Small utilities

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function seconds(sinceMs) {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)} s`;
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function which(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export function tailFile(file, lines = 30) {
  try {
    const stat = fs.statSync(file);
    const length = Math.min(stat.size, 64 * 1024);
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, stat.size - length);
      return buffer.toString('utf8').split('\n').slice(-lines - 1).join('\n').trimEnd();
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/**
 * Runs a command to completion without a shell and without stdin.
 * Resolves { code, stdout, stderr }; never rejects for a non-zero exit (check `code`).
 */
export function run(command, args, { env, cwd, timeoutMs = 0, onLine } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timer;
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        stderr += `\n(timed out after ${timeoutMs} ms; killed)`;
        child.kill('SIGKILL');
      }, timeoutMs);
    }
    const collect = (which) => (chunk) => {
      const text = chunk.toString('utf8');
      if (which === 'out') stdout += text;
      else stderr += text;
      if (onLine) for (const line of text.split('\n')) if (line.trim()) onLine(line);
    };
    child.stdout.on('data', collect('out'));
    child.stderr.on('data', collect('err'));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

/** True while `pid` exists and is not a zombie. */
export function isProcessAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
  } catch {
    // no /proc (macOS) or the process just went away; kill(0) already said it exists
  }
  return true;
}

/** The command line of a process, or null when it cannot be read. */
export function processCommandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    // fall through to ps (macOS)
  }
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim() || null;
  } catch {
    return null;
  }
}

export function readPidFile(file) {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function removeFile(file) {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Ports

/** Resolves true when something accepts a TCP connection on host:port within timeoutMs. */
export function isPortOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open) => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// ---------------------------------------------------------------------------------------------
// Locks: an in-process queue plus an exclusive lock file holding the owner's pid, so that two
// processes (say a test run and `npm start`) never start or stop the broker at the same time.

const inProcessLocks = new Map();

export async function withLock(lockFile, fn, { timeoutMs = 20 * 60_000, log } = {}) {
  const previous = inProcessLocks.get(lockFile) ?? Promise.resolve();
  let release;
  const current = new Promise((resolve) => {
    release = resolve;
  });
  const chained = previous.then(() => current);
  inProcessLocks.set(lockFile, chained);
  await previous;
  try {
    await acquireLockFile(lockFile, timeoutMs, log);
    try {
      return await fn();
    } finally {
      removeFile(lockFile);
    }
  } finally {
    release();
    if (inProcessLocks.get(lockFile) === chained) inProcessLocks.delete(lockFile);
  }
}

async function acquireLockFile(lockFile, timeoutMs, log) {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = readPidFile(lockFile);
    if (holder === null || !isProcessAlive(holder)) {
      // Left behind by a process that died; take it over.
      removeFile(lockFile);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${lockFile} (held by pid ${holder})`);
    }
    if (!announced && log) {
      log(`waiting for another infra process (pid ${holder}) to finish`);
      announced = true;
    }
    await sleep(300);
  }
}

// ---------------------------------------------------------------------------------------------
// apt-get (Debian/Ubuntu, root only). `apt-get update` runs at most once per process, and
// installations are serialised because dpkg takes a global lock.

let aptUpdated = null;
let aptQueue = Promise.resolve();

export function canUseApt() {
  return isRoot() && which('apt-get') !== null;
}

export function aptInstall(packages, log) {
  const task = aptQueue.then(async () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' };
    if (!aptUpdated) {
      aptUpdated = (async () => {
        log('apt-get update');
        const result = await run('apt-get', ['-q', 'update'], { env, timeoutMs: 10 * 60_000 });
        if (result.code !== 0) {
          aptUpdated = null;
          throw new Error(`apt-get update failed (exit ${result.code}):\n${(result.stderr || result.stdout).trim().slice(-2000)}`);
        }
      })();
    }
    await aptUpdated;
    const started = Date.now();
    log(`apt-get install -y ${packages.join(' ')}`);
    const result = await run(
      'apt-get',
      ['-q', '-y', '--no-install-recommends', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', 'install', ...packages],
      { env, timeoutMs: 20 * 60_000 },
    );
    if (result.code !== 0) {
      throw new Error(`apt-get install ${packages.join(' ')} failed (exit ${result.code}):\n${(result.stderr || result.stdout).trim().slice(-2000)}`);
    }
    log(`installed ${packages.join(' ')} in ${seconds(started)}`);
  });
  aptQueue = task.catch(() => {});
  return task;
}

// ---------------------------------------------------------------------------------------------
// Dependencies installed by `npm ci` at the repo root (kafkajs, pg). Loaded lazily so that a
// missing node_modules gives one clear message instead of a stack trace.

const loadedModules = new Map();

export function importDependency(name) {
  if (!loadedModules.has(name)) {
    loadedModules.set(
      name,
      import(name).catch((error) => {
        loadedModules.delete(name);
        if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
          throw new Error(`cannot load the npm package "${name}": run "npm ci" at the repository root first`);
        }
        throw error;
      }),
    );
  }
  return loadedModules.get(name);
}
