import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import type { Logger } from './logger.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything a repository function can run a query on: the pool or a transaction's client. */
export type Queryable = pg.Pool | pg.PoolClient;

/** SQLSTATE codes we branch on. */
export const PgErrorCode = {
  UNIQUE_VIOLATION: '23505',
  SERIALIZATION_FAILURE: '40001',
} as const;

export interface PoolSettings {
  url: string;
  schema: string;
  max?: number;
  logger: Logger;
  /** Fail fast when Postgres does not answer, so readiness reports it instead of hanging. */
  connectionTimeoutMillis?: number;
}

/**
 * A pool whose connections all use the service's own schema (docs/architecture.md §3: no service reads
 * another's tables), set once per connection through the startup `options`.
 */
export function createPool({ url, schema, max = 10, logger, connectionTimeoutMillis = 5000 }: PoolSettings): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis,
    idleTimeoutMillis: 30_000,
    options: `-c search_path=${schema}`,
    application_name: schema,
  });
  // An idle client losing its connection (Postgres restarted) must not crash the process.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'postgres idle client error'));
  return pool;
}

/** Transactions that wrote outbox rows and have not ended yet. */
const wroteOutbox = new WeakSet<PoolClient>();
const committedListeners = new WeakMap<Pool, Set<() => void>>();

function outboxCommitted(pool: Pool): void {
  for (const listener of committedListeners.get(pool) ?? []) listener();
}

/**
 * Says that `db` wrote outbox rows: once its transaction commits (at once when `db` is the pool),
 * the pool's `onOutboxCommitted` listeners hear of it. This replaces a `pg_notify` in the writing
 * transaction: NOTIFY takes a database-wide lock from commit until the commit record is flushed,
 * so every writing transaction committed one after another (about 500 commits/s here, flat from
 * 4 to 64 clients, against 1,800–5,000 without it; bench:intake showed it as single-POST
 * throughput falling as connections rose) and a manifest's large commit held every POST behind it.
 */
export function signalOutboxWrite(db: Queryable): void {
  if (db instanceof pg.Pool) outboxCommitted(db);
  else wroteOutbox.add(db);
}

/** Calls `listener` after each commit of this process's transactions that wrote outbox rows. */
export function onOutboxCommitted(pool: Pool, listener: () => void): () => void {
  const listeners = committedListeners.get(pool) ?? new Set();
  committedListeners.set(pool, listeners);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** What each open transaction runs once it has committed (`afterCommit`). */
const commitCallbacks = new WeakMap<PoolClient, (() => void)[]>();

/**
 * Runs `callback` once the transaction of `tx` (opened by `withTransaction`) has committed, and
 * never if it rolls back: metrics count only committed work, not attempts that an outage or a
 * refusal undoes and that will be counted when they are retried.
 */
export function afterCommit(tx: PoolClient, callback: () => void): void {
  const callbacks = commitCallbacks.get(tx);
  if (!callbacks) throw new Error('afterCommit needs a client inside withTransaction');
  callbacks.push(callback);
}

export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const committed: (() => void)[] = [];
  let result: T;
  try {
    await client.query('BEGIN');
    commitCallbacks.set(client, committed);
    result = await fn(client);
    await client.query('COMMIT');
    if (wroteOutbox.delete(client)) outboxCommitted(pool);
  } catch (err) {
    wroteOutbox.delete(client);
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    commitCallbacks.delete(client);
    client.release();
  }
  for (const callback of committed) callback();
  return result;
}

export async function pingPostgres(pool: Pool): Promise<void> {
  await pool.query('SELECT 1');
}

export interface MigrationSettings {
  url: string;
  schema: string;
  /** Folder of versioned `NNNN_name.sql` files with `-- Up Migration` / `-- Down Migration` parts. */
  dir: string;
  logger: Logger;
  /** Which migrations table records them: the platform's and the service's are kept apart. */
  table?: string;
}

/**
 * Applies the service's pending migrations in its own schema (created when absent). node-pg-migrate
 * takes an advisory lock, so instances starting together wait for each other instead of racing.
 */
export async function migrate({ url, schema, dir, logger, table = 'schema_migrations' }: MigrationSettings): Promise<string[]> {
  if (!existsSync(dir)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await client.end();
    }
    return [];
  }
  const applied = await runner({
    databaseUrl: url,
    dir,
    direction: 'up',
    schema,
    createSchema: true,
    migrationsTable: table,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    checkOrder: true,
    logger: {
      debug: () => undefined,
      info: (msg: string) => logger.debug({ schema }, msg),
      warn: (msg: string) => logger.warn({ schema }, msg),
      error: (msg: string) => logger.error({ schema }, msg),
    },
  });
  const names = applied.map((m) => m.name);
  if (names.length > 0) logger.info({ schema, table, migrations: names }, 'migrations applied');
  return names;
}

/** The tables every service has in its schema (outbox, inbox, key copies), migrated first. */
export const platformMigrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** Applies the platform's migrations, then the service's own. */
export async function migrateService(settings: Omit<MigrationSettings, 'table'>): Promise<string[]> {
  const platform = await migrate({ ...settings, dir: platformMigrationsDir, table: 'platform_migrations' });
  const own = await migrate({ ...settings, table: 'schema_migrations' });
  return [...platform, ...own];
}
