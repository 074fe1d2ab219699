import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, testLogger } from '../../../tests/support/harness.js';
import { afterCommit, createPool, migrate, PgErrorCode, withTransaction, type Pool } from '../src/index.js';

const iso = isolation();
const config = testConfig(iso);
const logger = testLogger();
let pool: Pool;

beforeAll(async () => {
  await migrate({ url: config.DATABASE_URL, schema: iso.schema, dir: fileURLToPath(new URL('./fixtures/migrations', import.meta.url)), logger });
  pool = createPool({ url: config.DATABASE_URL, schema: iso.schema, logger });
});

afterAll(() => pool.end());

describe('withTransaction', () => {
  it('commits every write of a successful function', async () => {
    await withTransaction(pool, async (tx) => {
      await tx.query(`INSERT INTO widgets (id, county_id) VALUES ('w1', 'cn-1'), ('w2', 'cn-1')`);
    });
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM widgets WHERE id IN ('w1', 'w2')`);
    expect(rows[0].n).toBe(2);
  });

  it('rolls back every write when the function throws', async () => {
    const attempt = withTransaction(pool, async (tx) => {
      await tx.query(`INSERT INTO widgets (id, county_id) VALUES ('w3', 'cn-1')`);
      await tx.query(`INSERT INTO widgets (id, county_id) VALUES ('w1', 'cn-1')`);
    });
    await expect(attempt).rejects.toMatchObject({ code: PgErrorCode.UNIQUE_VIOLATION });
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM widgets WHERE id = 'w3'`);
    expect(rows[0].n).toBe(0);
  });

  it('runs afterCommit callbacks once the transaction committed, never after a rollback', async () => {
    const seen: string[] = [];
    await withTransaction(pool, async (tx) => {
      await tx.query(`INSERT INTO widgets (id, county_id) VALUES ('w4', 'cn-1')`);
      afterCommit(tx, () => seen.push('committed'));
      seen.push('before commit');
    });
    const failed = withTransaction(pool, async (tx) => {
      afterCommit(tx, () => seen.push('rolled back'));
      await tx.query(`INSERT INTO widgets (id, county_id) VALUES ('w4', 'cn-1')`);
    });
    await expect(failed).rejects.toMatchObject({ code: PgErrorCode.UNIQUE_VIOLATION });
    expect(seen).toEqual(['before commit', 'committed']);
  });

  it('keeps each service in its own schema', async () => {
    const { rows } = await pool.query('SELECT current_schema() AS schema');
    expect(rows[0].schema).toBe(iso.schema);
  });

  it('migrating again applies nothing', async () => {
    const again = await migrate({
      url: config.DATABASE_URL,
      schema: iso.schema,
      dir: fileURLToPath(new URL('./fixtures/migrations', import.meta.url)),
      logger,
    });
    expect(again).toEqual([]);
  });
});
