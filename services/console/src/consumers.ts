import type { ConsumerSpec, Runtime } from '@county/platform';
import { traceComplianceConsumer, traceParcelConsumer, tracePlacesConsumer } from './trace/consumers.js';

export type ConsumerDeps = Pick<Runtime, 'service'>;

/** console's Kafka consumers; `main.ts` starts them all with `startService`, beside the platform's copy of the API keys. */
export function consumers(deps: ConsumerDeps): ConsumerSpec[] {
  return [
    // the public trace page's read model (src/trace)
    tracePlacesConsumer(deps.service),
    traceParcelConsumer(deps.service),
    traceComplianceConsumer(deps.service),
  ];
}
