import type { Leg } from '../../timeline/domain/measure.js';

/**
 * Rate alerts, as SRE teams alert on error budgets (README "Alerts"): over the rolling window ending now, `legs`
 * legs of a kind ended and `late` of them over target. The on-time rate is (legs − late) / legs; the budget is the
 * late legs the target allows, floor(legs × (1 − target)), and what is left of it budget − late (negative: spent).
 * Below the target with at least `minLegs` legs in the window, an alert opens; at or above it, the open one resolves.
 */

export interface RateSettings {
  targetRate: number;
  windowHours: number;
  minLegs: number;
}

export const defaultRateSettings: RateSettings = { targetRate: 0.95, windowHours: 24 * 7, minLegs: 20 };

export interface WindowCount {
  countyId: string;
  leg: Leg;
  legs: number;
  late: number;
}

export interface RateFigures {
  windowHours: number;
  windowFrom: string;
  windowTo: string;
  legs: number;
  late: number;
  onTimeRate: number;
  targetRate: number;
  budget: number;
  budgetLeft: number;
}

export function rateFigures(count: WindowCount, settings: RateSettings, now: number): RateFigures {
  const onTimeRate = count.legs === 0 ? 1 : (count.legs - count.late) / count.legs;
  // rounding guards the float: 20 × 0.05 is 1.0000000000000009
  const budget = Math.floor(Math.round(count.legs * (1 - settings.targetRate) * 1e9) / 1e9);
  return {
    windowHours: settings.windowHours,
    windowFrom: new Date(now - settings.windowHours * 3_600_000).toISOString(),
    windowTo: new Date(now).toISOString(),
    legs: count.legs,
    late: count.late,
    onTimeRate,
    targetRate: settings.targetRate,
    budget,
    budgetLeft: budget - count.late,
  };
}

/** 'raise' when below target with enough legs, 'resolve' when not; the caller acts only on a change of state. */
export function rateVerdict(figures: RateFigures, settings: RateSettings): 'below' | 'ok' {
  return figures.legs >= settings.minLegs && figures.onTimeRate < settings.targetRate ? 'below' : 'ok';
}
