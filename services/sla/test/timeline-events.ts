import { randomUUID } from 'node:crypto';
import {
  buildEvent,
  countySchema,
  type County,
  type Envelope,
  type EventType,
  masterDataKey,
  type MasterDataEntity,
  type MasterDataRecords,
  type ParcelEventData,
  type ParcelEventType,
  stationSchema,
  type Station,
} from '@county/contracts';

/**
 * Events as intake and dispatch publish them, for the timeline's suites and bench/sla-fold.ts: master-data records
 * validated by the contracts, each step of a parcel with the parcel's state after it, and confirmed routes.
 */

export function countyRecord(id: string, overrides: Partial<County> = {}): County {
  return countySchema.parse({
    id,
    name: `县 ${id}`,
    timeZone: 'Asia/Shanghai',
    baselineCostPerParcelYuan: 2.6,
    waves: [
      { id: 'am', departure: '07:00', cutoff: '22:00' },
      { id: 'pm', departure: '13:30', cutoff: '12:00' },
    ],
    defaultVehicleType: { name: '面包车', capacityKg: 1000, capacityM3: 6, costPerKmYuan: 2, costPerHourYuan: 30, fixedCostPerDayYuan: 250, maxShiftHours: 10 },
    ...overrides,
  });
}

export function stationRecord(countyId: string, id: string, kind: Station['kind'], overrides: Partial<Station> = {}): Station {
  return stationSchema.parse({
    countyId,
    id,
    name: `${kind} ${id}`,
    kind,
    ...(kind === 'center' ? {} : { townId: 'town-1' }),
    location: { lat: 26.5, lng: 113.8 },
    openingHours: { daily: '08:00-18:00' },
    villageCodes: kind === 'village' ? ['511623100001'] : [],
    ...overrides,
  });
}

const upserted: Record<MasterDataEntity, EventType> = {
  county: 'masterdata.county_upserted',
  town: 'masterdata.town_upserted',
  village: 'masterdata.village_upserted',
  station: 'masterdata.station_upserted',
  courier: 'masterdata.courier_upserted',
  vehicle: 'masterdata.vehicle_upserted',
};

export function masterDataEvent<E extends MasterDataEntity>(entity: E, record: MasterDataRecords[E]): { key: string; event: Envelope } {
  const countyId = entity === 'county' ? (record as County).id : (record as { countyId: string }).countyId;
  const event = buildEvent({ type: upserted[entity], countyId, subject: masterDataKey(entity, record), source: 'intake', data: record } as Parameters<typeof buildEvent>[0]);
  return { key: masterDataKey(entity, record), event };
}

export interface TestParcel {
  id: string;
  countyId: string;
  courierId: string;
  direction: 'downstream' | 'upstream';
  stationId: string;
}

export function testParcel(countyId: string, stationId: string, overrides: Partial<TestParcel> = {}): TestParcel {
  return { id: randomUUID(), countyId, courierId: 'zto', direction: 'downstream', stationId, ...overrides };
}

const stepsOf: Record<string, { type: ParcelEventType; kind: ParcelEventData['fact']['kind']; progress: NonNullable<ParcelEventData['progress']> }> = {
  manifested: { type: 'parcel.manifested', kind: 'manifested', progress: 'manifested' },
  received: { type: 'parcel.received', kind: 'receive', progress: 'received' },
  sorted: { type: 'parcel.sorted', kind: 'route_confirmed', progress: 'sorted' },
  departed: { type: 'parcel.departed', kind: 'route_departed', progress: 'departed' },
  at_town: { type: 'parcel.arrived_at_town', kind: 'stop_handed_over', progress: 'at_town' },
  at_station: { type: 'parcel.arrived_at_station', kind: 'stop_handed_over', progress: 'at_station' },
  delivered: { type: 'parcel.delivered', kind: 'deliver', progress: 'delivered' },
  booked: { type: 'parcel.booked', kind: 'booked', progress: 'booked' },
  collected: { type: 'parcel.collected', kind: 'collect', progress: 'collected' },
  at_center: { type: 'parcel.arrived_at_center', kind: 'center_arrival', progress: 'at_center' },
};

