import type { Compartment, CostSplit, County, Station, Vehicle, VehicleType } from '@county/contracts';

/**
 * The seam between dispatch's read model and its planner: everything one wave's plan depends on, read in one go
 * (`readmodel/wave-input.ts` builds it from the tables the consumers keep), and the draft plan the planner returns
 * (pure: `planning/domain`). Instants are ISO-8601 UTC strings; dates `YYYY-MM-DD` in the county's time zone.
 */

/** How a county runs its routes (dispatch's own per-county settings, `PUT /dispatch/settings`). */
export type DispatchMode = 'direct' | 'two_tier' | 'fixed_lines';

export interface DispatchSettings {
  mode: DispatchMode;
  /** Plan each wave automatically at its cut-off (the confirm stays with an operator). */
  autoPlan: boolean;
  /** Great-circle km × roadFactor, at averageSpeedKmh, when no matrix was uploaded. */
  roadFactor: number;
  averageSpeedKmh: number;
  /** The planner's default time budget for a whole plan (consolidated and counterfactual; planning `DEFAULT_PLAN_BUDGET_SECONDS`), and its default seed. */
  budgetSeconds: number;
  seed: number;
  /** Minutes a vehicle spends at a stop (hand-over, pickups). */
  serviceMinutes: number;
}

/** A county's fixed line (固定线路): ordered stations served on given weekdays by one vehicle (or one of a type). */
export interface FixedLine {
  id: string;
  name: string;
  stationIds: string[];
  vehicleId: string;
  /** ISO weekdays 1 (Monday) … 7 (Sunday). */
  weekdays: number[];
}

/** A distance/duration matrix from the county's map provider: rows and columns in `stationIds` order. */
export interface TravelMatrix {
  stationIds: string[];
  distanceKm: number[][];
  durationMinutes: number[][];
}

/** A parcel the wave may carry: downstream at the center and not on a route, or upstream booked and not collected. */
export interface PoolParcel {
  parcelId: string;
  courierId: string;
  direction: 'downstream' | 'upstream';
  /** Destination station (downstream) or origin station (upstream). */
  stationId: string;
  weightKg: number;
  volumeM3: number;
  coldChainProfileId?: string;
  /** When the SLA clock started: the receive scan (downstream) or the booking (upstream). */
  since: string;
  /**
   * Where the parcel waits when that is neither the center (downstream) nor its origin (upstream): the town station a
   * two-tier `village` loop brought it to — produce it collected, or a parcel it brought back undelivered (`at_town`).
   * Absent: at the center, or (upstream) still at its origin. Additive.
   */
  atStationId?: string;
}

export interface WaveInput {
  county: County;
  date: string;
  waveId: string;
  /** The wave's departure and cut-off as instants (the cut-off may be the evening before). */
  departureAt: string;
  cutoffAt: string;
  settings: DispatchSettings;
  /** Active stations of the county, the center among them. */
  stations: Station[];
  centerStationId: string;
  /** Active vehicles free for this wave (not on a route that has not returned). */
  vehicles: Vehicle[];
  /** Vehicles that already ran an earlier wave of the same date: their vehicle-day is paid. */
  vehiclesUsedToday: string[];
  /** Active couriers of the county (ids). */
  courierIds: string[];
  /** Received before the cut-off (downstream) or booked (upstream), on no confirmed route. */
  parcels: PoolParcel[];
  matrix?: TravelMatrix;
  fixedLines: FixedLine[];
  /** Waiting parcels the wave cannot plan (left out of `parcels`), and why; absent means none. */
  held?: HeldParcel[];
}

/**
 * A parcel waiting at the center or for its pickup that no plan can carry until something changes: its station is
 * unknown or out of service, dispatch never learned its size, or an exception (damaged, address unknown) is open.
 */
export interface HeldParcel {
  parcelId: string;
  courierId: string;
  direction: 'downstream' | 'upstream';
  stationId: string | null;
  reason: 'station_unavailable' | 'size_unknown' | 'exception';
  /** In words, for the operator. */
  detail: string;
}

