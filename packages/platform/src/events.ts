import { randomUUID } from 'node:crypto';
import { eventRegistry, type Envelope, type EventData, type EventType } from '@county/contracts';
import { systemClock, type Clock } from './clock.js';

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
 * Without `occurredAt` it occurred now by `now`: services pass the runtime's clock (`clock.ts`).
 */
export function buildEvent<T extends EventType>(event: NewEvent<T>, now: Clock = systemClock): Envelope<EventData<T>> {
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
