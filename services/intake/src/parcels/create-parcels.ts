import { courierStatusTopic, decideFact, topics, type ParcelFact } from '@county/contracts';
import type { OutboxEntry, Queryable } from '@county/platform';
import { parcelEvent, type ApplyDeps } from './apply-fact.js';
import { lifecycleOf, type NewParcel, type ParcelRecord } from './store.js';

/** A parcel not yet stored and the facts it starts with (`manifested`, maybe `address_unknown`). */
export interface ParcelToCreate {
  parcel: Omit<NewParcel, 'state'>;
  facts: ParcelFact[];
}

interface Prepared {
  record: ParcelRecord;
  facts: { fact: ParcelFact; superseded: boolean }[];
  outbox: OutboxEntry[];
}

/**
 * Creates brand-new parcels with their first facts in a few multi-row statements: the same rows
 * and events as `insertParcel` followed by `applyFact` for each fact (test/new-parcels.int.test.ts
 * holds the two side by side), without their per-parcel round trips. Each fact is still decided by
 * the lifecycle (`decideFact`), in memory, as applyFact would; the events come from applyFact's own
 * builder. A parcel whose (county, courier, waybill) exists by now (another batch won the race) is
 * left out, with its facts and events; the ids of those inserted are returned.
 */
export async function createParcels(tx: Queryable, deps: ApplyDeps, items: readonly ParcelToCreate[], now: Date): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const prepared = items.map((item) => prepare(deps, item, now));
  const inserted = await insertRows(tx, prepared.map((p) => p.record));
  const kept = prepared.filter((p) => inserted.has(p.record.id));
  const facts = kept.flatMap((p) => p.facts.map((f) => ({ parcelId: p.record.id, ...f })));
  if (facts.length > 0) {
    await tx.query(
      `INSERT INTO parcel_facts (parcel_id, fact_id, kind, occurred_at, received_at, fact, superseded)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::jsonb[], $7::boolean[])`,
      [
        facts.map((f) => f.parcelId),
        facts.map((f) => f.fact.id),
        facts.map((f) => f.fact.kind),
        facts.map((f) => f.fact.occurredAt),
        facts.map((f) => f.fact.receivedAt),
        facts.map((f) => JSON.stringify(f.fact)),
        facts.map((f) => f.superseded),
      ],
    );
  }
  await deps.outbox.addMany(tx, kept.flatMap((p) => p.outbox));
  return inserted;
}

/** Decides each fact in order against the facts before it, as successive applyFact calls would. */
function prepare(deps: ApplyDeps, { parcel, facts }: ParcelToCreate, now: Date): Prepared {
  const at = now.toISOString();
  let record: ParcelRecord = {
    ...parcel,
    state: 'manifested',
    progress: null,
    exception: null,
    townStationId: null,
    receivedAt: null,
    createdAt: at,
    updatedAt: at,
    facts: [],
  };
  const superseded = new Set<string>();
  const outbox: OutboxEntry[] = [];
  for (const fact of facts) {
    const decision = decideFact(lifecycleOf(record), record.facts, fact);
    if (!decision.accepted || decision.kind === 'duplicate') {
      throw new Error(`fact ${fact.id} cannot start parcel ${parcel.id}: ${decision.accepted ? 'duplicate' : decision.reason}`);
    }
    for (const id of decision.supersedes) superseded.add(id);
    const { derived } = decision;
    record = {
      ...record,
      state: derived.state,
      progress: derived.progress,
      exception: derived.exception,
      receivedAt: derived.timeline.find((entry) => entry.state === 'received' && !entry.inferred)?.occurredAt ?? null,
      facts: [...record.facts, fact],
    };
    const event = parcelEvent(deps, record, fact, decision.kind, decision.supersedes);
    outbox.push(
      { topic: topics.parcelEvents.name, key: record.id, event },
      { topic: courierStatusTopic(record.courierId), key: record.id, event },
    );
  }
  return { record, facts: record.facts.map((fact) => ({ fact, superseded: superseded.has(fact.id) })), outbox };
}

async function insertRows(tx: Queryable, unordered: readonly ParcelRecord[]): Promise<Set<string>> {
  // In waybill order, so two batches sharing waybills take their unique-index locks in the same
  // order and wait for each other instead of deadlocking.
  const records = [...unordered].sort((a, b) => (a.waybill < b.waybill ? -1 : a.waybill > b.waybill ? 1 : 0));
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO parcels (id, county_id, courier_id, waybill, direction, state, progress, exception,
                          destination_station_id, origin_station_id, contract, content_hash, received_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[],
                          $9::text[], $10::text[], $11::jsonb[], $12::text[], $13::timestamptz[])
     ON CONFLICT (county_id, courier_id, waybill) DO NOTHING
     RETURNING id`,
    [
      records.map((r) => r.id),
      records.map((r) => r.countyId),
      records.map((r) => r.courierId),
      records.map((r) => r.waybill),
      records.map((r) => r.direction),
      records.map((r) => r.state),
      records.map((r) => r.progress),
      records.map((r) => (r.exception ? JSON.stringify(r.exception) : null)),
      records.map((r) => r.destinationStationId),
      records.map((r) => r.originStationId),
      records.map((r) => JSON.stringify(r.contract)),
      records.map((r) => r.contentHash),
      records.map((r) => r.receivedAt),
    ],
  );
  return new Set(rows.map((r) => r.id));
}
