import type { z } from 'zod';
import { apiKeyRecordSchema } from './events/access.js';
import { readingRecordedSchema } from './events/coldchain.js';
import { bookingSubmittedSchema, manifestSubmittedSchema } from './events/courier.js';
import { topics, type TopicKey } from './topics.js';

export interface EventDefinition {
  type: string;
  version: number;
  topic: TopicKey;
  description: string;
  data: z.ZodType;
}

/** Every event type the platform knows: its data schema, current version and topic. */
export const eventRegistry = {
  'courier.manifest_submitted': {
    type: 'courier.manifest_submitted',
    version: 1,
    topic: 'courierManifests',
    description: 'A courier hands a manifest of parcels to the county center.',
    data: manifestSubmittedSchema,
  },
  'courier.booking_submitted': {
    type: 'courier.booking_submitted',
    version: 1,
    topic: 'courierBookings',
    description: 'A courier books a pickup of produce at a village station.',
    data: bookingSubmittedSchema,
  },
  'coldchain.reading_recorded': {
    type: 'coldchain.reading_recorded',
    version: 1,
    topic: 'coldchainReadings',
    description: 'A temperature reading from an IoT gateway.',
    data: readingRecordedSchema,
  },
  // Access keys (DESIGN.md §3 "Access"): intake issues them, every service keeps a copy. Each event
  // carries the full record, keyed `apikey:<keyId>` on the compacted master-data topic.
  'access.key_issued': {
    type: 'access.key_issued',
    version: 1,
    topic: 'masterdata',
    description: 'An API key was issued (its hash, never the secret).',
    data: apiKeyRecordSchema,
  },
  'access.key_changed': {
    type: 'access.key_changed',
    version: 1,
    topic: 'masterdata',
    description: 'An API key’s name, scope or rate limit changed.',
    data: apiKeyRecordSchema,
  },
  'access.key_revoked': {
    type: 'access.key_revoked',
    version: 1,
    topic: 'masterdata',
    description: 'An API key was revoked; every service refuses it from now on.',
    data: apiKeyRecordSchema,
  },
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof eventRegistry;
export type EventData<T extends EventType> = z.infer<(typeof eventRegistry)[T]['data']>;

export function eventDefinition(type: string): EventDefinition | undefined {
  return (eventRegistry as Record<string, EventDefinition>)[type];
}

export function topicOf(type: EventType): string {
  return topics[eventRegistry[type].topic].name;
}
