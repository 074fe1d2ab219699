import { createServiceApp, type Runtime } from '@county/platform';
import { topics } from '@county/contracts';
import { registerAlertRoutes } from './alerts/http.js';
import { kafkaFoldWatermark } from './alerts/watermark.js';
import { registerGauges } from './metrics/gauges.js';
import { registerMetricsRoutes } from './metrics/http.js';
import { registerTimelineRoutes } from './timeline/http.js';

/** What the routes will use: the clients, the outbox their writes go through, and the runtime's clock. */
export type AppDeps = Pick<Runtime, 'service' | 'config' | 'logger' | 'metrics' | 'health' | 'pool' | 'redis' | 'outbox' | 'clock'> & {
  /** Real milliseconds between scans of open parcels (default 30 s; 0: none, tests scan themselves). */
  scanEveryMs?: number;
  /** The runtime's Kafka client: the scanner reads the parcel consumer's lag from it (absent: no lag check). */
  kafka?: Runtime['kafka'];
};

/** The sla service's HTTP app; it never listens (main.ts does, tests inject). */
export async function buildApp(deps: AppDeps) {
  const app = await createServiceApp(deps, {
    description: "SLA monitoring: parcel timelines, leg deadlines, breach and at-risk alerts, and the bureau's metrics.",
  });
  registerTimelineRoutes(app, { pool: deps.pool });
  const scanEveryMs = deps.scanEveryMs ?? 30_000;
  // the scanner breaches open parcels only up to where the parcel consumer has folded everything (its lag on Kafka)
  const watermark = deps.kafka && scanEveryMs > 0 ? kafkaFoldWatermark(deps.kafka, `${deps.config.GROUP_PREFIX}${deps.service}.timeline-parcels`, `${deps.config.TOPIC_PREFIX}${topics.parcelEvents.name}`) : undefined;
  if (watermark) app.addHook('onClose', () => watermark.stop());
  registerAlertRoutes(app, { pool: deps.pool, outbox: deps.outbox, source: deps.service, now: deps.clock, logger: deps.logger, scanEveryMs, ...(watermark ? { foldedThrough: watermark.foldedThrough } : {}) });
  registerMetricsRoutes(app, { pool: deps.pool, now: deps.clock });
  registerGauges(deps.metrics, { pool: deps.pool, now: deps.clock });
  return app;
}
