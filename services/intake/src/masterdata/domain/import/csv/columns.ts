import type { Section } from '../sections.js';
import { boolean, frequency, list, number, openingHours, owner, text, waves, type CellReader } from './cells.js';

/**
 * One column of an import file: its header, where its value goes in the JSON form of the record,
 * whether the header must have it, and how its cells read. README.md documents them for operators.
 */
export interface CsvColumn {
  name: string;
  path: readonly string[];
  required: boolean;
  read: CellReader;
}

export interface CsvFile {
  name: string;
  columns: readonly CsvColumn[];
}

const required = (name: string, path: string, read: CellReader = text): CsvColumn => ({ name, path: path.split('.'), required: true, read });
const optional = (name: string, path: string, read: CellReader = text): CsvColumn => ({ name, path: path.split('.'), required: false, read });

/** Columns are read in this order, so a frequency's anchor and weekdays land inside its kind. */
export const csvFiles: Record<Section, CsvFile> = {
  county: {
    name: 'county.csv',
    columns: [
      required('id', 'id'),
      required('name', 'name'),
      optional('admin_code', 'adminCode'),
      optional('time_zone', 'timeZone'),
      optional('sla_center_to_town_h', 'sla.centerToTownHours', number),
      optional('sla_town_to_village_h', 'sla.townToVillageHours', number),
      optional('sla_center_to_village_h', 'sla.centerToVillageHours', number),
      optional('sla_village_to_center_h', 'sla.villageToCenterHours', number),
      required('baseline_cost_per_parcel_yuan', 'baselineCostPerParcelYuan', number),
      required('waves', 'waves', waves),
      optional('default_vehicle_name', 'defaultVehicleType.name'),
      required('default_vehicle_capacity_kg', 'defaultVehicleType.capacityKg', number),
      required('default_vehicle_capacity_m3', 'defaultVehicleType.capacityM3', number),
      required('default_vehicle_cost_per_km_yuan', 'defaultVehicleType.costPerKmYuan', number),
      required('default_vehicle_cost_per_hour_yuan', 'defaultVehicleType.costPerHourYuan', number),
      required('default_vehicle_fixed_cost_per_day_yuan', 'defaultVehicleType.fixedCostPerDayYuan', number),
      required('default_vehicle_max_shift_h', 'defaultVehicleType.maxShiftHours', number),
    ],
  },
  towns: {
    name: 'towns.csv',
    columns: [required('id', 'id'), optional('code', 'code'), required('name', 'name'), optional('active', 'active', boolean)],
  },
  villages: {
    name: 'villages.csv',
    columns: [
      required('code', 'code'),
      required('name', 'name'),
      required('town_id', 'townId'),
      optional('poverty_registered', 'povertyRegistered', boolean),
      optional('active', 'active', boolean),
    ],
  },
  stations: {
    name: 'stations.csv',
    columns: [
      required('id', 'id'),
      required('name', 'name'),
      required('kind', 'kind'),
      required('town_id', 'townId'),
      required('lat', 'location.lat', number),
      required('lng', 'location.lng', number),
      optional('address', 'address'),
      required('opening_hours', 'openingHours', openingHours),
      optional('cold_storage_m3', 'coldStorageM3', number),
      optional('frequency', 'serviceFrequency', frequency),
      optional('frequency_anchor', 'serviceFrequency.anchorDate'),
      optional('frequency_weekdays', 'serviceFrequency.weekdays', list),
      required('villages', 'villageCodes', list),
      optional('active', 'active', boolean),
    ],
  },
  couriers: {
    name: 'couriers.csv',
    columns: [required('id', 'id'), required('brand', 'brand'), required('name', 'name'), optional('active', 'active', boolean)],
  },
  vehicles: {
    name: 'vehicles.csv',
    columns: [
      required('id', 'id'),
      optional('name', 'name'),
      optional('plate', 'plate'),
      required('capacity_kg', 'capacityKg', number),
      required('capacity_m3', 'capacityM3', number),
      optional('refrigerated', 'refrigerated', boolean),
      optional('refrigerated_capacity_kg', 'refrigeratedCapacityKg', number),
      optional('refrigerated_capacity_m3', 'refrigeratedCapacityM3', number),
      required('cost_per_km_yuan', 'costPerKmYuan', number),
      required('cost_per_hour_yuan', 'costPerHourYuan', number),
      required('fixed_cost_per_day_yuan', 'fixedCostPerDayYuan', number),
      required('max_shift_h', 'maxShiftHours', number),
      required('owner', 'owner', owner),
      required('depot_station_id', 'depotStationId'),
      optional('active', 'active', boolean),
    ],
  },
};

/**
 * The column holding a property of a record: the one whose path is the longest prefix of it
 * (`location.lat` is `lat`; `villageCodes.3` is `villages`; `owner.courierId` is `owner`).
 */
export function columnOf(file: CsvFile, path: readonly PropertyKey[]): string | null {
  let best: CsvColumn | undefined;
  for (const column of file.columns) {
    const prefix = column.path.every((key, position) => String(path[position]) === key);
    if (prefix && column.path.length <= path.length && column.path.length > (best?.path.length ?? 0)) best = column;
  }
  return best?.name ?? (path.length === 0 ? null : path.map(String).join('.'));
}
