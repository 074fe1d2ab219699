import { buildEvent, topics, type EventData, type OutboxEntry } from '@county/contracts';

/** coldchain's monitoring events (packages/contracts events/coldchain.ts), keyed by container id on `coldchain.events`. */
export type MonitoringEventType =
  | 'coldchain.excursion_opened'
  | 'coldchain.excursion_closed'
  | 'coldchain.excursion_superseded'
  | 'coldchain.excursion_resolved'
  | 'coldchain.alarm_raised'
  | 'coldchain.alarm_acknowledged'
  | 'coldchain.alarm_cleared';

export interface EventContext {
  countyId: string;
  containerId: string;
  /** The events' source: the service. */
  source: string;
  now: () => Date;
}

/** One monitoring event for the outbox; `occurredAt` is when it happened (a reading's time, or the action's). */
export function monitoringEvent<T extends MonitoringEventType>(ctx: EventContext, type: T, data: EventData<T>, occurredAt: string): OutboxEntry {
  return {
    topic: topics.coldchainEvents.name,
    key: ctx.containerId,
    event: buildEvent({ type, countyId: ctx.countyId, subject: ctx.containerId, source: ctx.source, data, occurredAt: new Date(occurredAt) }, ctx.now),
  };
}
