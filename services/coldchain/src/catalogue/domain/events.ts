import type { ParcelEventData, ParcelEventType, RouteParcel } from '@county/contracts';
import { compartmentOf } from './containers.js';
import type { CustodyFact, EndKind } from './custody.js';

/**
 * What coldchain takes from dispatch's and intake's events about cold-chain parcels (issue #11 "Bindings"):
 * dispatch says which parcels ride a route's refrigerated compartment, when it left or collected them, where it
 * handed them over and when it came back; intake's parcel events say where a parcel was scanned and when it was
 * delivered or handed to the line-haul.
 */

/** A parcel riding a confirmed route's refrigerated compartment. */
export interface RouteLoad {
  routeId: string;
  parcelId: string;
  vehicleId: string;
  depotStationId: string;
  direction: 'downstream' | 'upstream';
}

/** What coldchain keeps of a cold-chain parcel, from whichever event names it first. */
export interface ColdParcel {
  parcelId: string;
  courierId: string | null;
  direction: 'downstream' | 'upstream' | null;
  profileId: string | null;
}

export interface ParcelFact {
  parcelId: string;
  fact: CustodyFact;
  /** A loading at the parcel's collection (upstream): pre-cooling counts from it. */
  collected: boolean;
}

/** Compliance is recorded when a cold-chain parcel is handed over at a stop, delivered, or handed to the line-haul. */
export interface ComplianceTrigger {
  parcelId: string;
  at: string;
  cause: 'stop_handed_over' | 'delivered' | 'handed_over';
}

export const isCold = (parcel: Pick<RouteParcel, 'compartment' | 'coldChainProfileId'>) =>
  parcel.compartment === 'refrigerated' || parcel.coldChainProfileId !== undefined;

/** The route's parcels in its refrigerated compartment, and what coldchain learns of each. */
export function routeLoads(route: { routeId: string; vehicleId: string; depotStationId: string; parcels: readonly RouteParcel[] }): {
  loads: RouteLoad[];
  parcels: ColdParcel[];
} {
  const riding = route.parcels.filter((p) => p.compartment === 'refrigerated');
  return {
    loads: riding.map((p) => ({ routeId: route.routeId, parcelId: p.parcelId, vehicleId: route.vehicleId, depotStationId: route.depotStationId, direction: p.direction })),
    parcels: route.parcels
      .filter(isCold)
      .map((p) => ({ parcelId: p.parcelId, courierId: p.courierId, direction: p.direction, profileId: p.coldChainProfileId ?? null })),
  };
}

const utc = (instant: string) => new Date(instant).toISOString();

/** The route's loads among `parcelIds` (of one direction, or both). */
function loadsAmong(loads: ReadonlyMap<string, RouteLoad>, parcelIds: readonly string[], direction?: RouteLoad['direction']): RouteLoad[] {
  return parcelIds.flatMap((id) => {
    const load = loads.get(id);
    return load && (direction === undefined || load.direction === direction) ? [load] : [];
  });
}

/** Dispatch's field events as custody facts of the route's refrigerated parcels, and the compliance they call for. */
export type DispatchFieldEvent =
  | { type: 'dispatch.route_departed'; data: { departedAt: string; parcelIds: string[] } }
  | { type: 'dispatch.pickups_collected'; data: { collectedAt: string; parcelIds: string[] } }
  | { type: 'dispatch.stop_handed_over'; data: { handedOverAt: string; stationId: string; parcelIds: string[] } }
  | { type: 'dispatch.route_returned'; data: { returnedAt: string; depotStationId: string; collectedParcelIds: string[]; undeliveredParcelIds: string[] } };

export function dispatchFacts(event: DispatchFieldEvent, loads: ReadonlyMap<string, RouteLoad>): { facts: ParcelFact[]; triggers: ComplianceTrigger[] } {
  switch (event.type) {
    case 'dispatch.route_departed': {
      const at = utc(event.data.departedAt);
      const facts = loadsAmong(loads, event.data.parcelIds, 'downstream').map((l) => loaded(l, at, false));
      return { facts, triggers: [] };
    }
    case 'dispatch.pickups_collected': {
      const at = utc(event.data.collectedAt);
      return { facts: loadsAmong(loads, event.data.parcelIds, 'upstream').map((l) => loaded(l, at, true)), triggers: [] };
    }
    case 'dispatch.stop_handed_over': {
      const at = utc(event.data.handedOverAt);
      const handed = loadsAmong(loads, event.data.parcelIds);
      return {
        facts: handed.map((l) => ({ parcelId: l.parcelId, fact: { kind: 'at_station', at, stationId: event.data.stationId }, collected: false })),
        triggers: handed.map((l) => ({ parcelId: l.parcelId, at, cause: 'stop_handed_over' })),
      };
    }
    case 'dispatch.route_returned': {
      const at = utc(event.data.returnedAt);
      const back = loadsAmong(loads, [...event.data.collectedParcelIds, ...event.data.undeliveredParcelIds]);
      return { facts: back.map((l) => ({ parcelId: l.parcelId, fact: { kind: 'at_station', at, stationId: event.data.depotStationId }, collected: false })), triggers: [] };
    }
    default: {
      const never: never = event;
      throw new Error(`unknown dispatch event ${JSON.stringify(never)}`);
    }
  }
}

function loaded(load: RouteLoad, at: string, collected: boolean): ParcelFact {
  return { parcelId: load.parcelId, fact: { kind: 'loaded', at, containerId: compartmentOf(load.vehicleId) }, collected };
}

const ends: Partial<Record<ParcelEventType, EndKind>> = {
  'parcel.delivered': 'delivered',
  'parcel.handed_over': 'handed_over',
  'parcel.returned': 'returned',
  'parcel.lost': 'lost',
};

/** Scans that put a parcel at a station (or the center), when the scan names the station. */
const atStation: ReadonlySet<ParcelEventType> = new Set(['parcel.received', 'parcel.arrived_at_town', 'parcel.arrived_at_station', 'parcel.arrived_at_center']);

/**
 * A parcel event as what coldchain learns: a cold-chain parcel (its manifest or booking names a profile), a scan
 * at a station, or the end of its custody. Scans reported by dispatch's route facts name no station: dispatch's
 * own event says it.
 */
export function parcelEventFacts(type: ParcelEventType, data: ParcelEventData): { parcel?: ColdParcel; fact?: ParcelFact; trigger?: ComplianceTrigger } {
  const at = utc(data.fact.occurredAt);
  if (type === 'parcel.manifested' || type === 'parcel.booked') {
    const profileId = data.parcel?.coldChainProfileId;
    return profileId === undefined ? {} : { parcel: { parcelId: data.parcelId, courierId: data.courierId, direction: data.direction, profileId } };
  }
  const end = ends[type];
  if (end) {
    const fact: ParcelFact = { parcelId: data.parcelId, fact: { kind: 'ended', at, how: end }, collected: false };
    const cause = end === 'delivered' || end === 'handed_over' ? end : undefined;
    return cause ? { fact, trigger: { parcelId: data.parcelId, at, cause } } : { fact };
  }
  if (atStation.has(type) && data.fact.stationId !== undefined) {
    return { fact: { parcelId: data.parcelId, fact: { kind: 'at_station', at, stationId: data.fact.stationId }, collected: false } };
  }
  return {};
}
