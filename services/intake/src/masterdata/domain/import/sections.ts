import type { County, Courier, Station, Town, Vehicle, Village } from '@county/contracts';

/** The parts of a county import, in the order they are checked and reported. */
export const sections = ['county', 'towns', 'villages', 'stations', 'couriers', 'vehicles'] as const;
export type Section = (typeof sections)[number];

/** The records of each part once valid. */
export interface SectionRecords {
  county: County;
  towns: Town;
  villages: Village;
  stations: Station;
  couriers: Courier;
  vehicles: Vehicle;
}

/**
 * A whole county as one JSON document: the county and arrays of the rest. Records carry no
 * `countyId`; each takes the county's.
 */
export interface CountyImportDocument {
  county: unknown;
  towns: unknown[];
  villages: unknown[];
  stations: unknown[];
  couriers: unknown[];
  vehicles: unknown[];
}
