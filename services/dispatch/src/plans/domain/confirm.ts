import { buildEvent, topics, type EventData, type OutboxEntry } from '@county/contracts';
import type { DraftPlan, PlannedRoute } from '../../planning/domain/types.js';

export type RouteConfirmed = EventData<'dispatch.route_confirmed'>;
export type WaveCosted = EventData<'dispatch.wave_costed'>;

/** What a confirm is about: the plan and the wave it belongs to. */
export interface ConfirmedPlan {
  planId: string;
  countyId: string;
  date: string;
  waveId: string;
  plan: DraftPlan;
}

const MAX_ID = 64;

/**
 * A confirmed route's id: `rt-<date>-<waveId>-<n>-<suffix>`, readable on a driver's sheet and unique across
 * re-plans and re-confirms of the same wave by the random suffix. A long wave id is shortened to keep the id
 * within 64 characters (the contracts' id).
 */
export function routeIdFor(date: string, waveId: string, n: number, suffix: string): string {
  const tail = `-${n}-${suffix}`;
  const head = `rt-${date}-`;
  return `${head}${waveId.slice(0, MAX_ID - head.length - tail.length)}${tail}`;
}

/** The routes a confirm turns into the wave's: those that carry something. */
export function routesToConfirm(plan: DraftPlan): PlannedRoute[] {
  return plan.routes.filter((route) => route.stops.length > 0 && route.parcels.length > 0);
}

/** What the driver's sheet shows of a parcel, from dispatch's read model: its waybill and masked recipient. */
export interface ParcelLabel {
  waybill: string | null;
  recipient: { name: string; phone: string } | null;
}

/**
 * The `dispatch.route_confirmed` data of one route: also what `routes.data` keeps. Each parcel carries its waybill
 * and, downstream, its masked recipient where `labels` has them (the route sheet shows them).
 */
export function routeConfirmedData(
  confirmed: ConfirmedPlan,
  route: PlannedRoute,
  routeId: string,
  labels: ReadonlyMap<string, ParcelLabel> = new Map(),
): RouteConfirmed {
  return {
    routeId,
    planId: confirmed.planId,
    date: confirmed.date,
    waveId: confirmed.waveId,
    vehicleId: route.vehicleId,
    tier: route.tier,
    depotStationId: route.depotStationId,
    plannedDeparture: route.plannedDeparture,
    plannedReturn: route.plannedReturn,
    distanceKm: route.distanceKm,
    durationMinutes: route.durationMinutes,
    cost: route.cost,
    stops: route.stops.map((stop) => ({
      sequence: stop.sequence,
      stationId: stop.stationId,
      plannedArrival: stop.plannedArrival,
      plannedDeparture: stop.plannedDeparture,
      deliveries: stop.deliveries,
      pickups: stop.pickups,
      loadKgAfter: stop.loadKgAfter,
      loadM3After: stop.loadM3After,
    })),
    parcels: route.parcels.map((parcel) => {
      const label = labels.get(parcel.parcelId);
      return {
        parcelId: parcel.parcelId,
        courierId: parcel.courierId,
        direction: parcel.direction,
        compartment: parcel.compartment,
        stopSequence: parcel.stopSequence,
        ...(parcel.coldChainProfileId === undefined ? {} : { coldChainProfileId: parcel.coldChainProfileId }),
        ...(label?.waybill ? { waybill: label.waybill } : {}),
        ...(label?.recipient && parcel.direction === 'downstream' ? { recipient: { name: label.recipient.name, phone: label.recipient.phone } } : {}),
      };
    }),
  };
}

/** The wave's cost against both baselines, as the confirmed plan priced it. */
export function waveCostedData(confirmed: ConfirmedPlan, confirmedAt: string): WaveCosted {
  const { plan } = confirmed;
  return {
    planId: confirmed.planId,
    date: confirmed.date,
    waveId: confirmed.waveId,
    confirmedAt,
    parcels: plan.consolidated.parcels,
    routes: plan.consolidated.routes,
    cost: plan.consolidated.cost,
    costPerParcel: plan.consolidated.costPerParcel,
    byCourier: plan.consolidated.byCourier,
    counterfactual: {
      cost: plan.counterfactual.cost,
      costPerParcel: plan.counterfactual.costPerParcel,
      byCourier: plan.counterfactual.byCourier,
      routes: plan.counterfactual.routes,
    },
    surveyedCostPerParcel: plan.surveyedCostPerParcel,
    reductionVsCounterfactualPct: plan.reductionVsCounterfactualPct,
    reductionVsSurveyedPct: plan.reductionVsSurveyedPct,
  };
}

/** The wave's key on `dispatch.events` (and its cost event's subject). */
export const waveKey = (date: string, waveId: string) => `wave:${date}/${waveId}`;

/**
 * The events of a confirm, in the order they are written: one `dispatch.route_confirmed` per route, keyed by its
 * route id (a route's later events follow it on the same partition), then the wave's `dispatch.wave_costed`.
 */
export function confirmEvents(
  confirmed: ConfirmedPlan,
  routes: RouteConfirmed[],
  at: { source: string; confirmedAt: Date; correlationId?: string },
): OutboxEntry[] {
  const common = { countyId: confirmed.countyId, source: at.source, occurredAt: at.confirmedAt, ...(at.correlationId ? { correlationId: at.correlationId } : {}) };
  const topic = topics.dispatchEvents.name;
  const routeEntries = routes.map((data) => ({
    topic,
    key: data.routeId,
    event: buildEvent({ ...common, type: 'dispatch.route_confirmed', subject: data.routeId, data }),
  }));
  const key = waveKey(confirmed.date, confirmed.waveId);
  const costed = buildEvent({ ...common, type: 'dispatch.wave_costed', subject: key, data: waveCostedData(confirmed, at.confirmedAt.toISOString()) });
  return [...routeEntries, { topic, key, event: costed }];
}
