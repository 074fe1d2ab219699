import type { ConsumerSpec, Runtime } from '@county/platform';
import { catalogueConsumers } from './catalogue/consumers.js';
import { compliancePorts } from './compliance/ports.js';
import { complianceCustodyListener } from './compliance/revise-compliance.js';

export type ConsumerDeps = Pick<Runtime, 'service' | 'outbox' | 'clock'>;

/**
 * coldchain's Kafka consumers; `main.ts` starts them all with `startService`, beside the platform's
 * copy of the API keys.
 */
export function consumers(deps: ConsumerDeps): ConsumerSpec[] {
  const custody = complianceCustodyListener({ outbox: deps.outbox, source: deps.service, now: deps.clock, ports: compliancePorts });
  return [...catalogueConsumers({ service: deps.service, clock: deps.clock, custody })];
}
