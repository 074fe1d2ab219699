import {
  buildEvent,
  courierStatusTopic,
  type MasterDataEntity,
  masterDataKey,
  type MasterDataRecords,
  type NewEvent,
  type OutboxEntry,
  topics,
} from '@county/contracts';
import { eventTypeOf, isActive, type AnyRecord } from './entities.js';

/** A row an upsert created or changed (an unchanged record returns none). */
export interface WrittenRow {
  entity: MasterDataEntity;
  id: string;
  record: AnyRecord['record'];
  revision: number;
  /** True for a new record (revision 1). */
  created: boolean;
}

export interface EventContext {
  countyId: string;
  /** The service writing (intake). */
  source: string;
  now: () => Date;
  /** The request that made the change. */
  correlationId?: string;
}

/**
 * The `masterdata.*` event of each written record, keyed `<countyId>/<entity>:<id>` on the compacted
 * `masterdata.events` (docs/architecture.md §3), carrying the full record so the latest event per key is the
 * entity's current state; and for each courier written active, `courier.status_opened` on its own
 * status topic. Written to the outbox in the transaction that wrote the rows.
 */
export function changeEvents(rows: readonly WrittenRow[], context: EventContext): OutboxEntry[] {
  return [...masterDataEvents(rows, context), ...statusOpenedEvents(rows, context)];
}

function masterDataEvents(rows: readonly WrittenRow[], context: EventContext): OutboxEntry[] {
  const occurredAt = context.now();
  return rows.map((row) => {
    const item = { entity: row.entity, record: row.record } as AnyRecord;
    const type = eventTypeOf(item);
    const event = buildEvent({
      type,
      countyId: context.countyId,
      subject: row.id,
      source: context.source,
      data: row.record,
      occurredAt,
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    } as NewEvent<typeof type>);
    return { topic: topics.masterdata.name, key: masterDataKey(row.entity as MasterDataEntity, row.record as MasterDataRecords[MasterDataEntity]), event };
  });
}

/**
 * A courier can subscribe to its status topic from the day it is registered: the relay creates a
 * topic before its first publish to it, so this event, committed with the courier, makes the topic
 * exist — when Kafka is back, if it was down (the outbox keeps it). Sent again when the courier is
 * changed or reactivated: creating a topic that exists changes nothing.
 */
function statusOpenedEvents(rows: readonly WrittenRow[], context: EventContext): OutboxEntry[] {
  const occurredAt = context.now();
  return rows.flatMap((row) => {
    if (row.entity !== 'courier' || !isActive({ entity: row.entity, record: row.record } as AnyRecord)) return [];
    const topic = courierStatusTopic(row.id);
    const event = buildEvent({
      type: 'courier.status_opened',
      countyId: context.countyId,
      subject: row.id,
      source: context.source,
      data: { courierId: row.id, topic },
      occurredAt,
      ...(context.correlationId ? { correlationId: context.correlationId } : {}),
    });
    return [{ topic, key: row.id, event }];
  });
}
