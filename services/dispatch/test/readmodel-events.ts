import { randomUUID } from 'node:crypto';
import {
  buildEvent,
  countySchema,
  courierSchema,
  type County,
  type Courier,
  type Envelope,
  type EventType,
  masterDataKey,
  type MasterDataEntity,
  type MasterDataRecords,
  type ParcelEventData,
  type ParcelEventType,
  stationSchema,
  type Station,
  vehicleSchema,
  type Vehicle,
} from '@county/contracts';

/**
 * Events as intake publishes them (services/intake: masterdata/domain/events.ts and parcels/domain/events.ts), for
 * the read model's suites and bench/dispatch-events.ts: master-data records validated by the contracts, and each
 * step of a parcel's life with the parcel's state after it.
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
    location: { lat: 26.49 + id.length * 0.01, lng: 113.77 + id.charCodeAt(id.length - 1) * 0.001 },
    openingHours: { daily: '08:00-18:00' },
    villageCodes: kind === 'village' ? [villageCode(id)] : [],
    ...overrides,
  });
}

export function courierRecord(countyId: string, id: string, overrides: Partial<Courier> = {}): Courier {
  return courierSchema.parse({ countyId, id, brand: 'other', name: `courier ${id}`, ...overrides });
}

export function vehicleRecord(countyId: string, id: string, overrides: Partial<Vehicle> = {}): Vehicle {
  return vehicleSchema.parse({
    countyId,
    id,
    capacityKg: 1000,
    capacityM3: 6,
    costPerKmYuan: 2,
    costPerHourYuan: 30,
    fixedCostPerDayYuan: 250,
    maxShiftHours: 10,
    owner: { kind: 'center' },
    depotStationId: 'center',
    ...overrides,
  });
}

function villageCode(stationId: string): string {
  let n = 0;
  for (const ch of stationId) n = (n * 31 + ch.charCodeAt(0)) % 1_000_000;
  return `511623${String(n).padStart(6, '0')}`;
}

const upserted: Record<MasterDataEntity, EventType> = {
  county: 'masterdata.county_upserted',
  town: 'masterdata.town_upserted',
  village: 'masterdata.village_upserted',
  station: 'masterdata.station_upserted',
  courier: 'masterdata.courier_upserted',
  vehicle: 'masterdata.vehicle_upserted',
};

/** The event intake publishes for a record, and its key on `masterdata.events`. */
export function masterDataEvent<E extends MasterDataEntity>(entity: E, record: MasterDataRecords[E], at = new Date()): { key: string; event: Envelope } {
  const active = entity === 'county' || (record as { active: boolean }).active;
  const type = (active ? upserted[entity] : upserted[entity].replace('_upserted', '_deactivated')) as EventType;
  const countyId = entity === 'county' ? (record as County).id : (record as { countyId: string }).countyId;
  const id = entity === 'county' ? (record as County).id : entity === 'village' ? (record as { code: string }).code : (record as { id: string }).id;
  const event = buildEvent({ type, countyId, subject: id, source: 'intake', data: record, occurredAt: at } as Parameters<typeof buildEvent>[0]);
  return { key: masterDataKey(entity, record), event };
}

export interface TestParcel {
  id: string;
  countyId: string;
  courierId: string;
  waybill: string;
  direction: 'downstream' | 'upstream';
  /** Destination (downstream) or origin (upstream). */
  stationId: string;
  weightKg: number;
  volumeM3: number;
  coldChainProfileId?: string;
}

let waybills = 0;

export function testParcel(countyId: string, stationId: string, overrides: Partial<TestParcel> = {}): TestParcel {
  waybills += 1;
  return {
    id: randomUUID(),
    countyId,
    courierId: 'zto',
    waybill: `ZT${String(Date.now() % 1e9).padStart(9, '0')}${waybills}`,
    direction: 'downstream',
    stationId,
    weightKg: 1.5,
    volumeM3: 0.009,
    ...overrides,
  };
}

type Step = {
  type: ParcelEventType;
  kind: ParcelEventData['fact']['kind'];
  state: ParcelEventData['state'];
  progress: ParcelEventData['progress'];
  stationId?: string;
  routeId?: string;
  content?: boolean;
  exception?: ParcelEventData['exception'];
  destination?: string;
};

