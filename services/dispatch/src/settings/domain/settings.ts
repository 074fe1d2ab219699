import { z } from 'zod';
import type { DispatchSettings } from '../../planning/domain/types.js';

/**
 * A county's dispatch settings and their defaults. Each default says where it comes from (docs/domain-figures.md;
 * "assumption" where no public figure exists, as that file asks), and a county changes it with
 * `PUT /dispatch/settings`.
 */
export const settingsDefaults: DispatchSettings = {
  // The issue: "Direct milk-runs from the center are the default."
  mode: 'direct',
  // Assumption: nothing is planned by itself until a county asks for it; the confirm stays an operator's either way.
  autoPlan: false,
  // docs/domain-figures.md "road factor", an assumption: hill roads wind well beyond the 1.2–1.4 × the straight
  // line road networks show on average; packages/routing's generated hilly county uses the same.
  roadFactor: 1.6,
  // docs/domain-figures.md "average driving speed", an assumption: between the design speeds of class II and
  // class III/IV roads in hills (JTG B01-2014), stops excluded; as packages/routing's generated county.
  averageSpeedKmh: 35,
  // The whole plan's budget, half for the consolidated plan and half for the counterfactual (planning/domain
  // budget.ts): 300 stations and 20,000 parcels plan in 5–11 s here (`npm run bench:dispatch`), within the 30 s.
  budgetSeconds: 20,
  // Any fixed seed: a county's plans repeat until it changes it.
  seed: 1,
  // docs/domain-figures.md "time at a station per call", an assumption: a hand-over of a few dozen parcels and
  // the pickups at a village point.
  serviceMinutes: 10,
};

/** The settings a county may set; a field left out takes its default (PUT replaces the whole). */
export const dispatchSettingsSchema = z
  .object({
    mode: z.enum(['direct', 'two_tier', 'fixed_lines']).default(settingsDefaults.mode).describe('direct milk-runs, two-tier (trunk + village loops), or fixed lines'),
    autoPlan: z.boolean().default(settingsDefaults.autoPlan).describe('plan each wave at its cut-off (an operator still confirms)'),
    roadFactor: z
      .number()
      .min(1, 'at least 1: a road is never shorter than the straight line')
      .max(3, 'at most 3')
      .default(settingsDefaults.roadFactor)
      .describe('road km per great-circle km, when no travel matrix is uploaded'),
    averageSpeedKmh: z.number().min(5, 'at least 5 km/h').max(120, 'at most 120 km/h').default(settingsDefaults.averageSpeedKmh),
    budgetSeconds: z.number().min(1, 'at least 1 s').max(300, 'at most 300 s').default(settingsDefaults.budgetSeconds).describe('the planner’s time budget per wave'),
    seed: z.int('a whole number').min(0, 'not negative').max(2_147_483_647, 'at most 2147483647').default(settingsDefaults.seed),
    serviceMinutes: z.number().min(0, 'not negative').max(240, 'at most 240 min').default(settingsDefaults.serviceMinutes).describe('minutes spent at each stop'),
  })
  .strict();
