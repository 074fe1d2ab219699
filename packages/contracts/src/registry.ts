import type { z } from 'zod';
import { apiKeyRecordSchema } from './events/access.js';
import { coldchainEventDefinitions, readingRecordedSchema, readingsSubmittedSchema } from './events/coldchain.js';
import { bookingSubmittedSchema, manifestSubmittedSchema } from './events/courier.js';
import { bookingRejectedSchema, courierStatusOpenedSchema, manifestRejectedSchema } from './events/courier-status.js';
import { dispatchEventDefinitions } from './events/dispatch.js';
import { parcelEventDataSchema } from './events/parcel.js';
import { slaEventDefinitions } from './events/sla.js';
import { masterDataEventDefinitions } from './masterdata/index.js';
import { parcelEventTypes, type ParcelEventType } from './lifecycle/events.js';
import { topics, type TopicKey } from './topics.js';

/** Where an event goes: a topic of the catalogue, or the courier's own status topic. */
export type EventTopic = TopicKey | 'courierStatus';

export interface EventDefinition {
  type: string;
  version: number;
  topic: EventTopic;
  description: string;
  data: z.ZodType;
}

const registered = {
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
  'courier.status_opened': {
    type: 'courier.status_opened',
    version: 1,
    topic: 'courierStatus',
    description: 'A courier was registered (or reactivated, or changed): its status topic exists from now on.',
    data: courierStatusOpenedSchema,
  },
  'courier.manifest_rejected': {
    type: 'courier.manifest_rejected',
    version: 1,
    topic: 'courierStatus',
    description: 'Items of a courier’s manifest or REST batch were refused (the others were taken): which, and why.',
    data: manifestRejectedSchema,
  },
  'courier.booking_rejected': {
    type: 'courier.booking_rejected',
    version: 1,
    topic: 'courierStatus',
    description: 'A booking the courier published was refused and dead-lettered: why.',
    data: bookingRejectedSchema,
  },
  'coldchain.reading_recorded': {
    type: 'coldchain.reading_recorded',
    version: 1,
    topic: 'coldchainReadings',
    description: 'A temperature reading from an IoT gateway.',
    data: readingRecordedSchema,
  },
  'coldchain.readings_submitted': {
    type: 'coldchain.readings_submitted',
    version: 1,
    topic: 'coldchainReadings',
    description: 'A gateway’s batch of up to 1,000 readings (each validated on its own).',
    data: readingsSubmittedSchema,
  },
  // Access keys (docs/architecture.md §3 "Access"): intake issues them, every service keeps a copy. Each event
  // carries the full record, keyed `<countyId>/apikey:<keyId>` on the compacted master-data topic.
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
  ...masterDataEventDefinitions,
} as const satisfies Record<string, EventDefinition>;

type ParcelEventDefinitions = {
  [T in ParcelEventType]: { type: T; version: 1; topic: 'parcelEvents'; description: string; data: typeof parcelEventDataSchema };
};

/**
 * Every parcel step intake publishes has the same data: the fact applied and the parcel after it.
 * Courier status topics (`courier.status.<courierId>`) carry the same events for that courier's parcels.
 */
const parcelEvents = Object.fromEntries(
  parcelEventTypes.map((type) => [
    type,
    { type, version: 1, topic: 'parcelEvents', description: `A parcel fact was applied: ${type.slice('parcel.'.length).replace(/_/g, ' ')}.`, data: parcelEventDataSchema },
  ]),
) as ParcelEventDefinitions;

/** A service's table of event definitions (`{ type: { description, data } }`) as registry entries on one topic. */
type OnTopic<D extends Record<string, { description: string; data: z.ZodType }>, K extends TopicKey> = {
  [T in keyof D & string]: { type: T; version: 1; topic: K; description: string; data: D[T]['data'] };
};

function eventsOn<D extends Record<string, { description: string; data: z.ZodType }>, K extends TopicKey>(definitions: D, topic: K): OnTopic<D, K> {
  return Object.fromEntries(
    Object.entries(definitions).map(([type, definition]) => [type, { type, version: 1, topic, description: definition.description, data: definition.data }]),
  ) as OnTopic<D, K>;
}

/** dispatch's facts about routes and stops (events/dispatch.ts), keyed by route id on `dispatch.events`. */
const dispatchEvents = eventsOn(dispatchEventDefinitions, 'dispatchEvents');
/** coldchain's excursions, alarms and compliance records (events/coldchain.ts) on `coldchain.events`. */
const coldchainEvents = eventsOn(coldchainEventDefinitions, 'coldchainEvents');
/** sla's alerts (events/sla.ts) on `sla.events`, keyed by parcel id (rate alerts by `<countyId>/<leg>`). */
const slaEvents = eventsOn(slaEventDefinitions, 'slaEvents');

/** Every event type the platform knows: its data schema, current version and topic. */
export const eventRegistry = { ...registered, ...parcelEvents, ...dispatchEvents, ...coldchainEvents, ...slaEvents };

export type EventType = keyof typeof eventRegistry;
export type EventData<T extends EventType> = z.infer<(typeof eventRegistry)[T]['data']>;

export function eventDefinition(type: string): EventDefinition | undefined {
  return (eventRegistry as Record<string, EventDefinition>)[type];
}

/** Event types that go to a topic of the catalogue (not to a courier's own status topic). */
export type CatalogueEventType = { [T in EventType]: (typeof eventRegistry)[T]['topic'] extends TopicKey ? T : never }[EventType];

export function topicOf(type: CatalogueEventType): string {
  return topics[eventRegistry[type].topic as TopicKey].name;
}
