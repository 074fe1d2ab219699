import type { Compartment, EventData } from '@county/contracts';

/**
 * A confirmed route as the driver's field events see it: the `dispatch.route_confirmed` data it was confirmed
 * with, where it stands, what became of each parcel, and the field events accepted so far.
 */
export type RouteConfirmed = EventData<'dispatch.route_confirmed'>;

export type RouteStatus = 'confirmed' | 'departed' | 'returned' | 'cancelled';

/** `route_parcels.status` (migration 0002). Confirm writes `loaded` (or `planned`); field events move it on. */
export type ParcelStatus = 'planned' | 'loaded' | 'handed_over' | 'collected' | 'exception' | 'undelivered' | 'returned' | 'cancelled';

export type Direction = 'downstream' | 'upstream';

export interface FieldParcel {
  parcelId: string;
  direction: Direction;
  stopSequence: number;
  compartment: Compartment;
  status: ParcelStatus;
}

export type FieldEventKind = 'departure' | 'arrival' | 'handover' | 'pickups' | 'exception' | 'return' | 'cancel';

export type StopExceptionKind = 'station_closed' | 'damaged' | 'refused';

/** One accepted field event, as the sheet and the ordering rules need it. */
export interface FieldLogEntry {
  clientEventId: string;
  kind: FieldEventKind;
  sequence: number | null;
  exceptionKind: StopExceptionKind | null;
  occurredAt: string;
  parcelIds: string[];
}

export interface FieldRoute {
  routeId: string;
  countyId: string;
  vehicleId: string;
  status: RouteStatus;
  departedAt: string | null;
  returnedAt: string | null;
  cancelledAt: string | null;
  data: RouteConfirmed;
  parcels: FieldParcel[];
  log: FieldLogEntry[];
}

/** Still to do at its stop: on board to unload (downstream), or booked to collect (upstream). */
export function isPending(parcel: FieldParcel): boolean {
  return parcel.status === 'loaded' || parcel.status === 'planned';
}