/** One stop of a draft route, in driving order. */
export interface PlannedStop {
  sequence: number;
  stationId: string;
  plannedArrival: string;
  plannedDeparture: string;
  deliveries: string[];
  pickups: string[];
  loadKgAfter: number;
  loadM3After: number;
  locked: boolean;
}

export interface PlannedRoute {
  /** Stable within a plan (`r1`, `r2`, …): what operators' moves and locks name. */
  routeKey: string;
  vehicleId: string;
  tier: 'direct' | 'trunk' | 'village';
  depotStationId: string;
  plannedDeparture: string;
  plannedReturn: string;
  distanceKm: number;
  durationMinutes: number;
  cost: CostSplit;
  stops: PlannedStop[];
  parcels: { parcelId: string; courierId: string; direction: 'downstream' | 'upstream'; compartment: Compartment; stopSequence: number; coldChainProfileId?: string }[];
  locked: boolean;
}

/** Why a parcel is not on the plan. Solver reasons, then the wave's own. */
export type UnplannedReason =
  | 'capacity'
  | 'time_window'
  | 'shift_length'
  | 'no_refrigerated_vehicle'
  | 'deferred'
  | 'not_due'
  | 'line_overflow'
  | 'no_line'
  /** The station is closed on the wave's date (opening hours), or is not an active station of the county. */
  | 'station_closed'
  /** A downstream parcel waiting at a town station: only a two-tier village loop from there carries it on. */
  | 'at_town_station';

export interface UnplannedParcel {
  parcelId: string;
  stationId: string;
  reason: UnplannedReason;
  /** In words, for the operator: which limit, or the next date the station is due. */
  detail: string;
}

export interface CourierCost {
  courierId: string;
  parcels: number;
  cost: number;
  costPerParcel: number;
}

export interface PlanCosts {
  cost: CostSplit;
  parcels: number;
  costPerParcel: number;
  byCourier: CourierCost[];
  routes: number;
  /** Parcels this plan was given but could not carry (the counterfactual's couriers may leave some out). */
  unplannedParcels?: number;
}

/** One solver call of a plan: which part it planned, how many stops, the iterations asked for and run. */
export interface SolverCall {
  call: string;
  stops: number;
  /** Share of the plan's budget in seconds, and the iteration limit derived from it. */
  budgetSeconds: number;
  iterations: number;
  /** Fewer than `iterations` when the time cap stopped the search: then the seed alone does not repeat the plan. */
  iterationsRun: number;
}

export interface DraftPlan {
  mode: DispatchMode;
  seed: number;
  budgetSeconds: number;
  routes: PlannedRoute[];
  unplanned: UnplannedParcel[];
  /** Parcels of stations not due today that go now because waiting would breach their deadline. */
  forcedNotDue: { parcelId: string; stationId: string; deadline: string; detail: string }[];
  consolidated: PlanCosts;
  /** Each courier alone with its own vehicles (else one of the county's default type), same solver and budget. */
  counterfactual: PlanCosts;
  surveyedCostPerParcel: number;
  reductionVsCounterfactualPct: number;
  reductionVsSurveyedPct: number;
  /** Fixed-line mode: the optimizer's plan for the same parcels beside the lines, and both costs. */
  optimizerComparison?: { routes: PlannedRoute[]; consolidated: PlanCosts; savingPct: number };
  /** How travel was priced: the uploaded matrix (when it names every station the wave needs) or coordinates. */
  travel?: 'matrix' | 'coordinates';
  /** Every solver call, in order: what the seed and budget bought (`planning/domain`, README "Budget"). */
  search?: SolverCall[];
}

/** Operators' locks carried into a re-plan: a locked route keeps its vehicle, stops and order. */
export interface PlanLocks {
  routes: PlannedRoute[];
  /** A stop locked to a vehicle (others may be placed around it). */
  stops: { vehicleId: string; stationId: string }[];
}

export type { VehicleType };
