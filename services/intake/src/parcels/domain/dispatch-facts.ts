import type {
  Actor,
  DispatchEventType,
  ParcelFact,
  pickupsCollectedSchema,
  routeCancelledSchema,
  routeConfirmedSchema,
  routeDepartedSchema,
  routeReturnedSchema,
  stopExceptionSchema,
  stopHandedOverSchema,
} from '@county/contracts';
import type { z } from 'zod';
import type { ParcelRecord } from './parcel.js';

/**
 * What intake makes of dispatch's events (docs/architecture.md §3 "Who owns what"; issue #10): the fact each
 * listed parcel gets, applied through the transition table like any scan. Pure: the use case loads
 * the parcels, decides each fact and writes what was accepted.
 */

/** The dispatch events intake applies; the others (a stop reached, a wave's cost) move no parcel. */
export const appliedDispatchEvents = [
  'dispatch.route_confirmed',
  'dispatch.route_departed',
  'dispatch.stop_handed_over',
  'dispatch.pickups_collected',
  'dispatch.stop_exception',
  'dispatch.route_returned',
  'dispatch.route_cancelled',
] as const satisfies readonly DispatchEventType[];
export type AppliedDispatchEvent = (typeof appliedDispatchEvents)[number];

export interface DispatchEventData {
  'dispatch.route_confirmed': z.output<typeof routeConfirmedSchema>;
  'dispatch.route_departed': z.output<typeof routeDepartedSchema>;
  'dispatch.stop_handed_over': z.output<typeof stopHandedOverSchema>;
  'dispatch.pickups_collected': z.output<typeof pickupsCollectedSchema>;
  'dispatch.stop_exception': z.output<typeof stopExceptionSchema>;
  'dispatch.route_returned': z.output<typeof routeReturnedSchema>;
  'dispatch.route_cancelled': z.output<typeof routeCancelledSchema>;
}

/** The envelope fields a fact is made from. */
export interface DispatchEventMeta {
  /** The event id: with the parcel id, the fact's id, so a redelivered event is one effect. */
  id: string;
  /** The publishing service: the actor's key id. */
  source: string;
  /** When the event happened, for facts whose data carries no time of their own. */
  occurredAt: string;
  /** When intake received it. */
  receivedAt: string;
}

/** One parcel of an event and the fact it gets. */
export interface RouteFactItem {
  /** The parcel's position in the event's list (`itemsPath`), for dead letters of refused parcels. */
  index: number;
  parcelId: string;
  fact: ParcelFact;
  /**
   * Where a trunk route (two-tier) hands the parcel to a village loop: its town station, when this
   * station turns out to be a town station other than its destination.
   */
  trunkStopStationId?: string;
  /** A trunk route cancelled: the parcel no longer has a town leg once it is back in the pool. */
  leavesTrunk?: boolean;
  /**
   * A trunk route (two-tier) collecting at this station: when it is a town station other than the parcel's origin,
   * it is produce a village loop collected and left there (`atTransfer`).
   */
  transferStationId?: string;
}

/** A parcel listed on the event that intake has nothing to apply to, and why. */
export interface SkippedItem {
  index: number;
  parcelId: string;
  reason: string;
}

export interface DispatchFacts {
  items: RouteFactItem[];
  skipped: SkippedItem[];
}

/** Where each event lists its parcels in `data`: refused ones are dead-lettered by their index there. */
export const dispatchItemsPath: Readonly<Record<AppliedDispatchEvent, string>> = {
  'dispatch.route_confirmed': 'parcels',
  'dispatch.route_departed': 'parcelIds',
  'dispatch.stop_handed_over': 'parcelIds',
  'dispatch.pickups_collected': 'parcelIds',
  'dispatch.stop_exception': 'parcelIds',
  'dispatch.route_returned': 'collectedParcelIds',
  'dispatch.route_cancelled': 'parcelIds',
};

/** Fact ids of dispatch's events: the event and the parcel, so each event moves each parcel once. */
export function dispatchFactId(eventId: string, parcelId: string): string {
  return `dispatch:${eventId}:${parcelId.toLowerCase()}`;
}

