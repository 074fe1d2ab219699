import { courierStatusTopic, topics, type OutboxEntry, type RejectionCode } from '@county/contracts';
import type { Queryable } from '@county/platform';
import type { ApplyDeps } from './apply-fact.js';
import { atTransfer, withoutTownLeg, withTownLeg, type DispatchFacts, type RouteFactItem } from './domain/dispatch-facts.js';
import { parcelEvent } from './domain/events.js';
import { decideOnParcel } from './domain/fact-outcome.js';
import type { ParcelRecord } from './domain/parcel.js';
import { townStationsAmong } from './store/masterdata.js';
import { loadParcels, writeFacts, type KeptFact } from './store/parcels.js';

export interface DispatchFactDeps extends ApplyDeps {
  /** Parcels decided and written together (default DISPATCH_CHUNK). */
  chunkSize?: number;
  /** Awaited between chunks, so a 1,500-parcel route yields to interactive requests. */
  pace?: () => Promise<void>;
}

/** Parcels of an event loaded, decided and written together: a few statements for all of them. */
export const DISPATCH_CHUNK = 250;

export type DispatchItemResult =
  | {
      index: number;
      parcelId: string;
      /** `applied`: the parcel moved; `recorded`: kept in its timeline only; `confirming`: a second report of a step. */
      result: 'applied' | 'recorded' | 'confirming' | 'duplicate';
      state: string;
    }
  | { index: number; parcelId: string; result: 'skipped'; reason: string }
  | { index: number; parcelId: string; result: 'rejected'; code: RejectionCode | 'PARCEL_NOT_FOUND'; reason: string; reasonZh: string };

/**
 * Applies the facts of one dispatch event to its parcels in the caller's transaction (the consumer's,
 * with its inbox row), each through the lifecycle as any scan: the parcel's state, its `parcel.*`
 * event on `parcel.events` and its courier's status topic. Each parcel gets its own result; one
 * that cannot take its fact (unknown here, wrong direction or station, a route that left) is refused
 * without holding back the others. Parcels are locked in the order of their ids, chunk by chunk.
 */
export async function applyDispatchFacts(tx: Queryable, deps: DispatchFactDeps, countyId: string, facts: DispatchFacts): Promise<DispatchItemResult[]> {
  const results: DispatchItemResult[] = facts.skipped.map((s) => ({ ...s, result: 'skipped' as const }));
  const towns = await townStationsAmong(tx, countyId, facts.items.flatMap((item) => [item.trunkStopStationId ?? [], item.transferStationId ?? []].flat()));
  const items = [...facts.items].sort((a, b) => (a.parcelId < b.parcelId ? -1 : a.parcelId > b.parcelId ? 1 : a.index - b.index));
  const chunkSize = deps.chunkSize ?? DISPATCH_CHUNK;
  for (let start = 0; start < items.length; start += chunkSize) {
    if (start > 0) await deps.pace?.();
    const chunk = items.slice(start, start + chunkSize);
    const parcels = await loadParcels(tx, countyId, [...new Set(chunk.map((item) => item.parcelId))], { forUpdate: true });
    const kept: KeptFact[] = [];
    const events: OutboxEntry[] = [];
    for (const item of chunk) {
      const parcel = parcels.get(item.parcelId);
      if (!parcel) {
        results.push(notFound(item, countyId));
        continue;
      }
      const result = decide(deps, parcel, item, (stationId) => towns.has(stationId));
      results.push(result.result);
      if (!result.kept) continue;
      parcels.set(parcel.id, result.kept.parcel);
      kept.push(result.kept);
      events.push(...result.events);
    }
    await writeFacts(tx, kept);
    await deps.outbox.addMany(tx, events);
  }
  return results.sort((a, b) => a.index - b.index);
}

function decide(
  deps: ApplyDeps,
  loaded: ParcelRecord,
  item: RouteFactItem,
  isTownStation: (stationId: string) => boolean,
): { result: DispatchItemResult; kept?: KeptFact & { parcel: ParcelRecord }; events: OutboxEntry[] } {
  const { index, parcelId, fact } = item;
  const outcome = decideOnParcel(atTransfer(withTownLeg(loaded, item, isTownStation), item, isTownStation), fact);
  if (!outcome.accepted) {
    const { code, reason, reasonZh } = outcome;
    return { result: { index, parcelId, result: 'rejected', code, reason, reasonZh }, events: [] };
  }
  if (outcome.kind === 'duplicate') return { result: { index, parcelId, result: 'duplicate', state: loaded.state }, events: [] };
  // The origin stays the parcel's own (atTransfer only stood a town station in for it in the decision).
  const parcel = withoutTownLeg({ ...outcome.parcel, originStationId: loaded.originStationId }, item);
  const event = parcelEvent(deps.source, parcel, fact, outcome.kind, outcome.supersedes);
  return {
    result: { index, parcelId, result: outcome.kind === 'move' ? 'applied' : outcome.kind, state: parcel.state },
    kept: { parcel, fact, supersedes: outcome.supersedes },
    events: [
      { topic: topics.parcelEvents.name, key: parcel.id, event },
      { topic: courierStatusTopic(parcel.courierId), key: parcel.id, event },
    ],
  };
}

function notFound(item: RouteFactItem, countyId: string): DispatchItemResult {
  return {
    index: item.index,
    parcelId: item.parcelId,
    result: 'rejected',
    code: 'PARCEL_NOT_FOUND',
    reason: `no parcel ${item.parcelId} in county ${countyId}`,
    reasonZh: `本县没有该包裹（${item.parcelId}）`,
  };
}
