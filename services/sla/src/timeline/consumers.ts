import { parcelEventTypes, topics, type Envelope, type MasterDataRecords, type ParcelEventData } from '@county/contracts';
import { RejectedError, type Clock, type ConsumerSpec, type EventHandler, type Outbox, type PoolClient } from '@county/platform';
import type { z } from 'zod';
import type { routeCancelledSchema, routeConfirmedSchema } from '@county/contracts';
import { parcelEventProblem } from './domain/fold.js';
import { foldParcelEvents, remeasureIds } from './evaluate.js';
import { cancelRoute, storeRouteConfirmed } from './route-store.js';
import { lockCountiesForMeasuring, lockCountyForChange, parcelsAwaitingMasterData, upsertMasterData, type MasterRow } from './store.js';

export interface TimelineConsumerDeps {
  service: string;
  outbox: Outbox;
  clock: Clock;
}

/**
 * The timeline's consumers (issue #12 "Read model"), each event applied with its inbox row in one transaction by the
 * platform's runner (effectively once); runs of parcel events folded in one transaction (`handleMany`).
 */

const kept = {
  'masterdata.county_upserted': 'county',
  'masterdata.town_upserted': 'town',
  'masterdata.town_deactivated': 'town',
  'masterdata.village_upserted': 'village',
  'masterdata.village_deactivated': 'village',
  'masterdata.station_upserted': 'station',
  'masterdata.station_deactivated': 'station',
} as const;

/** `masterdata.events`: the county (SLA policy, waves, time zone), towns, villages and stations. */
export function masterDataConsumer(deps: TimelineConsumerDeps): ConsumerSpec {
  const emitter = { outbox: deps.outbox, source: deps.service };
  const handler: EventHandler = {
    handle: async (tx: PoolClient, envelope: Envelope) => {
      const entity = kept[envelope.type as keyof typeof kept];
      const record = envelope.data as MasterDataRecords[typeof entity];
      const recordCounty = entity === 'county' ? (record as { id: string }).id : (record as { countyId: string }).countyId;
      if (recordCounty !== envelope.countyId) {
        throw new RejectedError(`a ${entity} of county ${recordCounty} on an event of county ${envelope.countyId}`, [
          { path: entity === 'county' ? 'data.id' : 'data.countyId', reason: `not the event's county ${envelope.countyId}` },
        ]);
      }
      await lockCountyForChange(tx, envelope.countyId);
      await upsertMasterData(tx, { entity, record } as MasterRow);
      if (entity === 'county' || entity === 'station') {
        // the policy, waves or the station may have come after parcels that needed them: measure those again
        const stationId = entity === 'station' ? (record as { id: string }).id : null;
        const ids = await parcelsAwaitingMasterData(tx, envelope.countyId, stationId);
        for (let i = 0; i < ids.length; i += 1_000) await remeasureIds(tx, emitter, ids.slice(i, i + 1_000), deps.clock(), null);
      }
    },
  };
  return {
    name: `${deps.service}.timeline-masterdata`,
    topics: [topics.masterdata.name],
    handlers: Object.fromEntries(Object.keys(kept).map((type) => [type, handler])),
  };
}

/** `parcel.events`: every parcel's steps by when they happened, its legs, deadline, ETA and alerts. */
export function parcelConsumer(deps: TimelineConsumerDeps): ConsumerSpec {
  const emitter = { outbox: deps.outbox, source: deps.service };
  const checked = (envelope: Envelope) => {
    const event = envelope as Envelope<ParcelEventData>;
    const problem = parcelEventProblem(event);
    if (problem) throw new RejectedError(problem, [{ path: 'subject', reason: problem }]);
    return event;
  };
  const handler: EventHandler = {
    handle: async (tx, envelope) => foldParcelEvents(tx, emitter, [checked(envelope)], deps.clock()),
    // A bad event among them fails the run; the runner then applies its events one by one, so it alone is dead-lettered.
    handleMany: async (tx, events) => foldParcelEvents(tx, emitter, events.map((e) => checked(e.envelope)), deps.clock()),
  };
  return {
    name: `${deps.service}.timeline-parcels`,
    topics: [topics.parcelEvents.name],
    handlers: Object.fromEntries(parcelEventTypes.map((type) => [type, handler])),
  };
}

/** `dispatch.events`: confirmed routes' planned arrivals (ETAs), cancelled routes; each re-measures its parcels. */
export function routeConsumer(deps: TimelineConsumerDeps): ConsumerSpec {
  const emitter = { outbox: deps.outbox, source: deps.service };
  return {
    name: `${deps.service}.timeline-routes`,
    topics: [topics.dispatchEvents.name],
    handlers: {
      'dispatch.route_confirmed': {
        handle: async (tx, envelope) => {
          await lockCountiesForMeasuring(tx, [envelope.countyId]);
          const ids = await storeRouteConfirmed(tx, envelope.countyId, envelope.data as z.infer<typeof routeConfirmedSchema>);
          await remeasureIds(tx, emitter, ids, deps.clock(), null);
        },
      },
      'dispatch.route_cancelled': {
        handle: async (tx, envelope) => {
          await lockCountiesForMeasuring(tx, [envelope.countyId]);
          const ids = await cancelRoute(tx, (envelope.data as z.infer<typeof routeCancelledSchema>).routeId);
          await remeasureIds(tx, emitter, ids, deps.clock(), null);
        },
      },
    },
  };
}
