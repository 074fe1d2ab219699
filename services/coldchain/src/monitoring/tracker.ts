import { withTransaction, type Clock, type Logger, type Outbox, type Pool } from '@county/platform';
import type { ReadingsListener } from '../readings/listener.js';
import { advance, sortBatch, type Key, type Sample } from './domain/fold.js';
import type { HotState, HotStore } from './hot.js';
import type { MonitoringMetrics } from './metrics.js';
import { limitsFor, profileStamp } from './limits.js';
import type { MonitoredProfile, MonitoringPorts } from './ports.js';
import { settle, sampleOf } from './settle.js';

export interface TrackerDeps {
  pool: Pool;
  metrics: MonitoringMetrics;
  outbox: Pick<Outbox, 'addMany'>;
  hot: HotStore;
  ports: MonitoringPorts;
  /** The events' source: the service. */
  source: string;
  clock: Clock;
  logger: Logger;
  /** Longest a container's Postgres checkpoint lags its hot state while readings come (real ms); default 10 s. */
  checkpointEveryMs?: number;
  /** How long a container's profile is reused before it is read again (real ms); default 10 s. */
  profileTtlMs?: number;
  /** Real time, for the checkpoint and profile caches (domain time is `clock`). */
  realNow?: () => number;
}

export interface Tracker extends ReadingsListener {
  /** Folds the container again from no later than `from`, through Postgres: recovery after a failed call. */
  resync(countyId: string, containerId: string, from: Key): Promise<void>;
  /** Retries the containers whose last call failed; resolves with how many are still failing. */
  retryFailed(): Promise<number>;
  /** Starts retrying failed containers every `intervalMs`; returns the function that stops it. */
  startRetries(intervalMs?: number): () => Promise<void>;
}

/**
 * The excursion tracker (issue #11 "Excursions and alarms"), as the ingest's listener. For each container's batch:
 *
 * - **fast path** — the hot state in Redis, folded further with the new readings, written back (compare-and-set),
 *   when nothing Postgres must know happened: no excursion opened, exceeded or closed, no silence alarm to clear,
 *   the checkpoint not due (`checkpointEveryMs`);
 * - **the way through Postgres** (`settle`) otherwise — a late reading, a transition, a checkpoint, a changed
 *   profile, a Redis miss (flushed, restarted, unreachable) or a lost compare-and-set: from the Postgres checkpoint
 *   and the stored readings, under the container's row lock, with events in the outbox.
 *
 * The ingest tells one container's batches one at a time per instance (its notifier), and swallows a listener's
 * error once logged; so a failed call is remembered here, with the earliest reading it carried, and retried by
 * `startRetries` until Postgres takes it.
 */
export function createTracker(deps: TrackerDeps): Tracker {
  const realNow = deps.realNow ?? Date.now;
  const checkpointEveryMs = deps.checkpointEveryMs ?? 10_000;
  const profileTtlMs = deps.profileTtlMs ?? 10_000;
  const log = deps.logger.child({ component: 'tracker' });
  const profiles = new Map<string, { profile: MonitoredProfile | undefined; until: number }>();
  const failed = new Map<string, { countyId: string; containerId: string; from: Key }>();

  const profileOf = async (countyId: string, containerId: string) => {
    const key = `${countyId}\u0000${containerId}`;
    const cached = profiles.get(key);
    if (cached && cached.until > realNow()) return cached.profile;
    const profile = await deps.ports.profileOfContainer(deps.pool, countyId, containerId);
    profiles.set(key, { profile, until: realNow() + profileTtlMs });
    return profile;
  };

  const throughPostgres = async (countyId: string, containerId: string, profile: MonitoredProfile | undefined, samples: Sample[], hot: HotState | undefined, refoldFrom?: Key) => {
    const body = await withTransaction(deps.pool, (tx) => settle(tx, deps, { countyId, containerId, profile, samples, refoldFrom }));
    deps.metrics.countBatch('postgres');
    const written = await deps.hot.write(countyId, containerId, hot?.token ?? '', { ...body, checkpointedAt: realNow() });
    if (!written) await deps.hot.drop(countyId, containerId);
  };

  const track = async (countyId: string, containerId: string, samples: Sample[], refoldFrom?: Key) => {
    const profile = await profileOf(countyId, containerId);
    const hot = await deps.hot.read(countyId, containerId);
    if (hot && !refoldFrom && hot.profileStamp === profileStamp(profile)) {
      const { fresh, late } = sortBatch(hot.state, samples);
      if (late.length === 0 && fresh.length === 0) return;
      if (late.length === 0) {
        const folded = advance(hot.state, limitsFor(profile), fresh);
        const { opened, exceeded, closed } = folded.transitions;
        const quiet = opened + exceeded + closed === 0 && hot.silentAlarmId === null && realNow() - hot.checkpointedAt < checkpointEveryMs;
        if (quiet) {
          const { token, ...rest } = hot;
          if (await deps.hot.write(countyId, containerId, token, { ...rest, state: folded.state })) {
            deps.metrics.countBatch('hot');
            return;
          }
          await deps.hot.drop(countyId, containerId);
        }
      }
    }
    await throughPostgres(countyId, containerId, profile, samples, hot, refoldFrom);
  };

  const remember = (countyId: string, containerId: string, from: Key | undefined) => {
    if (!from) return;
    const key = `${countyId}\u0000${containerId}`;
    const known = failed.get(key);
    if (!known || from.at < known.from.at) failed.set(key, { countyId, containerId, from });
  };

  const retryFailed = async () => {
    for (const [key, { countyId, containerId, from }] of [...failed]) {
      try {
        await track(countyId, containerId, [], from);
        if (failed.get(key)?.from === from) failed.delete(key);
      } catch (err) {
        log.warn({ err: (err as Error).message, countyId, containerId }, 'tracker retry failed; retrying later');
      }
    }
    return failed.size;
  };

  return {
    async onReadings(countyId, containerId, readings) {
      const samples = readings.map(sampleOf);
      try {
        await track(countyId, containerId, samples);
      } catch (err) {
        const earliest = samples.reduce<Sample | undefined>((min, s) => (!min || s.at < min.at ? s : min), undefined);
        remember(countyId, containerId, earliest && { at: earliest.at, sensorId: '' });
        throw err;
      }
    },
    async resync(countyId, containerId, from) {
      await track(countyId, containerId, [], from);
    },
    retryFailed,
    startRetries(intervalMs = 5_000) {
      let running: Promise<number> | undefined;
      const timer = setInterval(() => {
        if (failed.size === 0 || running) return;
        running = retryFailed().finally(() => (running = undefined));
      }, intervalMs);
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
}
