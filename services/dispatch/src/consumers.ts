import type { ConsumerSpec, Runtime } from '@county/platform';
import { masterDataConsumer, parcelConsumer } from './readmodel/consumers.js';

export type ConsumerDeps = Pick<Runtime, 'service' | 'outbox' | 'clock'>;

/**
 * dispatch's Kafka consumers; `main.ts` starts them all with `startService`, beside the platform's
 * copy of the API keys.
 */
export function consumers(deps: ConsumerDeps): ConsumerSpec[] {
  return [masterDataConsumer(deps.service), parcelConsumer(deps.service)];
}