/** The facts a dispatch event reports, one per listed parcel it applies to. */
export function dispatchFacts<T extends AppliedDispatchEvent>(type: T, data: DispatchEventData[T], meta: DispatchEventMeta): DispatchFacts {
  const actor: Actor = { keyId: meta.source, role: 'service' };
  const base = (parcelId: string, occurredAt: string) => ({
    id: dispatchFactId(meta.id, parcelId),
    occurredAt,
    receivedAt: meta.receivedAt,
    actor,
  });
  const event = { type, data } as AnyDispatchEvent;
  switch (event.type) {
    case 'dispatch.route_confirmed': {
      const { data } = event;
      const stations = new Map(data.stops.map((stop) => [stop.sequence, stop.stationId]));
      const items: RouteFactItem[] = [];
      const skipped: SkippedItem[] = [];
      data.parcels.forEach((parcel, index) => {
        const parcelId = parcel.parcelId.toLowerCase();
        if (parcel.direction === 'upstream') {
          skipped.push({ index, parcelId, reason: 'an upstream pickup is planned by its route, not moved: it moves when collected' });
          return;
        }
        const trunkStop = data.tier === 'trunk' ? stations.get(parcel.stopSequence) : undefined;
        items.push({
          index,
          parcelId,
          fact: { ...base(parcelId, meta.occurredAt), kind: 'route_confirmed', routeId: data.routeId },
          ...(trunkStop ? { trunkStopStationId: trunkStop } : {}),
        });
      });
      return { items, skipped };
    }
    case 'dispatch.route_departed': {
      const { data } = event;
      return listed(data.parcelIds, (parcelId) => ({ ...base(parcelId, data.departedAt), kind: 'route_departed', routeId: data.routeId }));
    }
    case 'dispatch.route_cancelled': {
      const { data } = event;
      const facts = listed(data.parcelIds, (parcelId) => ({
        ...base(parcelId, meta.occurredAt),
        kind: 'route_cancelled',
        routeId: data.routeId,
        reason: data.reason,
      }));
      if (data.tier === 'trunk') for (const item of facts.items) item.leavesTrunk = true;
      return facts;
    }
    case 'dispatch.stop_handed_over': {
      const { data } = event;
      return listed(data.parcelIds, (parcelId) => ({
        ...base(parcelId, data.handedOverAt),
        kind: 'stop_handed_over',
        routeId: data.routeId,
        stationId: data.stationId,
      }));
    }
    case 'dispatch.pickups_collected': {
      const { data } = event;
      const facts = listed(data.parcelIds, (parcelId) => ({ ...base(parcelId, data.collectedAt), kind: 'collect', stationId: data.stationId }));
      if (data.tier === 'trunk') for (const item of facts.items) item.transferStationId = data.stationId;
      return facts;
    }
    case 'dispatch.stop_exception': {
      const { data } = event;
      const kind = data.kind;
      if (kind === 'station_closed') {
        // The lifecycle has no fact for it: the parcels stay on board and their state says so.
        const skipped = data.parcelIds.map((parcelId, index) => ({ index, parcelId: parcelId.toLowerCase(), reason: 'station closed: the parcel stays on board' }));
        return { items: [], skipped };
      }
      return listed(data.parcelIds, (parcelId) => ({
        ...base(parcelId, data.reportedAt),
        kind,
        stationId: data.stationId,
        ...(data.reason?.trim() ? { reason: data.reason.trim() } : {}),
      }));
    }
    case 'dispatch.route_returned': {
      const { data } = event;
      if (data.tier === 'village') {
        // A village loop ends at its town station: the produce is not at the center yet.
        const skipped = data.collectedParcelIds.map((parcelId, index) => ({
          index,
          parcelId: parcelId.toLowerCase(),
          reason: `a village loop returns to its town station ${data.depotStationId}, not to the center`,
        }));
        return { items: [], skipped };
      }
      return listed(data.collectedParcelIds, (parcelId) => ({
        ...base(parcelId, data.returnedAt),
        kind: 'center_arrival',
        stationId: data.depotStationId,
      }));
    }
    default:
      return unreachable(event);
  }
}

type AnyDispatchEvent = { [T in AppliedDispatchEvent]: { type: T; data: DispatchEventData[T] } }[AppliedDispatchEvent];

function listed(parcelIds: readonly string[], factOf: (parcelId: string) => ParcelFact): DispatchFacts {
  const items = parcelIds.map((raw, index) => {
    const parcelId = raw.toLowerCase();
    return { index, parcelId, fact: factOf(parcelId) };
  });
  return { items, skipped: [] };
}

function unreachable(value: never): never {
  throw new Error(`unhandled dispatch event ${JSON.stringify(value)}`);
}

/** States a parcel can be in while its route has not left yet: a town leg may still be given or taken. */
const AT_CENTER = new Set(['manifested', 'received', 'sorted']);

/**
 * The parcel as a trunk route's confirmation leaves it: handed over at a town station other than its
 * destination, that station is its town station (the lifecycle then moves it to `at_town` there and
 * to `at_station` at its village). Only while it is still at the center.
 */
export function withTownLeg(parcel: ParcelRecord, item: RouteFactItem, isTownStation: (stationId: string) => boolean): ParcelRecord {
  const stop = item.trunkStopStationId;
  if (stop === undefined || parcel.direction !== 'downstream' || !AT_CENTER.has(parcel.state)) return parcel;
  if (stop === parcel.destinationStationId || !isTownStation(stop)) return parcel;
  return { ...parcel, townStationId: stop };
}

/** The parcel once a trunk route's cancellation took it back to the pool: no town leg any more. */
export function withoutTownLeg(parcel: ParcelRecord, item: RouteFactItem): ParcelRecord {
  return item.leavesTrunk && parcel.state === 'received' && parcel.townStationId !== null ? { ...parcel, townStationId: null } : parcel;
}

/**
 * Two-tier produce: a village loop collected it at its origin and left it at its town station (its return there
 * moves nothing); a trunk route then collects it at that town station. That second `collect` is kept in the
 * timeline without moving the parcel (it confirms `collected`): for the decision only, the town station stands in
 * for the origin the table asks a collect to name. Only for a parcel already collected, at an active town station.
 * The parcel intake keeps has its own origin back (apply-dispatch-facts.ts).
 */
export function atTransfer(parcel: ParcelRecord, item: RouteFactItem, isTownStation: (stationId: string) => boolean): ParcelRecord {
  const at = item.transferStationId;
  if (at === undefined || parcel.direction !== 'upstream' || parcel.state === 'booked' || parcel.originStationId === at || !isTownStation(at)) return parcel;
  return { ...parcel, originStationId: at };
}
