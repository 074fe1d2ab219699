import type { Envelope, RouteParcel } from '@county/contracts';
import type { PoolClient } from '@county/platform';
import { applyCustody, type CustodyListener } from './custody.js';
import { dispatchFacts, routeLoads, type DispatchFieldEvent } from './domain/events.js';
import { deleteRouteLoads, registerColdParcels, routeLoadsOf, saveRouteLoads } from './store/custody.js';

interface RouteData {
  routeId: string;
  vehicleId: string;
  depotStationId: string;
}

/**
 * One dispatch event (issue #11 "Bindings"): a confirmed route's refrigerated parcels are remembered; its departure
 * (downstream) and pickups (upstream) load them into `<vehicleId>/refrigerated`; a hand-over puts them at the
 * station (its cold room if it has one) and calls for their compliance record; the return puts what is still on
 * board at the depot. A cancelled route forgets its parcels. Events of one route arrive in order (keyed by route).
 */
export async function applyDispatchEvent(tx: PoolClient, envelope: Envelope, at: Date, listener: CustodyListener): Promise<void> {
  const { countyId } = envelope;
  const route = envelope.data as RouteData;
  switch (envelope.type) {
    case 'dispatch.route_confirmed': {
      const { loads, parcels } = routeLoads({ ...route, parcels: (envelope.data as { parcels: RouteParcel[] }).parcels });
      await registerColdParcels(tx, countyId, parcels);
      await saveRouteLoads(tx, countyId, loads);
      return;
    }
    case 'dispatch.route_cancelled':
      await deleteRouteLoads(tx, countyId, route.routeId);
      return;
    case 'dispatch.route_departed':
    case 'dispatch.pickups_collected':
    case 'dispatch.stop_handed_over':
    case 'dispatch.route_returned': {
      const loads = await routeLoadsOf(tx, countyId, route.routeId);
      if (loads.size === 0) return;
      const { facts, triggers } = dispatchFacts({ type: envelope.type, data: envelope.data } as DispatchFieldEvent, loads);
      await applyCustody(tx, { countyId, eventId: envelope.id, parcels: [], facts, triggers }, at, listener);
      return;
    }
    default:
      return;
  }
}

/** The dispatch events the catalogue reads. */
export const dispatchEventsRead = [
  'dispatch.route_confirmed',
  'dispatch.route_cancelled',
  'dispatch.route_departed',
  'dispatch.pickups_collected',
  'dispatch.stop_handed_over',
  'dispatch.route_returned',
] as const;
