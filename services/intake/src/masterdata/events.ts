import { masterDataKey, topics, type MasterDataEntity, type MasterDataRecords } from '@county/contracts';
import { buildEvent, type NewEvent, type OutboxEntry } from '@county/platform';
import { eventTypeOf, type AnyRecord } from './entities.js';
import type { WrittenRow } from './store.js';

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
 * `masterdata.events` (DESIGN.md §3), carrying the full record so the latest event per key is the
 * entity's current state. Written to the outbox in the transaction that wrote the rows.
 */
export function changeEvents(rows: readonly WrittenRow[], context: EventContext): OutboxEntry[] {
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
