import type { ConsumerSpec, Runtime } from '@county/platform';
import { openReadings, readingsConsumer, type ReadingsIngest } from './readings/index.js';

export type ConsumerDeps = Pick<Runtime, 'service' | 'outbox' | 'clock' | 'pool' | 'logger' | 'config'> & {
  /** The readings ingest main.ts shares with REST and MQTT; one with no listener is made when not given. */
  readings?: ReadingsIngest;
};

/**
 * coldchain's Kafka consumers; `main.ts` starts them all with `startService`, beside the platform's
 * copy of the API keys.
 */
export function consumers(deps: ConsumerDeps): ConsumerSpec[] {
  const readings = deps.readings ?? openReadings(deps, deps.config).ingest;
  return [readingsConsumer(deps.service, readings)];
}
