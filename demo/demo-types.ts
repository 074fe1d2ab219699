/**
 * The demo county as the import document's JSON form holds it (the contracts' schemas in
 * packages/contracts/src/masterdata are the authority; the import tests check these files against them).
 */
export interface Point {
  lat: number;
  lng: number;
}

type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface DemoVillage {
  code: string;
  name: string;
  townId: string;
  povertyRegistered: boolean;
  active?: boolean;
}

export interface DemoStation {
  id: string;
  name: string;
  kind: 'center' | 'town' | 'village';
  townId: string;
  location: Point;
  address?: string;
  openingHours: Partial<Record<Weekday | 'daily', string>>;
  coldStorageM3: number;
  serviceFrequency?:
    | { kind: 'daily' }
    | { kind: 'every_n_days'; everyDays: number; anchorDate: string }
    | { kind: 'weekdays'; weekdays: Weekday[] };
  villageCodes: string[];
  active?: boolean;
}

export interface DemoVehicle {
  id: string;
  name: string;
  plate: string;
  capacityKg: number;
  capacityM3: number;
  refrigerated: boolean;
  refrigeratedCapacityKg?: number;
  refrigeratedCapacityM3?: number;
  costPerKmYuan: number;
  costPerHourYuan: number;
  fixedCostPerDayYuan: number;
  maxShiftHours: number;
  owner: { kind: 'center' } | { kind: 'courier'; courierId: string };
  depotStationId: string;
  active: boolean;
}

export interface DemoCounty {
  county: {
    id: string;
    name: string;
    adminCode: string;
    timeZone: string;
    sla: { centerToTownHours: number; townToVillageHours: number; centerToVillageHours: number; villageToCenterHours: number };
    baselineCostPerParcelYuan: number;
    waves: { id: string; departure: string; cutoff: string }[];
    defaultVehicleType: {
      name: string;
      capacityKg: number;
      capacityM3: number;
      costPerKmYuan: number;
      costPerHourYuan: number;
      fixedCostPerDayYuan: number;
      maxShiftHours: number;
    };
  };
  towns: { id: string; code: string; name: string; active: boolean }[];
  villages: DemoVillage[];
  stations: DemoStation[];
  couriers: { id: string; brand: string; name: string; active: boolean }[];
  vehicles: DemoVehicle[];
}
