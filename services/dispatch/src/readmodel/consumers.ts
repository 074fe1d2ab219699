import { parcelEventTypes, topics, type Envelope, type MasterDataRecords, type ParcelEventData } from '@county/contracts';
import { RejectedError, type ConsumerSpec, type EventHandler, type PoolClient } from '@county/platform';
import { keptEventTypes, keptRow, type KeptEntity, type KeptEventType } from './domain/masterdata.js';
import { foldParcelEvents, parcelEventProblem } from './domain/parcel-fold.js';
import { applyParcelChanges, upsertMasterData } from './store.js';

/**
 * The read model's consumers (the "Its own read model"). Each event is applied with its inbox row in one
 * transaction by the platform's runner (effectively once); an event that fails its contract is dead-lettered by
 * the runner with the reason, one the read model refuses (RejectedError) after its attempts, and the consumer
 * goes on.
 */

/** `masterdata.events`: the county, towns, stations, couriers and vehicles; keys and villages are not its business. */
export function masterDataConsumer(service: string): ConsumerSpec {
  const handler: EventHandler = {
    handle: async (tx: PoolClient, envelope: Envelope) => {
      const result = keptRow(envelope.type as KeptEventType, envelope.countyId, envelope.data as MasterDataRecords[KeptEntity]);
      if ('problem' in result) throw new RejectedError(result.problem.reason, [result.problem]);
      await upsertMasterData(tx, result.row);
    },
  };
  return {
    name: `${service}.masterdata`,
    topics: [topics.masterdata.name],
    handlers: Object.fromEntries(Object.keys(keptEventTypes).map((type) => [type, handler])),
  };
}

/**
 * `parcel.events`: every parcel's state, station, size, profile and the start of its SLA clock. Runs of events
 * are folded into one write per parcel (`handleMany`): one transaction per event managed about 250 events/s,
 * far below the 5,000 (README "Figures").
 */
export function parcelConsumer(service: string): ConsumerSpec {
  const checked = (envelope: Envelope) => {
    const event = envelope as Envelope<ParcelEventData>;
    const problem = parcelEventProblem(event);
    if (problem) throw new RejectedError(problem, [{ path: 'subject', reason: problem }]);
    return event;
  };
  const handler: EventHandler = {
    handle: async (tx: PoolClient, envelope: Envelope) => applyParcelChanges(tx, foldParcelEvents([checked(envelope)])),
    // A bad event among them fails the run; the runner then applies its events one by one, so it alone is dead-lettered.
    handleMany: async (tx, events) => applyParcelChanges(tx, foldParcelEvents(events.map((e) => checked(e.envelope)))),
  };
  return {
    name: `${service}.parcels`,
    topics: [topics.parcelEvents.name],
    handlers: Object.fromEntries(parcelEventTypes.map((type) => [type, handler])),
  };
}