/** One `parcel.*` event: the fact, and the parcel after it. */
function parcelEvent(parcel: TestParcel, step: Step, at: Date): Envelope<ParcelEventData> {
  const iso = at.toISOString();
  const downstream = parcel.direction === 'downstream';
  const data: ParcelEventData = {
    parcelId: parcel.id,
    courierId: parcel.courierId,
    waybill: parcel.waybill,
    direction: parcel.direction,
    state: step.state,
    progress: step.progress,
    exception: step.exception ?? null,
    destinationStationId: downstream ? (step.destination ?? parcel.stationId) : null,
    originStationId: downstream ? null : parcel.stationId,
    moved: true,
    confirming: false,
    fact: {
      id: randomUUID(),
      kind: step.kind,
      occurredAt: iso,
      receivedAt: iso,
      actor: step.kind === 'manifested' || step.kind === 'booked' ? { keyId: parcel.courierId, role: 'courier' } : { keyId: 'k-center', role: 'operator' },
      ...(step.stationId ? { stationId: step.stationId } : {}),
      ...(step.routeId ? { routeId: step.routeId } : {}),
    },
    supersedes: [],
    ...(step.content
      ? {
          parcel: {
            weightKg: parcel.weightKg,
            volumeM3: parcel.volumeM3,
            serviceType: 'standard',
            ...(parcel.coldChainProfileId ? { coldChainProfileId: parcel.coldChainProfileId } : {}),
            ...(downstream ? { recipient: { name: '张**', phone: '139****0001' } } : {}),
          },
        }
      : {}),
  };
  return buildEvent({ type: step.type, countyId: parcel.countyId, subject: parcel.id, source: 'intake', data, occurredAt: at });
}

/** The events of a parcel's life, each as intake publishes it; keyed by parcel id on `parcel.events`. */
export const parcelEvents = {
  manifested: (p: TestParcel, at: Date) => parcelEvent(p, { type: 'parcel.manifested', kind: 'manifested', state: 'manifested', progress: 'manifested', content: true }, at),
  received: (p: TestParcel, at: Date) =>
    parcelEvent(p, { type: 'parcel.received', kind: 'receive', state: 'received', progress: 'received', stationId: 'center' }, at),
  sorted: (p: TestParcel, at: Date, routeId: string) =>
    parcelEvent(p, { type: 'parcel.sorted', kind: 'route_confirmed', state: 'sorted', progress: 'sorted', routeId }, at),
  sortCancelled: (p: TestParcel, at: Date, routeId: string) =>
    parcelEvent(p, { type: 'parcel.sort_cancelled', kind: 'route_cancelled', state: 'received', progress: 'received', routeId }, at),
  departed: (p: TestParcel, at: Date, routeId: string) =>
    parcelEvent(p, { type: 'parcel.departed', kind: 'route_departed', state: 'departed', progress: 'departed', routeId }, at),
  handedOver: (p: TestParcel, at: Date, routeId: string) =>
    parcelEvent(p, { type: 'parcel.arrived_at_station', kind: 'stop_handed_over', state: 'at_station', progress: 'at_station', stationId: p.stationId, routeId }, at),
  /** Refused at the station: it stays on board (`departed`) with the exception open. */
  refusedOnBoard: (p: TestParcel, at: Date) =>
    parcelEvent(p, { type: 'parcel.refused', kind: 'refused', state: 'departed', progress: 'departed', stationId: p.stationId, exception: { kind: 'refused', since: at.toISOString() } }, at),
  damaged: (p: TestParcel, at: Date) =>
    parcelEvent(p, { type: 'parcel.damaged', kind: 'damaged', state: 'received', progress: 'received', stationId: 'center', exception: { kind: 'damaged', since: at.toISOString() } }, at),
  addressCorrected: (p: TestParcel, at: Date, destination: string) =>
    parcelEvent(p, { type: 'parcel.address_corrected', kind: 'address_corrected', state: 'received', progress: 'received', destination }, at),
  booked: (p: TestParcel, at: Date) => parcelEvent(p, { type: 'parcel.booked', kind: 'booked', state: 'booked', progress: 'booked', content: true }, at),
  /** Two-tier: handed over at its town station by a trunk route (the village loop takes it on). */
  atTown: (p: TestParcel, at: Date, routeId: string, townStationId: string) =>
    parcelEvent(p, { type: 'parcel.arrived_at_town', kind: 'stop_handed_over', state: 'at_town', progress: 'at_town', stationId: townStationId, routeId }, at),
  collected: (p: TestParcel, at: Date) =>
    parcelEvent(p, { type: 'parcel.collected', kind: 'collect', state: 'collected', progress: 'collected', stationId: p.stationId }, at),
};
