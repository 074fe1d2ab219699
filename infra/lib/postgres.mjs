// Local PostgreSQL: use it where it answers on 127.0.0.1:5432; otherwise start (or, as root,
// install from Debian's packages and start) the Debian cluster, with trust auth for 127.0.0.1.
import fs from 'node:fs';
import path from 'node:path';

import { aptInstall, canUseApt, importDependency, infraConfig, isRoot, makeLogger, run, seconds, sleep } from './common.mjs';

const AUTH_ERROR_CODES = new Set(['28P01', '28000']);
const HBA_MARKER = '# county-logistics infra: password-less access from this machine (infra/lib/postgres.mjs)';

async function pgModule() {
  const mod = await importDependency('pg');
  return mod.default ?? mod;
}

/**
 * Connects once and runs SELECT 1. Resolves { ok: true, version } or { ok: false, error, code,
 * auth: boolean, refused: boolean }. Never rejects.
 */
export async function checkPostgres({ databaseUrl = infraConfig().postgres.url, timeoutMs = 3000 } = {}) {
  const pg = await pgModule();
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    return { ok: true, version: rows[0]?.server_version };
  } catch (error) {
    return {
      ok: false,
      error,
      code: error.code,
      // The server asked for a password: 28P01/28000 from the server, or (SCRAM/md5 without a
      // password) an error raised by the client before it sends anything.
      auth: AUTH_ERROR_CODES.has(error.code) || /password must be a string|SASL|password authentication failed/i.test(error.message ?? ''),
      refused: error.code === 'ECONNREFUSED',
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Debian clusters from /etc/postgresql/<version>/<name>, newest first: [{ version, name, port, dir }]. */
function debianClusters() {
  const root = '/etc/postgresql';
  const clusters = [];
  let versions = [];
  try {
    versions = fs.readdirSync(root);
  } catch {
    return clusters;
  }
  for (const version of versions) {
    let names = [];
    try {
      names = fs.readdirSync(path.join(root, version));
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = path.join(root, version, name);
      const confFile = path.join(dir, 'postgresql.conf');
      if (!fs.existsSync(confFile)) continue;
      const match = fs.readFileSync(confFile, 'utf8').match(/^\s*port\s*=\s*(\d+)/m);
      clusters.push({ version, name, port: match ? Number(match[1]) : 5432, dir });
    }
  }
  return clusters.sort((a, b) => Number.parseFloat(b.version) - Number.parseFloat(a.version));
}

/** Installed server versions from /usr/lib/postgresql/<version>/bin/postgres, newest first. */
function installedServerVersions() {
  try {
    return fs
      .readdirSync('/usr/lib/postgresql')
      .filter((v) => fs.existsSync(path.join('/usr/lib/postgresql', v, 'bin', 'postgres')))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  } catch {
    return [];
  }
}

function pickCluster(port) {
  const clusters = debianClusters().filter((c) => c.port === port);
  return clusters.find((c) => c.name === 'main') ?? clusters[0] ?? null;
}

function startCommand(cluster) {
  return `pg_ctlcluster --skip-systemctl-redirect ${cluster ? `${cluster.version} ${cluster.name}` : '<version> main'} start`;
}

function manualInstructions(cluster) {
  if (cluster) {
    return `Start it as root: sudo ${startCommand(cluster)}`;
  }
  return (
    'Install and start it as root: sudo apt-get update && sudo apt-get install -y postgresql && ' +
    `sudo ${startCommand(null)} (the version is the folder under /etc/postgresql), ` +
    'and allow password-less connections from 127.0.0.1 (a "host all all 127.0.0.1/32 trust" line in pg_hba.conf)'
  );
}

/** Prepends trust lines for 127.0.0.1 and ::1 to the cluster's pg_hba.conf (once). */
function allowTrustFromLocalhost(cluster, log) {
  const hbaFile = path.join(cluster.dir, 'pg_hba.conf');
  const text = fs.readFileSync(hbaFile, 'utf8');
  if (text.includes(HBA_MARKER)) return false;
  const lines = [HBA_MARKER, 'host    all    all    127.0.0.1/32    trust', 'host    all    all    ::1/128         trust', ''];
  fs.writeFileSync(hbaFile, `${lines.join('\n')}${text}`);
  log(`postgres: added trust authentication for 127.0.0.1 and ::1 to ${hbaFile}`);
  return true;
}

async function pgCtlCluster(cluster, action, log) {
  const result = await run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, action], {
    timeoutMs: 120_000,
  });
  const output = `${result.stdout}\n${result.stderr}`.trim();
  if (result.code !== 0 && !(action === 'start' && /already running/i.test(output))) {
    throw new Error(`pg_ctlcluster ${cluster.version} ${cluster.name} ${action} failed (exit ${result.code}):\n${output}`);
  }
  if (output) log(`postgres: ${output.split('\n').slice(-3).join(' | ')}`);
}

async function waitForPostgres(databaseUrl, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await checkPostgres({ databaseUrl });
    if (last.ok || last.auth) return last;
    await sleep(500);
  }
  return last;
}

