import { compartmentSchema, costSplitSchema, idSchema, textSchema, waveCostedSchema } from '@county/contracts';
import { z } from 'zod';
import { planStatuses } from '../domain/plan.js';
import type { PlanRecord, PlanSummary } from '../store/index.js';

/**
 * The plans API's request and response shapes. Responses are loose objects: the planner may add fields to its
 * plan (additively), and they reach clients rather than being stripped.
 */

export const dateParam = z.iso.date({ error: 'a calendar date YYYY-MM-DD that exists, e.g. 2026-11-29' });
export const waveParams = z.object({ date: dateParam, waveId: idSchema });
export const planParams = z.object({ planId: idSchema });

const revision = z.int().min(1).optional().describe('the plan’s revision the edit was written against (or send If-Match)');
const seed = z.int().min(0).max(2 ** 31 - 1);
/** A request waits for its solve: five minutes is the most a person waits for a wave. */
const budgetSeconds = z.number().positive().max(300);

export const createBody = z
  .object({ seed: seed.optional().describe('default: the county’s settings'), budgetSeconds: budgetSeconds.optional().describe('default: the county’s settings') })
  .strict()
  .nullish();

export const moveBody = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('stop'),
      revision,
      stationId: idSchema,
      fromRouteKey: idSchema,
      toRouteKey: idSchema,
      position: z.int().min(1).optional().describe('1 = first stop of the route; default: where it costs least'),
    })
    .strict(),
  z.object({ kind: z.literal('parcel'), revision, parcelId: z.uuid(), toRouteKey: idSchema }).strict(),
]);

export const lockBody = z
  .object({ revision, routeKey: idSchema, stationId: idSchema.optional().describe('lock (or unlock) one stop of the route; without it the whole route') })
  .strict();

export const replanBody = z.object({ revision, seed: seed.optional(), budgetSeconds: budgetSeconds.optional() }).strict().nullish();
export const cancelBody = z.object({ revision, reason: textSchema.min(1).max(500).optional() }).strict().nullish();
export const confirmBody = z.object({ revision }).strict().nullish();

const utc = z.string();
const parcelIds = z.array(z.string());

const stopView = z.looseObject({
  sequence: z.int(),
  stationId: z.string(),
  plannedArrival: utc,
  plannedDeparture: utc,
  deliveries: parcelIds,
  pickups: parcelIds,
  loadKgAfter: z.number(),
  loadM3After: z.number(),
  locked: z.boolean(),
});

const routeView = z.looseObject({
  routeKey: z.string(),
  routeId: z.string().nullable().describe('the confirmed route’s id, once the plan is confirmed'),
  vehicleId: z.string(),
  tier: z.enum(['direct', 'trunk', 'village']),
  depotStationId: z.string(),
  plannedDeparture: utc,
  plannedReturn: utc,
  distanceKm: z.number(),
  durationMinutes: z.number(),
  cost: costSplitSchema,
  stops: z.array(stopView),
  parcels: z.array(
    z.looseObject({ parcelId: z.string(), courierId: z.string(), direction: z.enum(['downstream', 'upstream']), compartment: compartmentSchema, stopSequence: z.int() }),
  ),
  locked: z.boolean(),
});

const courierCost = z.looseObject({ courierId: z.string(), parcels: z.int(), cost: z.number(), costPerParcel: z.number() });
const planCosts = z.looseObject({ cost: costSplitSchema, parcels: z.int(), costPerParcel: z.number(), byCourier: z.array(courierCost), routes: z.int() });
const lockList = z.object({ routes: z.array(z.string()), stops: z.array(z.object({ routeKey: z.string(), stationId: z.string() })) });

const planHead = {
  planId: z.string(),
  countyId: z.string(),
  date: z.string(),
  waveId: z.string(),
  status: z.enum(planStatuses),
  revision: z.int().describe('send it back with an edit (If-Match or body revision); also the ETag'),
  origin: z.enum(['operator', 'auto']),
  seed: z.number(),
  budgetSeconds: z.number(),
  locks: lockList,
  cancelReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: utc,
  updatedBy: z.string(),
  updatedAt: utc,
  confirmedBy: z.string().nullable(),
  confirmedAt: utc.nullable(),
};

export const planView = z.looseObject({
  ...planHead,
  mode: z.enum(['direct', 'two_tier', 'fixed_lines']),
  routes: z.array(routeView),
  unplanned: z.array(z.looseObject({ parcelId: z.string(), stationId: z.string(), reason: z.string(), detail: z.string() })),
  held: z
    .array(z.looseObject({ parcelId: z.string(), courierId: z.string(), direction: z.string(), stationId: z.string().nullable(), reason: z.string(), detail: z.string() }))
    .describe('waiting parcels no plan can carry until something changes (station out of service, size unknown, an open exception)'),
  forcedNotDue: z.array(z.looseObject({ parcelId: z.string(), stationId: z.string(), deadline: z.string(), detail: z.string() })),
  consolidated: planCosts,
  counterfactual: planCosts.describe('each courier alone with its own vehicles (else one of the county’s default type), same solver and budget'),
  surveyedCostPerParcel: z.number(),
  reductionVsCounterfactualPct: z.number(),
  reductionVsSurveyedPct: z.number(),
  optimizerComparison: z.looseObject({ routes: z.array(z.unknown()), consolidated: planCosts, savingPct: z.number() }).optional(),
});

export const planSummaryView = z.object({
  ...planHead,
  mode: z.string(),
  routes: z.int(),
  parcels: z.number(),
  unplanned: z.int(),
  cost: z.number(),
  costPerParcel: z.number(),
});

export const planListView = z.object({ plans: z.array(planSummaryView) });
export const costsView = waveCostedSchema;

/** A plan as clients see it: its head, then the draft plan's routes (with their route ids once confirmed), unplanned parcels and costs. */
export function viewOf(record: PlanRecord) {
  const { plan, routeIds, ...head } = record;
  const { seed: _seed, budgetSeconds: _budget, routes, ...rest } = plan;
  return {
    ...head,
    ...rest,
    routes: routes.map((route) => ({ ...route, routeId: routeIds?.[route.routeKey] ?? null })),
  };
}

export function summaryOf(summary: PlanSummary) {
  const { routeIds: _routeIds, ...rest } = summary;
  return rest;
}
