import { startLeaderLoop, type LeaderLoop, type Logger } from '@county/platform';
import { checkPrecooling } from './precooling.js';
import { scanSilence, type SilenceDeps } from './silence.js';

export interface ScannerSettings {
  /** Names the advisory lock: one leader per service schema. */
  schema: string;
  /** Real time between passes (silence is judged by the runtime's clock). */
  intervalMs?: number;
  standbyRetryMs?: number;
}

export type Scanner = LeaderLoop;

export type ScannerDeps = SilenceDeps & { logger: Logger };

/**
 * The silence scanner (`scanSilence`) and the pre-cooling check (`checkPrecooling`) every `intervalMs`, in one
 * instance of the service (the platform's `startLeaderLoop`: a standby takes over within `standbyRetryMs` when the
 * leader dies).
 */
export function startScanner(deps: ScannerDeps, settings: ScannerSettings): Scanner {
  const log = deps.logger.child({ component: 'silence-scanner' });
  return startLeaderLoop({
    pool: deps.pool,
    name: `${settings.schema}.silence-scanner`,
    logger: deps.logger,
    intervalMs: settings.intervalMs ?? 15_000,
    standbyRetryMs: settings.standbyRetryMs ?? 5_000,
    pass: async () => {
      const silent = await scanSilence(deps);
      // Pre-cooling reads the catalogue's tables: a failure there is logged and must not stop the silence scan.
      const precooling = await checkPrecooling(deps).catch((err: unknown) => {
        log.warn({ err: (err as Error).message }, 'pre-cooling check failed; retrying at the next pass');
        return 0;
      });
      if (silent + precooling > 0) log.info({ silent, precooling }, 'alarms raised');
    },
  });
}
