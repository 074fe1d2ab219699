import type { Compartment } from '@county/contracts';
import { isPending, type FieldRoute, type ParcelStatus, type RouteConfirmed, type RouteStatus, type StopExceptionKind } from './route.js';

/** A parcel as the driver finds it: on the shelf by waybill, at the station by (masked) recipient. */
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
  exceptions: { kind: StopExceptionKind; occurredAt: string; parcelIds: string[] }[];
}

/** One step of loading at the center: a stop's parcels for one compartment, the last stop's first. */
export interface LoadingStep {
  step: number;
  stopSequence: number;
  stationId: string;
  compartment: Compartment;
  parcels: { parcelId: string; waybill: string | null }[];
}

export interface CompartmentLoad {
  compartment: Compartment;
  /** What coldchain binds parcels to (`<vehicleId>/<compartment>`, packages/contracts events/dispatch.ts). */
  containerId: string;
  deliveries: number;
  pickups: number;
  coldChainProfileIds: string[];
}

export interface RouteSheet {
  routeId: string;
  planId: string;
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
  compartments: CompartmentLoad[];
  loadingOrder: LoadingStep[];
  stops: SheetStop[];
}

const COMPARTMENTS: readonly Compartment[] = ['refrigerated', 'ambient'];

/**
 * The driver's route sheet: stops in driving order with their planned times, what to unload and collect at
 * each, the order to load at the center (last stop loaded first, so the first stop's parcels are at the door),
 * the compartments in use, and what the field events reported so far.
 */
export function routeSheet(route: FieldRoute): RouteSheet {
  const { data } = route;
  // Still to do reads `loaded` downstream (on board) and `planned` upstream (booked, to collect), whichever of
  // the two confirm wrote.
  const statusOf = new Map(route.parcels.map((p) => [p.parcelId, isPending(p) ? (p.direction === 'upstream' ? 'planned' : 'loaded') : p.status] as const));
  const parcelOf = new Map(
    data.parcels.map((p): [string, SheetParcel] => [
      p.parcelId,
      {
        parcelId: p.parcelId,
        courierId: p.courierId,
        waybill: p.waybill ?? null,
        recipient: p.recipient ?? null,
        compartment: p.compartment,
        coldChainProfileId: p.coldChainProfileId ?? null,
        status: statusOf.get(p.parcelId) ?? 'loaded',
      },
    ]),
  );
  const sheetParcels = (ids: readonly string[]) => ids.flatMap((id) => parcelOf.get(id) ?? []);
  const stops = [...data.stops].sort((a, b) => a.sequence - b.sequence);

  return {
    routeId: data.routeId,
    planId: data.planId,
    date: data.date,
    waveId: data.waveId,
    vehicleId: data.vehicleId,
    tier: data.tier,
    depotStationId: data.depotStationId,
    status: route.status,
    plannedDeparture: data.plannedDeparture,
    plannedReturn: data.plannedReturn,
    departedAt: route.departedAt,
    returnedAt: route.returnedAt,
    cancelledAt: route.cancelledAt,
    distanceKm: data.distanceKm,
    durationMinutes: data.durationMinutes,
    compartments: compartments(route),
    loadingOrder: loadingOrder(stops, sheetParcels),
    stops: stops.map((stop) => ({
      sequence: stop.sequence,
      stationId: stop.stationId,
      plannedArrival: stop.plannedArrival,
      plannedDeparture: stop.plannedDeparture,
      loadKgAfter: stop.loadKgAfter,
      loadM3After: stop.loadM3After,
      arrivedAt: route.log.find((e) => e.kind === 'arrival' && e.sequence === stop.sequence)?.occurredAt ?? null,
      unload: sheetParcels(stop.deliveries),
      collect: sheetParcels(stop.pickups),
      exceptions: route.log
        .filter((e) => e.kind === 'exception' && e.sequence === stop.sequence)
        .map((e) => ({ kind: e.exceptionKind!, occurredAt: e.occurredAt, parcelIds: e.parcelIds })),
    })),
  };
}

function loadingOrder(stops: RouteConfirmed['stops'], sheetParcels: (ids: readonly string[]) => SheetParcel[]): LoadingStep[] {
  const steps: LoadingStep[] = [];
  for (const stop of [...stops].reverse()) {
    const parcels = sheetParcels(stop.deliveries);
    for (const compartment of COMPARTMENTS) {
      const inIt = parcels.filter((p) => p.compartment === compartment);
      if (inIt.length === 0) continue;
      steps.push({
        step: steps.length + 1,
        stopSequence: stop.sequence,
        stationId: stop.stationId,
        compartment,
        parcels: inIt.map((p) => ({ parcelId: p.parcelId, waybill: p.waybill })),
      });
    }
  }
  return steps;
}

function compartments(route: FieldRoute): CompartmentLoad[] {
  return COMPARTMENTS.flatMap((compartment) => {
    const inIt = route.data.parcels.filter((p) => p.compartment === compartment);
    if (inIt.length === 0) return [];
    return [
      {
        compartment,
        containerId: `${route.vehicleId}/${compartment}`,
        deliveries: inIt.filter((p) => p.direction === 'downstream').length,
        pickups: inIt.filter((p) => p.direction === 'upstream').length,
        coldChainProfileIds: [...new Set(inIt.flatMap((p) => p.coldChainProfileId ?? []))].sort(),
      },
    ];
  });
}
