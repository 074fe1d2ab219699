import { parcelEventTypes, topics, type Envelope, type ParcelEventData } from '@county/contracts';
import { RejectedError, type Clock, type ConsumerSpec, type EventHandler } from '@county/platform';
import { applyDispatchEvent, dispatchEventsRead } from './apply-dispatch-event.js';
import { applyMasterData, masterDataEventsRead } from './apply-masterdata.js';
import { applyParcelEvents } from './apply-parcel-events.js';
import type { CustodyListener } from './custody.js';

/**
 * The catalogue's consumers (issue #11): containers from master data, bindings from dispatch's and intake's events.
 * Each applies an event with its inbox row in one transaction (effectively once); an event that fails its
 * contract is dead-lettered by the runner with the reason, and the consumer goes on.
 */
export interface CatalogueConsumerDeps {
  service: string;
  clock: Clock;
  /** Told of hand-overs and deliveries, in their transaction: compliance records them. */
  custody: CustodyListener;
}

const handlersFor = (types: readonly string[], handler: EventHandler) => Object.fromEntries(types.map((type) => [type, handler]));

/** `masterdata.events`: seeds each county's profiles; refrigerated compartments and cold rooms become containers. */
export function catalogueMasterDataConsumer(deps: CatalogueConsumerDeps): ConsumerSpec {
  const handler: EventHandler = {
    handle: async (tx, envelope) => {
      const refused = await applyMasterData(tx, envelope, deps.clock());
      if (refused) throw new RejectedError(refused.problem, [{ path: 'data.countyId', reason: refused.problem }]);
    },
  };
  return { name: `${deps.service}.catalogue-masterdata`, topics: [topics.masterdata.name], handlers: handlersFor(masterDataEventsRead, handler) };
}

/** `dispatch.events`: which parcels ride which refrigerated compartment from when to when. */
export function catalogueDispatchConsumer(deps: CatalogueConsumerDeps): ConsumerSpec {
  const handler: EventHandler = { handle: (tx, envelope) => applyDispatchEvent(tx, envelope, deps.clock(), deps.custody) };
  return { name: `${deps.service}.catalogue-dispatch`, topics: [topics.dispatchEvents.name], handlers: handlersFor(dispatchEventsRead, handler) };
}

/**
 * `parcel.events`: cold-chain parcels (a profile on their manifest or booking), scans at stations (cold-room stays),
 * deliveries and line-haul hand-overs. Runs are applied together (`handleMany`): the topic carries every parcel's
 * every move, and one query per run finds the few that are cold-chain parcels (domain/events.ts `parcelEventFacts`
 * says what each type teaches).
 */
export function catalogueParcelConsumer(deps: CatalogueConsumerDeps): ConsumerSpec {
  const apply = (tx: Parameters<EventHandler['handle']>[0], events: Envelope[]) =>
    applyParcelEvents(tx, events as Envelope<ParcelEventData>[], deps.clock(), deps.custody);
  const handler: EventHandler = {
    handle: (tx, envelope) => apply(tx, [envelope]),
    handleMany: (tx, events) => apply(tx, events.map((e) => e.envelope)),
  };
  // Every type, those it does not read included: a type without a handler would end each run (consumer-runs.ts).
  return { name: `${deps.service}.catalogue-parcels`, topics: [topics.parcelEvents.name], handlers: handlersFor(parcelEventTypes, handler) };
}

export function catalogueConsumers(deps: CatalogueConsumerDeps): ConsumerSpec[] {
  return [catalogueMasterDataConsumer(deps), catalogueDispatchConsumer(deps), catalogueParcelConsumer(deps)];
}
