import type { ConsumerSpec } from '@county/platform';
import { bookingConsumer, type BookingConsumerDeps } from './consumers/bookings.js';
import { dispatchConsumer, type DispatchConsumerDeps } from './consumers/dispatch-events.js';
import { manifestConsumer, type ManifestConsumerDeps } from './consumers/manifests.js';

/**
 * Intake's Kafka consumers; `main.ts` starts them all with `startService`, beside the platform's
 * copy of the API keys.
 */
export function consumers(deps: ManifestConsumerDeps & BookingConsumerDeps & DispatchConsumerDeps): ConsumerSpec[] {
  return [manifestConsumer(deps), bookingConsumer(deps), dispatchConsumer(deps)];
}
