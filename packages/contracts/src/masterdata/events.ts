import type { z } from 'zod';
import type { EventDefinition } from '../registry.js';
import { countyScopedKey } from '../topics.js';
import { countySchema, type County } from './county.js';
import { courierDeactivatedSchema, courierSchema, type Courier } from './courier.js';
import { stationDeactivatedSchema, stationSchema, type Station } from './station.js';
import { townDeactivatedSchema, townSchema, type Town } from './town.js';
import { vehicleDeactivatedSchema, vehicleSchema, type Vehicle } from './vehicle.js';
import { villageDeactivatedSchema, villageSchema, type Village } from './village.js';

/** The record of each kind of master data, as its events carry it. */
export interface MasterDataRecords {
  county: County;
  town: Town;
  village: Village;
  station: Station;
  courier: Courier;
  vehicle: Vehicle;
}
export type MasterDataEntity = keyof MasterDataRecords;

/**
 * Kafka key of an entity's events on `masterdata.events`: `<countyId>/<entity>:<id>`, a village by
 * its code. The topic is compacted on it, so the latest event per key is the entity's current state;
 * ids are unique within a county only, hence the county in the key (topics.ts).
 */
export function masterDataKey<E extends MasterDataEntity>(entity: E, record: MasterDataRecords[E]): string {
  const countyId = entity === 'county' ? (record as County).id : (record as { countyId: string }).countyId;
  return countyScopedKey(countyId, `${entity}:${entityIds[entity](record)}`);
}

const entityIds: { [E in MasterDataEntity]: (record: MasterDataRecords[E]) => string } = {
  county: (county) => county.id,
  town: (town) => town.id,
  village: (village) => village.code,
  station: (station) => station.id,
  courier: (courier) => courier.id,
  vehicle: (vehicle) => vehicle.id,
};

const upserted = <D extends z.ZodType>(entity: MasterDataEntity, data: D) => ({
  version: 1 as const,
  topic: 'masterdata' as const,
  description: `A ${entity} was created or changed (reactivated too); data is its full record.`,
  data,
});

const deactivated = <D extends z.ZodType>(entity: MasterDataEntity, data: D) => ({
  version: 1 as const,
  topic: 'masterdata' as const,
  description: `A ${entity} was taken out of service; data is its full record, active false.`,
  data,
});

/**
 * The master-data events intake publishes (docs/architecture.md §3 "Who owns what"). Every one carries the
 * entity's full record, because compaction keeps only the latest event per key: a consumer applies
 * upserted and deactivated alike by storing the record. The county is never deactivated.
 */
export const masterDataEventDefinitions = {
  'masterdata.county_upserted': { type: 'masterdata.county_upserted', ...upserted('county', countySchema) },
  'masterdata.town_upserted': { type: 'masterdata.town_upserted', ...upserted('town', townSchema) },
  'masterdata.town_deactivated': { type: 'masterdata.town_deactivated', ...deactivated('town', townDeactivatedSchema) },
  'masterdata.village_upserted': { type: 'masterdata.village_upserted', ...upserted('village', villageSchema) },
  'masterdata.village_deactivated': {
    type: 'masterdata.village_deactivated',
    ...deactivated('village', villageDeactivatedSchema),
  },
  'masterdata.station_upserted': { type: 'masterdata.station_upserted', ...upserted('station', stationSchema) },
  'masterdata.station_deactivated': {
    type: 'masterdata.station_deactivated',
    ...deactivated('station', stationDeactivatedSchema),
  },
  'masterdata.courier_upserted': { type: 'masterdata.courier_upserted', ...upserted('courier', courierSchema) },
  'masterdata.courier_deactivated': {
    type: 'masterdata.courier_deactivated',
    ...deactivated('courier', courierDeactivatedSchema),
  },
  'masterdata.vehicle_upserted': { type: 'masterdata.vehicle_upserted', ...upserted('vehicle', vehicleSchema) },
  'masterdata.vehicle_deactivated': {
    type: 'masterdata.vehicle_deactivated',
    ...deactivated('vehicle', vehicleDeactivatedSchema),
  },
} as const satisfies Record<string, EventDefinition>;
