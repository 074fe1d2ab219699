import { randomUUID } from 'node:crypto';
import type { DeadLetter } from './dead-letter.js';
import type { Envelope } from './envelope.js';
import { eventRegistry, type EventData, type EventType } from './registry.js';

export interface NewEvent<T extends EventType> {
  type: T;
  countyId: string;
  subject: string;
  source: string;
  data: EventData<T>;
  occurredAt?: Date;
  correlationId?: string;
}

/**
 * A complete envelope for a registered event type, stamped with a fresh id and the current version.
 * Without `occurredAt` it occurred now by `now`: services pass the runtime's clock. Pure but for the
 * id, so domain code builds its events with it.
 */
export function buildEvent<T extends EventType>(event: NewEvent<T>, now: () => Date = () => new Date()): Envelope<EventData<T>> {
  return {
    id: randomUUID(),
    type: event.type,
    version: eventRegistry[event.type].version,
    occurredAt: (event.occurredAt ?? now()).toISOString(),
    countyId: event.countyId,
    subject: event.subject,
    source: event.source,
    ...(event.correlationId ? { correlationId: event.correlationId } : {}),
    data: event.data,
  };
}

/** An event on its way to a topic: what a service writes to its outbox (the platform publishes it). */
export interface OutboxEntry {
  /** Logical topic name (e.g. `masterdata.events`); the deployment's TOPIC_PREFIX is added by the outbox. */
  topic: string;
  /** Kafka key: per-key order is preserved from the order rows are written. */
  key: string;
  /** An event, or a dead letter on its way to `<topic>.dlq`. */
  event: Envelope | DeadLetter;
  headers?: Record<string, string>;
}
