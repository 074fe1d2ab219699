import type { County, Courier, Station, Town, Vehicle } from '@county/contracts';

/**
 * The master data dispatch plans with (the read model): the county (waves, time zone, SLA policy, surveyed
 * baseline, default vehicle type), towns, stations, couriers and vehicles. Villages are left out: a station
 * carries the village codes it serves, and parcels arrive with their station resolved by intake.
 */
export interface KeptRecords {
  county: County;
  town: Town;
  station: Station;
  courier: Courier;
  vehicle: Vehicle;
}
export type KeptEntity = keyof KeptRecords;

/** Every master-data event dispatch applies, and the entity it describes. Upserts and deactivations alike carry the full record. */
export const keptEventTypes = {
  'masterdata.county_upserted': 'county',
  'masterdata.town_upserted': 'town',
  'masterdata.town_deactivated': 'town',
  'masterdata.station_upserted': 'station',
  'masterdata.station_deactivated': 'station',
  'masterdata.courier_upserted': 'courier',
  'masterdata.courier_deactivated': 'courier',
  'masterdata.vehicle_upserted': 'vehicle',
  'masterdata.vehicle_deactivated': 'vehicle',
} as const satisfies Record<string, KeptEntity>;
export type KeptEventType = keyof typeof keptEventTypes;

export interface KeptRow {
  countyId: string;
  entity: KeptEntity;
  id: string;
  record: KeptRecords[KeptEntity];
  /** The county is never deactivated. */
  active: boolean;
}

/**
 * The row an event stores, or why it cannot be stored: a record of another county than the event's (the
 * compacted topic is shared by counties, keyed by county, so this is a producer's bug, not a fact).
 */
export function keptRow(type: KeptEventType, countyId: string, record: KeptRecords[KeptEntity]): { row: KeptRow } | { problem: { path: string; reason: string } } {
  const entity = keptEventTypes[type];
  if (entity === 'county') {
    const county = record as County;
    if (county.id !== countyId) return { problem: { path: 'data.id', reason: `the county ${county.id} is not the event's county ${countyId}` } };
    return { row: { countyId, entity, id: county.id, record, active: true } };
  }
  const part = record as Town | Station | Courier | Vehicle;
  if (part.countyId !== countyId) {
    return { problem: { path: 'data.countyId', reason: `a ${entity} of county ${part.countyId} on an event of county ${countyId}` } };
  }
  return { row: { countyId, entity, id: part.id, record, active: part.active } };
}
