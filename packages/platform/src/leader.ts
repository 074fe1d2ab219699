import type { Logger } from './logger.js';
import type { Pool, PoolClient } from './postgres.js';

export interface LeaderLoopSettings {
  pool: Pool;
  /** Names the advisory lock (`<schema>.<what>`: one leader per service schema) and the log lines. */
  name: string;
  logger: Logger;
  /** One pass of the work; a throw ends the leadership (logged), which is retried after `standbyRetryMs`. */
  pass: () => Promise<void>;
  /** Real time between passes. */
  intervalMs?: number;
  /** Real time a standby waits before trying to take over again. */
  standbyRetryMs?: number;
}

export interface LeaderLoop {
  isLeader(): boolean;
  /** Resolves after the next complete pass of the leader (tests wait on it rather than on time). */
  nextPass(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Periodic work done by one instance of a service (docs/architecture.md §4): like the outbox relay, the leader holds
 * a session advisory lock on a connection it keeps — taken from the pool and destroyed, not returned, when it lets
 * go, so the lock never outlives the leadership — and runs `pass` every `intervalMs` while that connection answers.
 * When the leader dies its connection closes, and a standby takes over within `standbyRetryMs`. Used by dispatch's
 * auto-planner and cold chain's silence scanner.
 */
export function startLeaderLoop(settings: LeaderLoopSettings): LeaderLoop {
  const { pool, name, pass, intervalMs = 15_000, standbyRetryMs = 5_000 } = settings;
  const log = settings.logger.child({ component: name.slice(name.lastIndexOf('.') + 1) });
  let stopped = false;
  let leader = false;
  let wake: () => void = () => undefined;
  // Passes started and completed, and who waits for a pass that starts after they asked.
  let started = 0;
  let completed = 0;
  let waiting: { target: number; resolve: () => void }[] = [];
  // A stop between two naps must not leave the loop asleep for a whole interval.
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async () => {
    while (!stopped) {
      let client: PoolClient | undefined;
      try {
        client = await pool.connect();
        // Checked out, the pool no longer listens: a lost connection must not crash the process.
        client.on('error', (err) => log.warn({ err: err.message }, `${name}: connection lost`));
        while (!stopped && !leader) {
          const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [name]);
          leader = rows[0]?.ok === true;
          if (!leader) await nap(standbyRetryMs);
        }
        if (leader) log.info(`${name}: active`);
        while (!stopped && leader) {
          // The lock lives as long as this connection: a pass runs only while it answers.
          await client.query('SELECT 1');
          started += 1;
          await pass();
          completed = started;
          const done = waiting.filter((w) => w.target <= completed);
          waiting = waiting.filter((w) => w.target > completed);
          for (const w of done) w.resolve();
          if (waiting.length === 0) await nap(intervalMs);
        }
      } catch (err) {
        if (!stopped) log.warn({ err: (err as Error).message }, `${name}: interrupted; retrying`);
      } finally {
        leader = false;
        client?.release(true);
      }
      if (!stopped) await nap(standbyRetryMs);
    }
  };

  const done = run();
  return {
    isLeader: () => leader,
    nextPass: () =>
      new Promise<void>((resolve) => {
        waiting.push({ target: started + 1, resolve });
        wake();
      }),
    stop: async () => {
      stopped = true;
      wake();
      await done;
      for (const w of waiting) w.resolve();
    },
  };
}
