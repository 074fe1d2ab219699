import type { ConsumerSpec, Runtime } from '@county/platform';

export type ConsumerDeps = Pick<Runtime, 'service'>;

/** console's Kafka consumers; `main.ts` starts them all with `startService`, beside the platform's copy of the API keys. */
export function consumers(_deps: ConsumerDeps): ConsumerSpec[] {
  return [];
}
