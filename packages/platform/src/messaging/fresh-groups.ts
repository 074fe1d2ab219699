import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from '../logger.js';
import { withTransaction, type Pool } from '../postgres.js';

/**
 * What was done to a group's committed offsets before it first joined on this schema: `reset` (they were
 * dropped, it reads its topics from the beginning), `none committed` (nothing to drop), `member active`
 * (another member was in the group: left as it is, tried again at the next start), `existing schema` (the
 * schema was not created empty: offsets kept, nothing recorded).
 */
export type GroupStart = 'reset' | 'none committed' | 'member active' | 'existing schema';

export interface GroupStartSettings {
  pool: Pool;
  kafka: Kafka;
  logger: Logger;
  /** The group's full id (with the deployment's prefix). */
  groupId: string;
  /** Physical topic names. */
  topics: string[];
}

/**
 * Runs before a consumer group joins (runtime.ts `consume`). The truth of what a consumer has applied is in
 * its schema (inbox, read model), not in the broker's committed offsets: on a schema its migrations created
 * from nothing (`schema_origin.created_empty`, migration 0007), a group that committed offsets for an earlier
 * schema (dropped and created again, deleted to start afresh) would resume at them and never apply the events
 * before — silently (a service's copy of the API keys without the keys issued before: every request 401).
 * So the first time each group starts on such a schema, its committed offsets are dropped and it reads its
 * topics from the beginning; `consumer_groups` records that, so it happens once, and a second instance of
 * the service starting on the same schema waits for the first (row lock) and then finds it done.
 */
export async function prepareGroupStart(settings: GroupStartSettings): Promise<GroupStart> {
  const { pool, groupId } = settings;
  // The usual case answered without a lock: an existing schema, or a group already started on this one.
  const { rows } = await pool.query<{ empty: boolean | null; recorded: string | null }>(
    'SELECT (SELECT created_empty FROM schema_origin LIMIT 1) AS empty, (SELECT offsets FROM consumer_groups WHERE group_id = $1) AS recorded',
    [groupId],
  );
  if (!rows[0]?.empty) return 'existing schema';
  if (rows[0].recorded) return rows[0].recorded as GroupStart;
  // Connected before the transaction, so a broker that is down does not keep a Postgres connection waiting.
  const admin = settings.kafka.admin({ retry: { retries: 2 } });
  await admin.connect();
  try {
    return await withTransaction(pool, async (tx) => {
      await tx.query('SELECT 1 FROM schema_origin FOR UPDATE');
      const again = await tx.query<{ offsets: GroupStart }>('SELECT offsets FROM consumer_groups WHERE group_id = $1', [groupId]);
      if (again.rows[0]) return again.rows[0].offsets;
      const outcome = await dropCommittedOffsets(admin, settings);
      // Not recorded: the next start tries again, once the other member has gone.
      if (outcome === 'member active') return outcome;
      await tx.query('INSERT INTO consumer_groups (group_id, offsets) VALUES ($1, $2)', [groupId, outcome]);
      return outcome;
    });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Deletes the group when it has committed offsets for these topics: the broker refuses while the group has
 * members, so an active one is never moved under its feet. With nothing committed, the consumer starts at
 * the earliest offsets (it subscribes `fromBeginning`).
 */
async function dropCommittedOffsets(admin: Admin, { groupId, topics, logger }: GroupStartSettings): Promise<Exclude<GroupStart, 'existing schema'>> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  const positions = committed.flatMap(({ topic, partitions }) =>
    partitions.filter((p) => Number(p.offset) >= 0).map((p) => ({ topic, partition: p.partition, offset: p.offset })),
  );
  if (positions.length === 0) return 'none committed';
  try {
    await admin.deleteGroups([groupId]);
  } catch (err) {
    const codes = ((err as { groups?: { errorCode: number }[] }).groups ?? []).map((g) => g.errorCode);
    if (codes.includes(GROUP_ID_NOT_FOUND)) return 'none committed';
    if (!codes.includes(NON_EMPTY_GROUP)) throw err;
    logger.warn(
      { groupId, committed: positions },
      'consumer group not reset although the schema is new: it has an active member (another instance on another schema?); it resumes at its committed offsets, and the reset is tried again at the next start',
    );
    return 'member active';
  }
  logger.info({ groupId, topics, dropped: positions }, 'consumer groups reset: schema is new');
  return 'reset';
}

/** Kafka protocol error codes of DeleteGroups. */
const NON_EMPTY_GROUP = 68;
const GROUP_ID_NOT_FOUND = 69;
