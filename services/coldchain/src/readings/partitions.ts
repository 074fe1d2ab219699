import { withTransaction, type Logger, type Pool } from '@county/platform';
import { expiredPartitions, monthsAhead, partitionName, type Month } from './domain/partitions.js';
import { createPartition, dropPartition, listPartitions } from './store.js';

export interface PartitionKeeper {
  /** Makes sure the months' partitions exist before readings of those months are inserted. */
  ensure(months: readonly Month[]): Promise<void>;
  /** Creates this month's and the next `ahead` months' partitions, and drops those past the retention. */
  maintain(now: Date): Promise<{ created: string[]; dropped: string[] }>;
}

/**
 * Keeps `readings`' monthly partitions (migration 0010). Creating one takes a lock on the whole table, so it is done
 * ahead (at start and daily, `maintain`) and, for a reading of a month not there yet (a late one, or a clock set
 * back), on demand before the insert — each on its own connection under an advisory lock, so instances never race
 * for it, and never inside a transaction that has inserted readings already.
 */
export function createPartitionKeeper({ pool, schema, logger, ahead = 2, retentionMs }: { pool: Pool; schema: string; logger: Logger; ahead?: number; retentionMs: number }): PartitionKeeper {
  const ready = new Set<string>();
  const lockKey = `${schema}.readings-partitions`;

  const create = async (months: readonly Month[]): Promise<string[]> => {
    const missing = months.filter((m) => !ready.has(partitionName(m)));
    if (missing.length === 0) return [];
    return withTransaction(pool, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
      const existing = new Set(await listPartitions(tx));
      const created: string[] = [];
      for (const month of missing) {
        const name = partitionName(month);
        if (!existing.has(name)) {
          await createPartition(tx, month);
          created.push(name);
        }
      }
      for (const month of missing) ready.add(partitionName(month));
      if (created.length > 0) logger.info({ partitions: created }, 'readings partitions created');
      return created;
    });
  };

  return {
    ensure: async (months) => void (await create(months)),
    maintain: async (now) => {
      const created = await create(monthsAhead(now, ahead));
      const dropped = await withTransaction(pool, async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
        const expired = expiredPartitions(await listPartitions(tx), now, retentionMs);
        for (const name of expired) await dropPartition(tx, name);
        return expired;
      });
      for (const name of dropped) ready.delete(name);
      if (dropped.length > 0) logger.info({ partitions: dropped }, 'readings partitions past the retention dropped');
      return { created, dropped };
    },
  };
}
