import type { Runtime } from '@county/platform';
import { createHotStore } from './hot.js';
import { monitoringMetrics, type MonitoringMetrics } from './metrics.js';
import type { MonitoringRouteDeps } from './http.js';
import { monitoringPorts } from './wiring.js';
import type { MonitoringPorts } from './ports.js';
import { resyncAll } from './recovery.js';
import { startScanner, type Scanner, type ScannerSettings } from './scanner.js';
import { createTracker, type Tracker } from './tracker.js';

export { registerMonitoringRoutes } from './http.js';
export { excursionsBetween } from './store/excursions.js';
export type { Tracker } from './tracker.js';
export type { MonitoringPorts } from './ports.js';

type MonitoringRuntime = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'pool' | 'redis' | 'outbox' | 'clock'>;

export interface Monitoring {
  tracker: Tracker;
  routes: MonitoringRouteDeps;
  ports: MonitoringPorts;
  metrics: MonitoringMetrics;
}

/** The tracker (the ingest's listener) and what the routes use, over the runtime's clients. */
export function openMonitoring(runtime: MonitoringRuntime, options: { ports?: MonitoringPorts; checkpointEveryMs?: number } = {}): Monitoring {
  const ports = options.ports ?? monitoringPorts;
  const hot = createHotStore(runtime.redis, runtime.config.DB_SCHEMA, runtime.logger);
  const common = { pool: runtime.pool, outbox: runtime.outbox, source: runtime.service, clock: runtime.clock, hot, ports, metrics: monitoringMetrics(runtime.metrics) };
  const tracker = createTracker({ ...common, logger: runtime.logger, ...(options.checkpointEveryMs ? { checkpointEveryMs: options.checkpointEveryMs } : {}) });
  return { tracker, ports, metrics: common.metrics, routes: { ...common, redis: runtime.redis, namespace: runtime.config.DB_SCHEMA } };
}

/**
 * The monitoring worker as `main.ts` runs it, once the schema is migrated: every container folded again from a little
 * before its checkpoint (`recovery.ts`), the silence scanner (leader of the instances) and the tracker's retries of
 * failed calls; they stop on shutdown, before Postgres closes.
 */
export function runMonitoring(
  runtime: MonitoringRuntime & Pick<Runtime, 'lifecycle' | 'migrated'>,
  monitoring: Monitoring,
  settings: Partial<ScannerSettings> = {},
): { scanner: () => Scanner | undefined } {
  let scanner: Scanner | undefined;
  let stopRetries: (() => Promise<void>) | undefined;
  let stopped = false;
  runtime.lifecycle.add('monitoring', async () => {
    stopped = true;
    await stopRetries?.();
    await scanner?.stop();
  });
  runtime.migrated.then(
    () => {
      if (stopped) return;
      stopRetries = monitoring.tracker.startRetries();
      const { hot, outbox, source, clock, pool } = monitoring.routes;
      scanner = startScanner({ pool, outbox, source, clock, hot, metrics: monitoring.metrics, ports: monitoring.ports, logger: runtime.logger }, { schema: runtime.config.DB_SCHEMA, ...settings });
      void resyncAll(pool, monitoring.tracker, runtime.logger).catch((err: unknown) => runtime.logger.warn({ err: (err as Error).message }, 'monitoring resync at start-up failed'));
    },
    () => undefined,
  );
  return { scanner: () => scanner };
}
