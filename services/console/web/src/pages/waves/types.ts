/**
 * The shapes the waves page reads, as services/dispatch/src/plans/http/schemas.ts and services/intake's master data
 * answer them (only the fields the page uses).
 */
export interface CostSplit {
  total: number;
  fixed: number;
  distance: number;
  time: number;
}

export interface Stop {
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

export interface Route {
  routeKey: string;
  routeId: string | null;
  vehicleId: string;
  tier: 'direct' | 'trunk' | 'village';
  depotStationId: string;
  plannedDeparture: string;
  plannedReturn: string;
  distanceKm: number;
  durationMinutes: number;
  cost: CostSplit;
  stops: Stop[];
  parcels: { parcelId: string; courierId: string; direction: 'downstream' | 'upstream'; compartment: string; stopSequence: number }[];
  locked: boolean;
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
}

export type PlanStatus = 'draft' | 'confirmed' | 'cancelled' | 'superseded';

export interface PlanHead {
  planId: string;
  date: string;
  waveId: string;
  status: PlanStatus;
  revision: number;
  origin: 'operator' | 'auto';
  locks: { routes: string[]; stops: { routeKey: string; stationId: string }[] };
  createdAt: string;
  createdBy: string;
  confirmedAt: string | null;
  confirmedBy: string | null;
}

export interface PlanSummary extends PlanHead {
  mode: string;
  routes: number;
  parcels: number;
  unplanned: number;
  cost: number;
  costPerParcel: number;
}

export interface Plan extends PlanHead {
  mode: 'direct' | 'two_tier' | 'fixed_lines';
  routes: Route[];
  unplanned: { parcelId: string; stationId: string; reason: string; detail: string }[];
  held: { parcelId: string; reason: string }[];
  consolidated: PlanCosts;
  counterfactual: PlanCosts;
  surveyedCostPerParcel: number;
  reductionVsCounterfactualPct: number;
  reductionVsSurveyedPct: number;
}

export interface WaveCosts {
  planId: string;
  confirmedAt: string;
  parcels: number;
  routes: number;
  cost: CostSplit;
  costPerParcel: number;
  byCourier: CourierCost[];
  counterfactual: { cost: CostSplit; costPerParcel: number; byCourier: CourierCost[]; routes: number };
  surveyedCostPerParcel: number;
  reductionVsCounterfactualPct: number;
  reductionVsSurveyedPct: number;
}

export interface Wave {
  id: string;
  name?: string;
  departure: string;
  cutoff: string;
}

export interface Station {
  id: string;
  name: string;
  kind: 'center' | 'town' | 'village';
  location: { lat: number; lng: number };
  active: boolean;
}

export interface Vehicle {
  id: string;
  plate?: string;
  capacityKg: number;
  capacityM3: number;
  refrigerated?: boolean;
}

/** One colour per route, in route order (the legend and the table use the same). */
export const ROUTE_COLOURS = ['#1664ff', '#e8590c', '#2f9e44', '#ae3ec9', '#d6336c', '#0c8599', '#f08c00', '#5c7cfa', '#66a80f', '#c92a2a', '#1098ad', '#862e9c'];
export const colourOf = (index: number) => ROUTE_COLOURS[index % ROUTE_COLOURS.length]!;
