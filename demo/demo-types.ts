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

/**
 * What the county's day is made of, beyond master data (demo/county/demand.json, written by
 * demo/generate-county.ts): not part of the import document, read by the simulator (demo/simulator).
 * Figures cite docs/domain-figures.md or say they are assumptions.
 */
export interface DemoDemand {
  countyId: string;
  /** The seed the county and this file were generated with. */
  seed: number;
  /** Downstream parcels a normal day, all couriers (the simulator scales it by its `scale`). */
  downstreamParcelsPerDay: number;
  /** Upstream parcels (produce and village sellers' goods) as a share of downstream, out of season. */
  upstreamShare: number;
  couriers: DemoCourierDemand[];
  /** Parcel sizes, downstream: weights in kg with their shares (the volume is left to intake's default). */
  parcelWeightsKg: { weightKg: number; share: number }[];
  /** Local times (HH:MM) the couriers' trunk arrivals reach the center, with the share of the day's parcels each brings. */
  arrivals: { at: string; share: number }[];
  produce: DemoProduce[];
  /** Per-day counts of the realistic faults the issue names. */
  faults: {
    damagedParcels: number;
    refusedParcels: number;
    unknownAddresses: number;
    manifestConflicts: number;
    /** Share of station delivery scans uploaded late (hours after the fact), and out of order. */
    lateScanShare: number;
    lateScanDelayHours: [number, number];
    outOfOrderScanShare: number;
  };
  /** The injected cold-chain faults: one excursion on a refrigerated compartment, one silent sensor. */
  coldChain: {
    readingEverySeconds: number;
    excursion: { vehicleId: string; at: string; minutes: number; peakC: number };
    silentSensor: { vehicleId: string; from: string };
  };
}

export interface DemoCourierDemand {
  courierId: string;
  /** Downstream parcels a normal day. */
  parcelsPerDay: number;
  /** How the courier announces: manifests on Kafka (`courier.manifests`) or REST batches. */
  channel: 'kafka' | 'rest';
  manifestsPerDay: number;
}

export interface DemoProduce {
  id: string;
  name: string;
  nameZh: string;
  /** coldchain's seeded profile the parcels are bound to. */
  profileId: string;
  /** The harvest season, MM-DD to MM-DD (may wrap over the new year). */
  season: { from: string; to: string };
  boxWeightsKg: number[];
  /** Village stations that book produce pickups in season, with bookings a day each. */
  stations: { stationId: string; bookingsPerDay: number; parcelsPerBooking: [number, number] }[];
}
