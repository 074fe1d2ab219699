/**
 * The routing problem as the dispatch service states it.
 *
 * Units everywhere: distance in km, time in minutes (clock times are minutes since the start of
 * the planning day, so 07:00 is 420), weight in kg, volume in m³, money in the county's currency
 * (yuan). Omitted optional numbers mean "no limit" for capacities and windows and 0 for amounts.
 */

/** Minutes since the start of the planning day. */
export type Minute = number;

/** A point on the map, in decimal degrees (WGS-84). */
export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
}

/** A row/column of `travel.matrix` (matrix travel), or a point (coordinate travel). */
export type Location = { readonly index: number } | GeoPoint;

/** Service must start within [open, close]; it may end after close. */
export interface TimeWindow {
  readonly open: Minute;
  readonly close: Minute;
}

/** Keeps a stop on one vehicle; stops locked to the same vehicle are visited in `position` order. */
export interface Lock {
  readonly vehicleId: string;
  readonly position: number;
}

export interface Stop {
  readonly id: string;
  readonly location: Location;
  /** Loaded at the depot, unloaded here. */
  readonly deliveryKg?: number;
  readonly deliveryM3?: number;
  /** Loaded here, carried back to the depot. */
  readonly pickupKg?: number;
  readonly pickupM3?: number;
  readonly serviceMinutes?: number;
  readonly timeWindow?: TimeWindow;
  /** Its goods need a refrigerated vehicle; its kg count against the refrigerated capacity. */
  readonly refrigerated?: boolean;
  /** An optional stop may be deferred to a later wave at this cost; without it the stop is mandatory. */
  readonly optional?: { readonly penalty: number };
  readonly lock?: Lock;
}

export interface Depot {
  readonly location: Location;
  /** Vehicles leave no earlier than `open` (their shift start) and are back by `close`. */
  readonly open?: Minute;
  readonly close?: Minute;
}

export interface VehicleType {
  readonly id: string;
  readonly capacityKg?: number;
  readonly capacityM3?: number;
  readonly refrigerated?: boolean;
  /** Part of `capacityKg` that is refrigerated; defaults to all of it on a refrigerated type. */
  readonly refrigeratedCapacityKg?: number;
  /** Charged once for every vehicle that leaves the depot. */
  readonly fixedCostPerDay: number;
  readonly costPerKm: number;
  /** Charged for the shift from departure to return, waiting included. */
  readonly costPerHour: number;
  /** Longest time from departure to return. */
  readonly maxShiftMinutes?: number;
  /** How many vehicles of this type exist; omitted = as many as needed. */
  readonly count?: number;
  /** Names of the vehicles (then `count` is their number); else they are `${id}-1`, `${id}-2`, … */
  readonly vehicleIds?: readonly string[];
  /** Where these vehicles start and end (a courier's own depot); defaults to the problem's depot. */
  readonly depot?: Depot;
  /** Departure time (never before the depot opens); defaults to the depot's `open`, else 0. */
  readonly shiftStart?: Minute;
}

export type Travel =
  | {
      /** Square matrices indexed by `Location.index`: road km and driving minutes from row to column. */
      readonly matrix: {
        readonly distanceKm: readonly (readonly number[])[];
        readonly durationMinutes: readonly (readonly number[])[];
      };
    }
  | {
      /** Road km = great-circle km × roadFactor; minutes = road km / averageSpeedKmh × 60. */
      readonly roadFactor: number;
      readonly averageSpeedKmh: number;
    };

export interface Problem {
  readonly depot: Depot;
  readonly stops: readonly Stop[];
  readonly vehicleTypes: readonly VehicleType[];
  readonly travel: Travel;
}

export interface SolveOptions {
  /** Seed of the pseudo-random generator; the same seed and iteration limit give the same plan. */
  readonly seed?: number;
  /** Ruin-and-recreate iterations; with neither limit given, 10,000. */
  readonly iterations?: number;
  /** Caps the run; when no iteration limit is given the cooling schedule follows the clock. */
  readonly timeLimitMs?: number;
  /** Milliseconds clock used only to enforce the time limit. */
  readonly now?: () => number;
}
