import { isServiceDue, type ServiceFrequency } from '@county/contracts';
import { datesOf } from './query.js';

/**
 * The bureau's figures that are computed from rows rather than in SQL, as pure rules (README "Metrics"): coverage,
 * cost per parcel against both baselines, station activity against the plans' thresholds, trends, and the
 * ratios every figure shares.
 */

/** The plans' targets (DESIGN.md §1). */
export const targets = {
  villageCoverage: 0.8,
  townCoverage: 1,
  costReductionPct: 20,
  stationUpstreamParcels: 100,
  stationUpstreamValueYuan: 1000,
  stationDownstreamValueYuan: 2000,
} as const;

/** A share with its numerator and denominator; null when there is nothing to divide by. */
export interface Share {
  numerator: number;
  denominator: number;
  rate: number | null;
}

export function share(numerator: number, denominator: number): Share {
  return { numerator, denominator, rate: denominator === 0 ? null : round(numerator / denominator, 6) };
}

/** Rounded to `digits` decimals (figures are reported with 6, money with 4). */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export interface CoverageStation {
  stationId: string;
  kind: 'center' | 'town' | 'village';
  townId: string | null;
  villageCodes: string[];
  serviceFrequency: ServiceFrequency;
  active: boolean;
}

export interface CoverageInput {
  from: string;
  to: string;
  towns: { townId: string; active: boolean }[];
  villages: { code: string; townId: string; povertyRegistered: boolean; active: boolean }[];
  stations: CoverageStation[];
  /** Station id → the service dates (county calendar) a route handed over there. */
  servedDates: Map<string, Set<string>>;
}

/**
 * A station is served at its required frequency in the period when a route handed over there on every date of
 * the period its frequency makes it due (and it was due at least once). A village is covered when an active
 * village or town station listing it is; a town when an active town station of it is.
 */
export function servedAtFrequency(station: CoverageStation, from: string, to: string, served: Set<string> | undefined): boolean {
  const due = datesOf(from, to).filter((d) => isServiceDue(station.serviceFrequency, d));
  return due.length > 0 && due.every((d) => served?.has(d));
}

export function coverage(input: CoverageInput) {
  const servedStations = input.stations.filter(
    (s) => s.active && s.kind !== 'center' && servedAtFrequency(s, input.from, input.to, input.servedDates.get(s.stationId)),
  );
  const coveredVillages = new Set(servedStations.flatMap((s) => s.villageCodes));
  const coveredTowns = new Set(servedStations.filter((s) => s.kind === 'town' && s.townId).map((s) => s.townId as string));
  const villages = input.villages.filter((v) => v.active);
  const poor = villages.filter((v) => v.povertyRegistered);
  const towns = input.towns.filter((t) => t.active);
  const villageShare = share(villages.filter((v) => coveredVillages.has(v.code)).length, villages.length);
  const townShare = share(towns.filter((t) => coveredTowns.has(t.townId)).length, towns.length);
  return {
    villages: { ...villageShare, target: targets.villageCoverage, met: villageShare.rate !== null && villageShare.rate >= targets.villageCoverage },
    towns: { ...townShare, target: targets.townCoverage, met: townShare.rate !== null && townShare.rate >= targets.townCoverage },
    povertyRegisteredVillages: {
      ...share(poor.filter((v) => coveredVillages.has(v.code)).length, poor.length),
      target: targets.villageCoverage,
      met: poor.length > 0 && poor.filter((v) => coveredVillages.has(v.code)).length / poor.length >= targets.villageCoverage,
    },
    stationsServedAtFrequency: servedStations.map((s) => s.stationId).sort(),
  };
}

export interface WaveCost {
  parcels: number;
  costYuan: number;
  counterfactualCostYuan: number;
  surveyedCostPerParcelYuan: number;
}

/**
 * Cost per parcel of the consolidated plans over the period's waves: their total cost over their parcels; the
 * counterfactual's likewise; the surveyed baseline weighted by each wave's parcels. Reduction = 1 − plan ÷ baseline.
 */
export function costFigures(waves: WaveCost[]) {
  const parcels = waves.reduce((n, w) => n + w.parcels, 0);
  const cost = waves.reduce((n, w) => n + w.costYuan, 0);
  const counterfactual = waves.reduce((n, w) => n + w.counterfactualCostYuan, 0);
  const surveyed = waves.reduce((n, w) => n + w.surveyedCostPerParcelYuan * w.parcels, 0);
  const per = (total: number) => (parcels === 0 ? null : round(total / parcels, 4));
  const reduction = (baseline: number) => (parcels === 0 || baseline === 0 ? null : round((1 - cost / baseline) * 100, 4));
  const vsSurveyed = reduction(surveyed);
  return {
    waves: waves.length,
    parcels,
    costPerParcelYuan: per(cost),
    counterfactualCostPerParcelYuan: per(counterfactual),
    surveyedCostPerParcelYuan: per(surveyed),
    reductionVsCounterfactualPct: reduction(counterfactual),
    reductionVsSurveyedPct: vsSurveyed,
    targetReductionPct: targets.costReductionPct,
    met: vsSurveyed !== null && vsSurveyed >= targets.costReductionPct,
  };
}

export interface StationMonth {
  stationId: string;
  month: string;
  upstreamParcels: number;
  upstreamValueYuan: number;
  downstreamValueYuan: number;
}

/** A village station meets the plans' thresholds in a month: (≥ 100 upstream parcels or ≥ 1,000 yuan up) and ≥ 2,000 yuan down. */
export function meetsThresholds(s: StationMonth): boolean {
  return (s.upstreamParcels >= targets.stationUpstreamParcels || s.upstreamValueYuan >= targets.stationUpstreamValueYuan) && s.downstreamValueYuan >= targets.stationDownstreamValueYuan;
}

export function stationActivity(rows: StationMonth[]) {
  const stations = rows.map((r) => ({ ...r, upstreamValueYuan: round(r.upstreamValueYuan, 2), downstreamValueYuan: round(r.downstreamValueYuan, 2), meets: meetsThresholds(r) }));
  const months = [...new Set(rows.map((r) => r.month))].sort();
  return {
    thresholds: {
      upstreamParcels: targets.stationUpstreamParcels,
      upstreamValueYuan: targets.stationUpstreamValueYuan,
      downstreamValueYuan: targets.stationDownstreamValueYuan,
    },
    byMonth: months.map((month) => {
      const of = stations.filter((s) => s.month === month);
      return { month, stations: of.length, meeting: of.filter((s) => s.meets).length };
    }),
    stations,
  };
}

/** The change of a figure against the previous window: up, down or flat, and by how much. */
export function trend(current: number | null, previous: number | null) {
  if (current === null || previous === null) return { current, previous, change: null, direction: null };
  const change = round(current - previous, 6);
  return { current, previous, change, direction: change > 0 ? 'up' : change < 0 ? 'down' : 'flat' };
}
