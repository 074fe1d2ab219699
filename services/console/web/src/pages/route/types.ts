/**
 * The shapes the driver's page reads, as services/dispatch/src/field (store.ts `RouteSummary`, domain/sheet.ts
 * `RouteSheet`) and intake's master data answer them (only the fields the page uses).
 */
export type RouteStatus = 'confirmed' | 'departed' | 'returned' | 'cancelled';
export type ParcelStatus = 'planned' | 'loaded' | 'handed_over' | 'collected' | 'exception' | 'undelivered' | 'returned' | 'cancelled';
export type Compartment = 'refrigerated' | 'ambient';

/** `GET /dispatch/routes` → `{ routes: RouteSummary[] }` */
export interface RouteSummary {
  routeId: string;
  date: string;
  waveId: string;
  vehicleId: string;
  tier: 'direct' | 'trunk' | 'village';
  status: RouteStatus;
  plannedDeparture: string;
  plannedReturn: string;
  departedAt: string | null;
  returnedAt: string | null;
  cancelledAt: string | null;
  stops: number;
  deliveries: number;
  pickups: number;
}

export interface SheetParcel {
  parcelId: string;
  courierId: string;
  waybill: string | null;
  recipient: { name: string; phone: string } | null;
  compartment: Compartment;
  coldChainProfileId: string | null;
  status: ParcelStatus;
}

export interface SheetStop {
  sequence: number;
  stationId: string;
  plannedArrival: string;
  plannedDeparture: string;
  loadKgAfter: number;
  loadM3After: number;
  arrivedAt: string | null;
  unload: SheetParcel[];
  collect: SheetParcel[];
  exceptions: { kind: 'station_closed' | 'damaged' | 'refused'; occurredAt: string; parcelIds: string[] }[];
}

export interface LoadingStep {
  step: number;
  stopSequence: number;
  stationId: string;
  compartment: Compartment;
  parcels: { parcelId: string; waybill: string | null }[];
}

/** `GET /dispatch/routes/:routeId/sheet` */
export interface RouteSheet {
  routeId: string;
  date: string;
  waveId: string;
  vehicleId: string;
  tier: 'direct' | 'trunk' | 'village';
  depotStationId: string;
  status: RouteStatus;
  plannedDeparture: string;
  plannedReturn: string;
  departedAt: string | null;
  returnedAt: string | null;
  cancelledAt: string | null;
  distanceKm: number;
  durationMinutes: number;
  compartments: { compartment: Compartment; containerId: string; deliveries: number; pickups: number; coldChainProfileIds: string[] }[];
  loadingOrder: LoadingStep[];
  stops: SheetStop[];
}

/** intake's `GET /stations` items (what the page shows of them). */
export interface Station {
  id: string;
  name: string;
  kind: 'center' | 'town' | 'village';
  address?: string;
}

/** Still to do at a stop: parcels on board to hand over, booked produce to collect. */
export const toHandOver = (stop: SheetStop) => stop.unload.filter((p) => p.status === 'loaded');
export const toCollect = (stop: SheetStop) => stop.collect.filter((p) => p.status === 'planned');

/**
 * The stop the driver is at or heading to: on a departed route, the first stop in driving order not yet reached or
 * with something still to do there (a stop reported closed is passed: its parcels stay on board).
 */
export function currentStop(sheet: RouteSheet): SheetStop | undefined {
  if (sheet.status !== 'departed') return undefined;
  const closed = (s: SheetStop) => s.exceptions.some((e) => e.kind === 'station_closed');
  return sheet.stops.find((s) => !closed(s) && (s.arrivedAt === null || toHandOver(s).length > 0 || toCollect(s).length > 0));
}
