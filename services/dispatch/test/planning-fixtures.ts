// Small hand-made counties for the planner's unit tests: a county seat, stations placed by km north and east of it,
// vehicles and parcels with realistic figures (docs/domain-figures.md), and a WaveInput around them.
import type { County, Station, Vehicle } from '@county/contracts';
import type { DispatchSettings, PoolParcel, WaveInput } from '../src/planning/domain/types.js';

export const SEAT = { lat: 26.49, lng: 113.77 };
export const COUNTY_ID = 'cn-430225';
/** A Tuesday. The wave leaves at 07:00 Beijing time, 23:00 UTC the day before. */
export const DATE = '2025-07-01';

export function county(overrides: Partial<County> = {}): County {
  return {
    id: COUNTY_ID,
    name: '炎陵县',
    timeZone: 'Asia/Shanghai',
    sla: { centerToTownHours: 12, townToVillageHours: 24, centerToVillageHours: 24, villageToCenterHours: 24 },
    baselineCostPerParcelYuan: 2.5,
    waves: [
      { id: 'am', departure: '07:00', cutoff: '22:00' },
      { id: 'pm', departure: '13:00', cutoff: '11:00' },
    ],
    defaultVehicleType: { capacityKg: 1000, capacityM3: 6, costPerKmYuan: 2, costPerHourYuan: 30, fixedCostPerDayYuan: 250, maxShiftHours: 11 },
    ...overrides,
  };
}

export function at(northKm: number, eastKm: number): { lat: number; lng: number } {
  return { lat: Math.round((SEAT.lat + northKm / 111.195) * 1e5) / 1e5, lng: Math.round((SEAT.lng + eastKm / 99.5) * 1e5) / 1e5 };
}

export function station(id: string, kind: Station['kind'], northKm: number, eastKm: number, extra: Partial<Station> = {}): Station {
  return {
    countyId: COUNTY_ID,
    id,
    name: id,
    kind,
    ...(kind === 'center' ? {} : { townId: extra.townId ?? 'town-1' }),
    location: at(northKm, eastKm),
    openingHours: { daily: '08:00-18:00' },
    coldStorageM3: 0,
    serviceFrequency: { kind: 'daily' },
    villageCodes: kind === 'village' ? [`43022510${id.replace(/\D/g, '').padStart(4, '0')}`] : [],
    active: true,
    ...extra,
  } as Station;
}

export function vehicle(id: string, extra: Partial<Vehicle> = {}): Vehicle {
  return {
    countyId: COUNTY_ID,
    id,
    capacityKg: 1000,
    capacityM3: 6,
    costPerKmYuan: 2,
    costPerHourYuan: 30,
    fixedCostPerDayYuan: 250,
    maxShiftHours: 11,
    refrigerated: false,
    owner: { kind: 'center' },
    depotStationId: 'center',
    active: true,
    ...extra,
  } as Vehicle;
}

export function reefer(id: string, extra: Partial<Vehicle> = {}): Vehicle {
  return vehicle(id, { capacityKg: 1500, capacityM3: 8, refrigerated: true, refrigeratedCapacityKg: 800, refrigeratedCapacityM3: 4, costPerKmYuan: 3.5, fixedCostPerDayYuan: 450, ...extra });
}

let serial = 0;
/** A parcel id as intake makes them (a UUID), unique per call. */
export function parcelId(): string {
  serial += 1;
  return `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`;
}

export function parcel(stationId: string, courierId: string, extra: Partial<PoolParcel> = {}): PoolParcel {
  const weightKg = extra.weightKg ?? 1.2;
  return {
    parcelId: parcelId(),
    courierId,
    direction: 'downstream',
    stationId,
    weightKg,
    volumeM3: Math.round(weightKg * 0.006 * 1e6) / 1e6,
    since: '2025-06-30T12:00:00.000Z',
    ...extra,
  };
}

export function parcels(count: number, stationId: string, courierId: string, extra: Partial<PoolParcel> = {}): PoolParcel[] {
  return Array.from({ length: count }, () => parcel(stationId, courierId, extra));
}

export const SETTINGS: DispatchSettings = { mode: 'direct', autoPlan: false, roadFactor: 1.4, averageSpeedKmh: 40, budgetSeconds: 2, seed: 1, serviceMinutes: 10 };

export function waveInput(parts: { stations: Station[]; vehicles: Vehicle[]; parcels: PoolParcel[] } & Partial<WaveInput>): WaveInput {
  const { stations, vehicles, parcels: pool, ...rest } = parts;
  return {
    county: county(),
    date: DATE,
    waveId: 'am',
    departureAt: '2025-06-30T23:00:00.000Z',
    cutoffAt: '2025-06-30T14:00:00.000Z',
    settings: SETTINGS,
    stations,
    centerStationId: 'center',
    vehicles,
    vehiclesUsedToday: [],
    courierIds: [...new Set(pool.map((p) => p.courierId))].sort(),
    parcels: pool,
    fixedLines: [],
    ...rest,
  };
}

/** A county seat, a town and villages around it in a ring 10–25 km out (a hilly county's spread). */
export function ringCounty(villages: number): Station[] {
  const out: Station[] = [station('center', 'center', 0, 0, { openingHours: { daily: '06:00-22:00' } })];
  out.push(station('town-1', 'town', 12, 0));
  for (let i = 0; i < villages; i++) {
    const angle = (2 * Math.PI * i) / villages;
    const km = 10 + (i % 4) * 5;
    out.push(station(`v${i + 1}`, 'village', Math.round(km * Math.cos(angle) * 10) / 10, Math.round(km * Math.sin(angle) * 10) / 10));
  }
  return out;
}

/** Solver-free plan invariants every test can assert: each parcel once, stops in time order, loads add up. */
export function planParcelIds(plan: { routes: { tier: string; stops: { deliveries: string[]; pickups: string[] }[] }[] }): string[] {
  return plan.routes.flatMap((r) => r.stops.flatMap((s) => [...s.deliveries, ...s.pickups]));
}
