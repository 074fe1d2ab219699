import { z } from 'zod';
import { idSchema, textSchema } from '../common.js';
import { maskedRecipientSchema } from './parcel.js';

/**
 * dispatch's facts (docs/architecture.md §3 "Who owns what"): dispatch owns waves, plans, routes, stops and
 * vehicle loads; intake applies the parcel moves these events report through its transition table, so every
 * parcel change is still a `parcel.*` event from intake. Every event of a route is keyed by its route id, so a
 * route's events arrive in order. Instants are ISO-8601 UTC.
 *
 * What other services read here without asking dispatch: which parcels ride which vehicle in which
 * compartment from when to when (coldchain binds parcels to containers `<vehicleId>/<compartment>`), each
 * stop's planned arrival (sla predicts lateness), and every wave's cost against both baselines (sla reports the
 * reduction over any period).
 */

const utc = z.iso.datetime({ offset: false });
const parcelIds = z.array(z.uuid()).max(20_000);

/** Where a parcel rides: the refrigerated compartment of a refrigerated vehicle, or the ambient one. */
export const compartmentSchema = z.enum(['refrigerated', 'ambient']);
export type Compartment = z.infer<typeof compartmentSchema>;

/** Cost split as the solver reports it, in yuan. */
export const costSplitSchema = z
  .object({ total: z.number(), fixed: z.number(), distance: z.number(), time: z.number() })
  .strict();
export type CostSplit = z.infer<typeof costSplitSchema>;

/** One stop of a confirmed route, in driving order. */
export const routeStopSchema = z
  .object({
    sequence: z.number().int().min(1),
    stationId: idSchema,
    plannedArrival: utc,
    plannedDeparture: utc,
    /** Parcels unloaded here (downstream). */
    deliveries: parcelIds,
    /** Booked parcels collected here (upstream). */
    pickups: parcelIds,
    loadKgAfter: z.number(),
    loadM3After: z.number(),
  })
  .strict();
export type RouteStop = z.infer<typeof routeStopSchema>;

/** Every parcel on the route: which compartment it rides in, and at which stop it leaves or boards. */
export const routeParcelSchema = z
  .object({
    parcelId: z.uuid(),
    courierId: idSchema,
    direction: z.enum(['downstream', 'upstream']),
    compartment: compartmentSchema,
    stopSequence: z.number().int().min(1),
    coldChainProfileId: idSchema.optional(),
    /**
     * What the driver's route sheet shows to find the parcel on board and at the station: the courier's waybill
     * and, downstream, the recipient as events carry it (masked). Copied from dispatch's read model at confirm.
     */
    waybill: z.string().max(64).optional(),
    recipient: maskedRecipientSchema.optional(),
  })
  .strict();
export type RouteParcel = z.infer<typeof routeParcelSchema>;

const routeFields = {
  routeId: idSchema,
  planId: idSchema,
  date: z.iso.date().describe('the wave’s planning day in the county’s time zone'),
  waveId: idSchema,
  vehicleId: idSchema,
  /** `trunk` (center → town stations) and `village` (a loop from a town station) in two-tier mode. */
  tier: z.enum(['direct', 'trunk', 'village']),
  depotStationId: idSchema,
};

/**
 * A confirmed route (intake: its downstream parcels become `sorted`). Carries the whole load so coldchain and sla
 * never ask dispatch.
 */
export const routeConfirmedSchema = z
  .object({
    ...routeFields,
    plannedDeparture: utc,
    plannedReturn: utc,
    distanceKm: z.number().nonnegative(),
    durationMinutes: z.number().nonnegative(),
    cost: costSplitSchema,
    stops: z.array(routeStopSchema).max(1_000),
    parcels: z.array(routeParcelSchema).max(20_000),
  })
  .strict();

/** A route cancelled before departure: its parcels go back to the pool (intake: `sorted` → `received`). */
export const routeCancelledSchema = z
  .object({ ...routeFields, parcelIds, reason: textSchema.min(1).max(500) })
  .strict();

/** The vehicle left its depot (intake: the route's downstream parcels become `departed`). */
export const routeDepartedSchema = z
  .object({ ...routeFields, departedAt: utc, parcelIds })
  .strict();

/** The vehicle reached a stop. */
export const stopArrivedSchema = z
  .object({ ...routeFields, stationId: idSchema, sequence: z.number().int().min(1), arrivedAt: utc })
  .strict();

