import type { Logger, PoolClient } from '@county/platform';
import { checkPrecooling } from './precooling.js';
import { scanSilence, type SilenceDeps } from './silence.js';

export interface ScannerSettings {
  /** Names the advisory lock: one leader per service schema. */
  schema: string;
  /** Real time between passes (silence is judged by the runtime's clock). */
  intervalMs?: number;
  standbyRetryMs?: number;
}

export interface Scanner {
  isLeader(): boolean;
  /** Resolves after the next complete pass of the leader (tests wait on it rather than on time). */
  nextPass(): Promise<void>;
  stop(): Promise<void>;
}

export type ScannerDeps = SilenceDeps & { logger: Logger };

/**
 * The silence scanner (`scanSilence`) and the pre-cooling check (`checkPrecooling`) every `intervalMs`, in one
 * instance of the service: leader by a session
 * advisory lock like the outbox relay and dispatch's auto-planner, held on a connection of its own and destroyed when
 * it lets go, so a standby takes over within `standbyRetryMs` when it dies.
 */
export function startScanner(deps: ScannerDeps, settings: ScannerSettings): Scanner {
  const { intervalMs = 15_000, standbyRetryMs = 5_000 } = settings;
  const log = deps.logger.child({ component: 'silence-scanner' });
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
        client = await deps.pool.connect();
        client.on('error', (err) => log.warn({ err: err.message }, 'silence scanner connection lost'));
        while (!stopped && !leader) {
          const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`${settings.schema}.silence-scanner`]);
          leader = rows[0]?.ok === true;
          if (!leader) await nap(standbyRetryMs);
        }
        if (leader) log.info('silence scanner active');
        while (!stopped && leader) {
          await client.query('SELECT 1');
          started += 1;
          const silent = await scanSilence(deps);
          // Pre-cooling reads the catalogue's tables: a failure there is logged and must not stop the silence scan.
          const precooling = await checkPrecooling(deps).catch((err: unknown) => {
            log.warn({ err: (err as Error).message }, 'pre-cooling check failed; retrying at the next pass');
            return 0;
          });
          completed = started;
          if (silent + precooling > 0) log.info({ silent, precooling }, 'alarms raised');
          const done = waiting.filter((w) => w.target <= completed);
          waiting = waiting.filter((w) => w.target > completed);
          for (const w of done) w.resolve();
          if (waiting.length === 0) await nap(intervalMs);
        }
      } catch (err) {
        if (!stopped) log.warn({ err: (err as Error).message }, 'silence scanner interrupted; retrying');
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
