import type { ConsumerSpec, Runtime } from '@county/platform';

export type ConsumerDeps = Pick<Runtime, 'service' | 'outbox' | 'clock'>;

/**
 * sla's Kafka consumers; `main.ts` starts them all with `startService`, beside the platform's
 * copy of the API keys. None yet: the service is a skeleton.
 */
export function consumers(_deps: ConsumerDeps): ConsumerSpec[] {
  return [];
}