/**
 * Parcels handed to the station (intake: `at_station`, or `at_town` on a trunk route in two-tier mode). A station
 * keeper's own scan of the same hand-over is a confirming scan at intake, not a second move.
 */
export const stopHandedOverSchema = z
  .object({ ...routeFields, stationId: idSchema, sequence: z.number().int().min(1), handedOverAt: utc, parcelIds })
  .strict();

/** Booked produce collected at the stop (intake: `collected`). */
export const pickupsCollectedSchema = z
  .object({ ...routeFields, stationId: idSchema, sequence: z.number().int().min(1), collectedAt: utc, parcelIds })
  .strict();

/**
 * Something went wrong at a stop: the station was closed (its parcels stay on board and come back), or parcels
 * were damaged or refused (intake records the exception).
 */
export const stopExceptionSchema = z
  .object({
    ...routeFields,
    stationId: idSchema,
    sequence: z.number().int().min(1),
    kind: z.enum(['station_closed', 'damaged', 'refused']),
    reportedAt: utc,
    parcelIds,
    reason: textSchema.max(500).optional(),
  })
  .strict();

/**
 * The vehicle is back at its depot: collected produce is at the center (intake: `at_center`); downstream parcels
 * still on board (a closed station, a refusal) are listed and are plannable again.
 */
export const routeReturnedSchema = z
  .object({ ...routeFields, returnedAt: utc, collectedParcelIds: parcelIds, undeliveredParcelIds: parcelIds })
  .strict();

const courierCostSchema = z
  .object({ courierId: idSchema, parcels: z.number().int().nonnegative(), cost: z.number(), costPerParcel: z.number() })
  .strict();

/**
 * The cost of a confirmed wave against both baselines (docs/architecture.md §3 "Cost against the baseline"): the
 * consolidated plan, split by courier (each courier's parcels priced by their share of the stops' cost); the
 * counterfactual from the same parcels (each courier alone with its own vehicles, else one of the county's
 * default type, same solver and budget); and the county's surveyed cost per parcel. Keyed `wave:<date>/<waveId>`.
 */
export const waveCostedSchema = z
  .object({
    planId: idSchema,
    date: z.iso.date(),
    waveId: idSchema,
    confirmedAt: utc,
    parcels: z.number().int().nonnegative(),
    routes: z.number().int().nonnegative(),
    cost: costSplitSchema,
    costPerParcel: z.number(),
    byCourier: z.array(courierCostSchema),
    counterfactual: z
      .object({ cost: costSplitSchema, costPerParcel: z.number(), byCourier: z.array(courierCostSchema), routes: z.number().int() })
      .strict(),
    surveyedCostPerParcel: z.number().positive(),
    reductionVsCounterfactualPct: z.number(),
    reductionVsSurveyedPct: z.number(),
  })
  .strict();

export const dispatchEventDefinitions = {
  'dispatch.route_confirmed': {
    description: 'An operator confirmed a route of a wave’s plan: the vehicle, its stops with planned times, and every parcel on it by compartment.',
    data: routeConfirmedSchema,
  },
  'dispatch.route_cancelled': { description: 'A confirmed route was cancelled before departure; its parcels are plannable again.', data: routeCancelledSchema },
  'dispatch.route_departed': { description: 'The route’s vehicle left its depot.', data: routeDepartedSchema },
  'dispatch.stop_arrived': { description: 'The vehicle reached a stop.', data: stopArrivedSchema },
  'dispatch.stop_handed_over': { description: 'The driver handed parcels to the station.', data: stopHandedOverSchema },
  'dispatch.pickups_collected': { description: 'The driver collected booked produce at the stop.', data: pickupsCollectedSchema },
  'dispatch.stop_exception': { description: 'A station was closed, or parcels were damaged or refused at a stop.', data: stopExceptionSchema },
  'dispatch.route_returned': { description: 'The vehicle is back at its depot.', data: routeReturnedSchema },
  'dispatch.wave_costed': { description: 'A confirmed wave’s cost against the counterfactual and the surveyed baseline.', data: waveCostedSchema },
} as const;

export type DispatchEventType = keyof typeof dispatchEventDefinitions;
export const dispatchEventTypes = Object.keys(dispatchEventDefinitions) as DispatchEventType[];