/**
 * Makes sure Postgres answers at postgres://postgres@127.0.0.1:5432/postgres without a password.
 * Starts a stopped Debian cluster, installs one as root with apt-get when none exists, and adds
 * trust auth for 127.0.0.1 when the server asks for a password (root only). Otherwise throws an
 * error that says how to start it. Resolves the DATABASE_URL.
 */
export async function ensurePostgres({ log: logOption } = {}) {
  const log = makeLogger(logOption);
  const { url, port } = infraConfig().postgres;
  const started = Date.now();
  let check = await checkPostgres({ databaseUrl: url });
  if (check.ok) {
    log(`postgres: up at 127.0.0.1:${port} (server ${check.version})`);
    return url;
  }

  let cluster = pickCluster(port);
  if (!check.auth) {
    log(`postgres: not answering on 127.0.0.1:${port} (${check.error?.message ?? check.code})`);
    const root = isRoot();
    if (!cluster) {
      if (!canUseApt()) {
        throw new Error(`Postgres is not running on 127.0.0.1:${port} and this script cannot install it (not root, or no apt-get). ${manualInstructions(null)}.`);
      }
      if (installedServerVersions().length === 0) {
        await aptInstall(['postgresql'], log);
      }
      cluster = pickCluster(port);
      if (!cluster) {
        const version = installedServerVersions()[0];
        if (!version) throw new Error('postgresql was installed but no server binary was found under /usr/lib/postgresql');
        if (!debianClusters().some((c) => c.version === version && c.name === 'main')) {
          log(`postgres: creating cluster ${version}/main on port ${port}`);
          const created = await run('pg_createcluster', [version, 'main', '--port', String(port)], { timeoutMs: 120_000 });
          if (created.code !== 0) throw new Error(`pg_createcluster ${version} main failed:\n${`${created.stdout}\n${created.stderr}`.trim()}`);
        }
        cluster = pickCluster(port);
        if (!cluster) {
          throw new Error(`no Postgres cluster is configured for port ${port} (see pg_lsclusters); ${manualInstructions(null)}`);
        }
      }
      // A fresh cluster may already have been started by the package scripts.
      check = await checkPostgres({ databaseUrl: url });
    }
    if (!check.ok && !check.auth) {
      if (!root) {
        throw new Error(`Postgres cluster ${cluster.version}/${cluster.name} is not running. ${manualInstructions(cluster)}`);
      }
      log(`postgres: starting cluster ${cluster.version}/${cluster.name}`);
      await pgCtlCluster(cluster, 'start', log);
      check = await waitForPostgres(url, 30_000);
    }
  }

  if (check && check.auth) {
    if (!isRoot() || !cluster) {
      throw new Error(
        `Postgres on 127.0.0.1:${port} asks for a password (${check.error?.message}). ` +
          `DATABASE_URL is ${url}: allow trust authentication for 127.0.0.1 in pg_hba.conf ` +
          '("host all all 127.0.0.1/32 trust" before the other host lines) and reload' +
          `${cluster ? ` (sudo pg_ctlcluster --skip-systemctl-redirect ${cluster.version} ${cluster.name} reload)` : ''}.`,
      );
    }
    allowTrustFromLocalhost(cluster, log);
    await pgCtlCluster(cluster, 'reload', log);
    check = await waitForPostgres(url, 10_000);
  }

  if (!check?.ok) {
    throw new Error(
      `Postgres does not answer at ${url} (${check?.error?.message ?? 'unknown error'})` +
        `${cluster ? `; see /var/log/postgresql/postgresql-${cluster.version}-${cluster.name}.log` : ''}`,
    );
  }
  log(`postgres: up at 127.0.0.1:${port} (server ${check.version}, ${seconds(started)})`);
  return url;
}

/** Describes Postgres without changing anything: { url, up, version?, error? }. */
export async function postgresStatus() {
  const { url } = infraConfig().postgres;
  const check = await checkPostgres({ databaseUrl: url });
  return { url, up: check.ok, version: check.version, error: check.ok ? undefined : check.error?.message };
}

function likePrefix(prefix) {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Drops every schema whose name starts with `prefix` (default "test_", i.e. LIKE 'test\_%'),
 * with CASCADE. Resolves the dropped schema names.
 */
export async function dropTestSchemas({ prefix = 'test_', databaseUrl = infraConfig().postgres.url, log: logOption } = {}) {
  const log = makeLogger(logOption);
  if (!prefix) throw new Error('dropTestSchemas: an empty prefix would drop every schema');
  const pg = await pgModule();
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  const dropped = [];
  try {
    await client.query("SET lock_timeout = '15s'");
    const { rows } = await client.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY nspname', [
      likePrefix(prefix),
    ]);
    for (const { nspname } of rows) {
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(nspname)} CASCADE`);
        dropped.push(nspname);
      } catch (error) {
        log(`postgres: could not drop schema ${nspname}: ${error.message}`);
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
  log(`postgres: dropped ${dropped.length} stale test schema(s) starting with "${prefix}"`);
  return dropped;
}