/**
 * The event of a step of the parcel, happened `at`; `state` is the parcel's state after it (a late scan of an earlier
 * step carries the later state it did not change).
 */
export function stepEvent(parcel: TestParcel, step: keyof typeof stepsOf, at: Date, options: { state?: string; routeId?: string } = {}): Envelope<ParcelEventData> {
  const s = stepsOf[step]!;
  const downstream = parcel.direction === 'downstream';
  const state = (options.state ?? s.progress) as ParcelEventData['state'];
  const fact: ParcelEventData['fact'] = {
    id: randomUUID(),
    kind: s.kind,
    occurredAt: at.toISOString(),
    receivedAt: at.toISOString(),
    actor: s.kind === 'manifested' || s.kind === 'booked' ? { keyId: parcel.courierId, role: 'courier' } : { keyId: 'k-center', role: 'operator' },
    ...(['receive', 'deliver', 'collect', 'center_arrival', 'stop_handed_over'].includes(s.kind) ? { stationId: step === 'received' || step === 'at_center' ? 'center' : parcel.stationId } : {}),
    ...(['route_confirmed', 'route_departed', 'stop_handed_over'].includes(s.kind) ? { routeId: options.routeId ?? 'r-1' } : {}),
  };
  const data: ParcelEventData = {
    parcelId: parcel.id,
    courierId: parcel.courierId,
    waybill: `WB-${parcel.id.slice(0, 8)}`,
    direction: parcel.direction,
    state,
    progress: state as ParcelEventData['progress'],
    exception: null,
    destinationStationId: downstream ? parcel.stationId : null,
    originStationId: downstream ? null : parcel.stationId,
    moved: options.state === undefined,
    confirming: false,
    fact,
    supersedes: [],
    ...(step === 'manifested' || step === 'booked'
      ? { parcel: { weightKg: 2, volumeM3: 0.01, declaredValueYuan: 120, serviceType: 'standard' } }
      : {}),
  };
  return buildEvent({ type: s.type, countyId: parcel.countyId, subject: parcel.id, source: 'intake', data, occurredAt: at });
}

/** A confirmed route from the center carrying the parcels to their stations, arriving at `arrival`. */
export function routeConfirmed(countyId: string, routeId: string, parcels: TestParcel[], departure: Date, arrival: Date) {
  const stations = [...new Set(parcels.map((p) => p.stationId))];
  const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const data = {
    routeId,
    planId: 'plan-1',
    date: departure.toISOString().slice(0, 10),
    waveId: 'am',
    vehicleId: 'van-1',
    tier: 'direct' as const,
    depotStationId: 'center',
    plannedDeparture: iso(departure),
    plannedReturn: iso(new Date(arrival.getTime() + 3_600_000)),
    distanceKm: 40,
    durationMinutes: 240,
    cost: { total: 100, fixed: 50, distance: 30, time: 20 },
    stops: stations.map((stationId, i) => ({
      sequence: i + 1,
      stationId,
      plannedArrival: iso(arrival),
      plannedDeparture: iso(new Date(arrival.getTime() + 600_000)),
      deliveries: parcels.filter((p) => p.stationId === stationId && p.direction === 'downstream').map((p) => p.id),
      pickups: parcels.filter((p) => p.stationId === stationId && p.direction === 'upstream').map((p) => p.id),
      loadKgAfter: 0,
      loadM3After: 0,
    })),
    parcels: parcels.map((p) => ({ parcelId: p.id, courierId: p.courierId, direction: p.direction, compartment: 'ambient' as const, stopSequence: stations.indexOf(p.stationId) + 1 })),
  };
  return buildEvent({ type: 'dispatch.route_confirmed', countyId, subject: routeId, source: 'dispatch', data, occurredAt: departure });
}
