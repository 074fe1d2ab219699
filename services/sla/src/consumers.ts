import type { ConsumerSpec, Runtime } from '@county/platform';
import { metricsColdchainConsumer, metricsDispatchConsumer, metricsMasterDataConsumer } from './metrics/consumers.js';
import { masterDataConsumer, parcelConsumer, routeConsumer } from './timeline/consumers.js';

export type ConsumerDeps = Pick<Runtime, 'service' | 'outbox' | 'clock'>;

/**
 * sla's Kafka consumers; `main.ts` starts them all with `startService`, beside the platform's
 * copy of the API keys.
 */
export function consumers(deps: ConsumerDeps): ConsumerSpec[] {
  return [
    // timeline and alerts (src/timeline, src/alerts)
    masterDataConsumer(deps),
    parcelConsumer(deps),
    routeConsumer(deps),
    // the bureau's metrics (src/metrics)
    metricsMasterDataConsumer(deps.service),
    metricsDispatchConsumer(deps.service),
    metricsColdchainConsumer(deps.service),
  ];
}
