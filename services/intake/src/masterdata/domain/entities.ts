import {
  countySchema,
  courierSchema,
  stationSchema,
  townSchema,
  vehicleSchema,
  villageSchema,
  type EventType,
  type MasterDataEntity,
  type MasterDataRecords,
} from '@county/contracts';
import type { z } from 'zod';
import type { Section } from './import/index.js';

/**
 * The kinds of master data (packages/contracts/src/masterdata) as intake stores them: one
 * `masterdata` row per record (migration 0001), `entity` the singular name the events use, `id`
 * the record's id (a village's is its 12-digit code).
 */
export interface EntitySpec<E extends MasterDataEntity> {
  entity: E;
  /** The REST collection: `/towns`, `/villages`, … */
  collection: string;
  /** The part of a county import holding these records. */
  section: Section;
  /** The property holding the id: `code` for villages, `id` for the rest. */
  idField: keyof MasterDataRecords[E] & string;
  schema: z.ZodType<MasterDataRecords[E]>;
  upserted: EventType;
  /** Absent for the county, which is never deactivated. */
  deactivated?: EventType;
}

export const entitySpecs: { [E in MasterDataEntity]: EntitySpec<E> } = {
  county: { entity: 'county', collection: 'counties', section: 'county', idField: 'id', schema: countySchema, upserted: 'masterdata.county_upserted' },
  town: {
    entity: 'town',
    collection: 'towns',
    section: 'towns',
    idField: 'id',
    schema: townSchema,
    upserted: 'masterdata.town_upserted',
    deactivated: 'masterdata.town_deactivated',
  },
  village: {
    entity: 'village',
    collection: 'villages',
    section: 'villages',
    idField: 'code',
    schema: villageSchema,
    upserted: 'masterdata.village_upserted',
    deactivated: 'masterdata.village_deactivated',
  },
  station: {
    entity: 'station',
    collection: 'stations',
    section: 'stations',
    idField: 'id',
    schema: stationSchema,
    upserted: 'masterdata.station_upserted',
    deactivated: 'masterdata.station_deactivated',
  },
  courier: {
    entity: 'courier',
    collection: 'couriers',
    section: 'couriers',
    idField: 'id',
    schema: courierSchema,
    upserted: 'masterdata.courier_upserted',
    deactivated: 'masterdata.courier_deactivated',
  },
  vehicle: {
    entity: 'vehicle',
    collection: 'vehicles',
    section: 'vehicles',
    idField: 'id',
    schema: vehicleSchema,
    upserted: 'masterdata.vehicle_upserted',
    deactivated: 'masterdata.vehicle_deactivated',
  },
};

/** Every entity but the county: the ones with a collection, deactivation and a countyId field. */
export type CountyPart = Exclude<MasterDataEntity, 'county'>;
export const countyParts: readonly CountyPart[] = ['town', 'village', 'station', 'courier', 'vehicle'];

/** One record of any kind, tagged with its kind. */
export type AnyRecord = { [E in MasterDataEntity]: { entity: E; record: MasterDataRecords[E] } }[MasterDataEntity];

export function recordId<E extends MasterDataEntity>(entity: E, record: MasterDataRecords[E]): string {
  return String(record[entitySpecs[entity].idField]);
}

/** The county's own id is its `id`; every other record carries `countyId`. */
export function countyIdOfRecord({ entity, record }: AnyRecord): string {
  return entity === 'county' ? record.id : record.countyId;
}

/** Whether the record is in service; the county always is. */
export function isActive({ entity, record }: AnyRecord): boolean {
  return entity === 'county' ? true : record.active;
}

/** `masterdata.<entity>_upserted`, or `_deactivated` for a record out of service. */
export function eventTypeOf(item: AnyRecord): EventType {
  const spec = entitySpecs[item.entity];
  return isActive(item) || !spec.deactivated ? spec.upserted : spec.deactivated;
}
