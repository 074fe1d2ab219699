/**
 * The CSV form of the demo county: the six files and columns of
 * services/intake/src/masterdata/domain/import/README.md, written the way a spreadsheet exports them.
 */
import type { DemoCounty, DemoStation } from './demo-types.js';

type Cell = string | number | boolean | undefined;

/** Excel opens UTF-8 as the local code page (GBK in China) unless the file starts with a BOM. */
const BOM = '\uFEFF';

export function countyCsvFiles(demo: DemoCounty): Record<string, string> {
  const { county } = demo;
  const vehicleType = county.defaultVehicleType;
  return {
    'county.csv': table([
      ['id', 'name', 'admin_code', 'time_zone', 'sla_center_to_town_h', 'sla_town_to_village_h', 'sla_center_to_village_h',
        'sla_village_to_center_h', 'baseline_cost_per_parcel_yuan', 'waves', 'default_vehicle_name', 'default_vehicle_capacity_kg',
        'default_vehicle_capacity_m3', 'default_vehicle_cost_per_km_yuan', 'default_vehicle_cost_per_hour_yuan',
        'default_vehicle_fixed_cost_per_day_yuan', 'default_vehicle_max_shift_h'],
      [county.id, county.name, county.adminCode, county.timeZone, county.sla.centerToTownHours, county.sla.townToVillageHours,
        county.sla.centerToVillageHours, county.sla.villageToCenterHours, county.baselineCostPerParcelYuan,
        county.waves.map((wave) => `${wave.id}=${wave.departure}/${wave.cutoff}`).join(';'), vehicleType.name, vehicleType.capacityKg,
        vehicleType.capacityM3, vehicleType.costPerKmYuan, vehicleType.costPerHourYuan, vehicleType.fixedCostPerDayYuan,
        vehicleType.maxShiftHours],
    ]),
    'towns.csv': table([['id', 'code', 'name', 'active'], ...demo.towns.map((town) => [town.id, town.code, town.name, town.active])]),
    'villages.csv': table([
      ['code', 'name', 'town_id', 'poverty_registered', 'active'],
      // Chinese booleans, as a county office's spreadsheet would have them.
      ...demo.villages.map((village) => [village.code, village.name, village.townId, village.povertyRegistered ? '是' : '否', village.active ? '是' : '否']),
    ]),
    'stations.csv': table([
      ['id', 'name', 'kind', 'town_id', 'lat', 'lng', 'address', 'opening_hours', 'cold_storage_m3', 'frequency', 'frequency_anchor',
        'frequency_weekdays', 'villages', 'active'],
      ...demo.stations.map((station) => [station.id, station.name, station.kind, station.townId, station.location.lat, station.location.lng,
        station.address, openingHours(station), station.coldStorageM3, ...frequency(station), station.villageCodes.join(';'), station.active]),
    ]),
    'couriers.csv': table([['id', 'brand', 'name', 'active'], ...demo.couriers.map((courier) => [courier.id, courier.brand, courier.name, courier.active])]),
    'vehicles.csv': table([
      ['id', 'name', 'plate', 'capacity_kg', 'capacity_m3', 'refrigerated', 'refrigerated_capacity_kg', 'refrigerated_capacity_m3',
        'cost_per_km_yuan', 'cost_per_hour_yuan', 'fixed_cost_per_day_yuan', 'max_shift_h', 'owner', 'depot_station_id', 'active'],
      ...demo.vehicles.map((vehicle) => [vehicle.id, vehicle.name, vehicle.plate, vehicle.capacityKg, vehicle.capacityM3, vehicle.refrigerated,
        vehicle.refrigeratedCapacityKg, vehicle.refrigeratedCapacityM3, vehicle.costPerKmYuan, vehicle.costPerHourYuan,
        vehicle.fixedCostPerDayYuan, vehicle.maxShiftHours, vehicle.owner.kind === 'center' ? 'center' : vehicle.owner.courierId,
        vehicle.depotStationId, vehicle.active]),
    ]),
  };
}

function openingHours({ openingHours: hours }: DemoStation): string {
  return hours.daily ?? Object.entries(hours).map(([day, range]) => `${day}=${range}`).join(';');
}

function frequency({ serviceFrequency: frequency }: DemoStation): Cell[] {
  switch (frequency?.kind) {
    case undefined:
      return [undefined, undefined, undefined];
    case 'daily':
      return ['daily', undefined, undefined];
    case 'every_n_days':
      return [`every_${frequency.everyDays}_days`, frequency.anchorDate, undefined];
    case 'weekdays':
      return ['weekdays', undefined, frequency.weekdays.join(';')];
  }
}

function table(rows: Cell[][]): string {
  return BOM + rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** RFC 4180: quote a value holding a comma, quote or line break, doubling its quotes. */
function cell(value: Cell): string {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
