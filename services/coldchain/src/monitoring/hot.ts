import { randomUUID } from 'node:crypto';
import type { Logger, Redis } from '@county/platform';
import type { TrackerState } from './domain/fold.js';

/**
 * The hot copy of a container's state in Redis (issue #11: "hot state … may live in Redis for fast ingest; Postgres
 * is the truth"): the fold as of its last reading, the profile it was folded with, and the ids Postgres holds for
 * its open excursion and standing silence alarm. A hash of two fields, `token` and `body`; every write replaces the
 * token and succeeds only if the token is still the one the writer read (compare-and-set in one script), so two
 * instances never interleave their folds. Anything in doubt is deleted: the next reading rebuilds it from Postgres.
 * Redis unreachable reads as a miss and a write as failed — the tracker then works from Postgres alone.
 */
export interface HotState {
  token: string;
  /** The profile's figures the state was folded with (a changed profile goes the Postgres way once). */
  profileStamp: string;
  state: TrackerState;
  openExcursionId: string | null;
  silentAlarmId: string | null;
  /** Real time (ms) of the last write to Postgres's container_state. */
  checkpointedAt: number;
}

const CAS = `
local current = redis.call('HGET', KEYS[1], 'token')
if (current == false and ARGV[1] == '') or current == ARGV[1] then
  redis.call('HSET', KEYS[1], 'token', ARGV[2], 'body', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return 1
end
return 0`;

/** Hot states of containers nobody hears from expire; the next reading rebuilds from Postgres. */
const TTL_MS = 2 * 86_400_000;

export interface HotStore {
  read(countyId: string, containerId: string): Promise<HotState | undefined>;
  /** Writes `next` if the key still holds `expectedToken` ('' for absent); false otherwise or when Redis is away. */
  write(countyId: string, containerId: string, expectedToken: string, next: Omit<HotState, 'token'>): Promise<boolean>;
  drop(countyId: string, containerId: string): Promise<void>;
}

export function createHotStore(redis: Redis, namespace: string, logger: Logger): HotStore {
  const keyOf = (countyId: string, containerId: string) => `coldchain:${namespace}:hot:${countyId}:${containerId}`;
  // Keys a write or delete could not reach: once Redis answers again they may hold a state older than Postgres's,
  // so they are deleted before they are read.
  const suspects = new Set<string>();
  const drop = async (key: string) => {
    try {
      await redis.del(key);
      suspects.delete(key);
    } catch {
      suspects.add(key);
    }
  };
  return {
    async read(countyId, containerId) {
      const key = keyOf(countyId, containerId);
      if (suspects.has(key)) {
        await drop(key);
        return undefined;
      }
      try {
        const [token, body] = await redis.hmget(key, 'token', 'body');
        if (!token || !body) return undefined;
        return { ...(JSON.parse(body) as Omit<HotState, 'token'>), token };
      } catch (err) {
        logger.debug({ err: (err as Error).message }, 'hot state unreadable; folding from postgres');
        return undefined;
      }
    },
    async write(countyId, containerId, expectedToken, next) {
      const key = keyOf(countyId, containerId);
      try {
        const done = await redis.eval(CAS, 1, key, expectedToken, randomUUID(), JSON.stringify(next), String(TTL_MS));
        return done === 1;
      } catch {
        suspects.add(key);
        return false;
      }
    },
    drop: (countyId, containerId) => drop(keyOf(countyId, containerId)),
  };
}
