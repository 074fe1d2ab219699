import type { ConsumerSpec, Runtime } from '@county/platform';
import { catalogueConsumers } from './catalogue/consumers.js';
import { compliancePorts, type CompliancePorts } from './compliance/ports.js';
import { complianceCustodyListener } from './compliance/revise-compliance.js';
import { openReadings, readingsConsumer, type ReadingsIngest } from './readings/index.js';

export type ConsumerDeps = Pick<Runtime, 'service' | 'outbox' | 'clock' | 'pool' | 'logger' | 'config'> & {
  /** The readings ingest main.ts shares with REST and MQTT; one with no listener is made when not given. */
  readings?: ReadingsIngest;
  /** Readings and excursions as compliance reads them; coldchain's own tables when not given. */
  compliancePorts?: CompliancePorts;
};

/**
 * coldchain's Kafka consumers; `main.ts` starts them all with `startService`, beside the platform's
 * copy of the API keys.
 */
export function consumers(deps: ConsumerDeps): ConsumerSpec[] {
  const readings = deps.readings ?? openReadings(deps, deps.config).ingest;
  const custody = complianceCustodyListener({ outbox: deps.outbox, source: deps.service, now: deps.clock, ports: deps.compliancePorts ?? compliancePorts });
  return [readingsConsumer(deps.service, readings), ...catalogueConsumers({ service: deps.service, clock: deps.clock, custody })];
}
