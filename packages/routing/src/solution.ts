import type { Minute } from './problem.js';

/** Units as in the problem: km, minutes, kg, m³, currency. */
export interface CostBreakdown {
  readonly fixed: number;
  readonly distance: number;
  readonly time: number;
  readonly total: number;
}

export interface Visit {
  readonly stopId: string;
  readonly arrival: Minute;
  /** Service start: arrival, or the window's opening when the vehicle waits. */
  readonly start: Minute;
  readonly departure: Minute;
  /** On board when leaving the stop. */
  readonly loadKg: number;
  readonly loadM3: number;
}

export interface Route {
  readonly vehicleId: string;
  readonly vehicleTypeId: string;
  readonly departure: Minute;
  /** Back at the depot. */
  readonly return: Minute;
  /** On board when leaving the depot: every delivery of the route. */
  readonly startLoadKg: number;
  readonly startLoadM3: number;
  readonly visits: readonly Visit[];
  readonly distanceKm: number;
  readonly durationMinutes: number;
  readonly cost: CostBreakdown;
}

/**
 * Why a stop is not served.
 * - `no_refrigerated_vehicle`: it needs cold chain and no vehicle type is refrigerated.
 * - `capacity`: too heavy or bulky for any vehicle that may carry it, or every vehicle is full.
 * - `time_window`: no vehicle can reach it within its opening hours (alone, or beside the others).
 * - `shift_length`: it can be reached in time but not with the driver back before the shift ends.
 * - `deferred`: an optional stop whose penalty is cheaper than serving it (or no room is left).
 */
export type UnassignedReason = 'no_refrigerated_vehicle' | 'capacity' | 'time_window' | 'shift_length' | 'deferred';

export interface Unassigned {
  readonly stopId: string;
  readonly reason: UnassignedReason;
}

export interface Solution {
  /** Only vehicles that leave the depot. */
  readonly routes: readonly Route[];
  readonly unassigned: readonly Unassigned[];
  readonly totals: {
    readonly distanceKm: number;
    readonly durationMinutes: number;
    readonly vehiclesUsed: number;
    /** `penalty` is the sum of the penalties of deferred optional stops; it is part of `total`. */
    readonly cost: CostBreakdown & { readonly penalty: number };
  };
  /** Ruin-and-recreate iterations run. */
  readonly iterations: number;
}
