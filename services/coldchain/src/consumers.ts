import type { ConsumerSpec, Runtime } from '@county/platform';
import { catalogueConsumers } from './catalogue/consumers.js';
import { compliancePorts, type CompliancePorts } from './compliance/ports.js';
import { complianceCustodyListener } from './compliance/revise-compliance.js';

export type ConsumerDeps = Pick<Runtime, 'service' | 'outbox' | 'clock'> & {
  /** Readings and excursions as compliance reads them; coldchain's own tables when not given. */
  compliancePorts?: CompliancePorts;
};

/**
 * coldchain's Kafka consumers; `main.ts` starts them all with `startService`, beside the platform's
 * copy of the API keys.
 */
export function consumers(deps: ConsumerDeps): ConsumerSpec[] {
  const custody = complianceCustodyListener({ outbox: deps.outbox, source: deps.service, now: deps.clock, ports: deps.compliancePorts ?? compliancePorts });
  return [...catalogueConsumers({ service: deps.service, clock: deps.clock, custody })];
}
