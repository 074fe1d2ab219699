import type { EventData } from '@county/contracts';
import type { FieldCommand } from './commands.js';
import { isPending, type FieldLogEntry, type FieldParcel, type FieldRoute, type ParcelStatus, type RouteStatus } from './route.js';

/** How far ahead of dispatch's clock a handheld's `occurredAt` may be (its clock drifts), as intake allows scans. */
export const CLOCK_SKEW_MS = 5 * 60_000;

type FieldEventType =
  | 'dispatch.route_departed'
  | 'dispatch.stop_arrived'
  | 'dispatch.stop_handed_over'
  | 'dispatch.pickups_collected'
  | 'dispatch.stop_exception'
  | 'dispatch.route_returned'
  | 'dispatch.route_cancelled';

export type FieldEvent = { [T in FieldEventType]: { type: T; data: EventData<T> } }[FieldEventType];

export type FieldRefusalCode =
  | 'VALIDATION_FAILED'
  | 'STOP_NOT_FOUND'
  | 'PARCEL_NOT_ON_ROUTE'
  | 'PARCEL_NOT_FOR_STOP'
  | 'PARCEL_ALREADY_SETTLED'
  | 'NOTHING_LEFT_AT_STOP'
  | 'ROUTE_NOT_DEPARTED'
  | 'ROUTE_ALREADY_DEPARTED'
  | 'ROUTE_RETURNED'
  | 'ROUTE_CANCELLED'
  | 'STOP_ALREADY_ARRIVED'
  | 'EVENT_BEFORE_DEPARTURE';

/** A problem with one field of the command: `routeId`, `sequence`, `occurredAt`, `parcelIds.3`, … */
export interface FieldIssue {
  path: string;
  reason: string;
}

export interface FieldRefusal {
  ok: false;
  code: FieldRefusalCode;
  issues: FieldIssue[];
}

export interface FieldDecision {
  ok: true;
  /** The route's new status and the instant it took it, when the event changes it. */
  route?: { status: RouteStatus; at: string };
  /** Parcels whose status changes. */
  parcels: { parcelId: string; status: ParcelStatus }[];
  event: FieldEvent;
  /** What the route's field log keeps of it (the sheet and later ordering rules read it). */
  log: Omit<FieldLogEntry, 'clientEventId'>;
}

/**
 * Decides one field event against the route as it stands: the event dispatch publishes and the changes to write,
 * or a refusal naming the command's field and the reason (nothing changes). Events that cannot have happened in
 * that order — a hand-over before the departure, anything on a cancelled route — are refused, not reordered.
 */
export function decide(route: FieldRoute, command: FieldCommand, now: Date): FieldDecision | FieldRefusal {
  if (Date.parse(command.occurredAt) > now.getTime() + CLOCK_SKEW_MS) {
    return refuse('VALIDATION_FAILED', 'occurredAt', `${command.occurredAt} is more than ${CLOCK_SKEW_MS / 60_000} minutes ahead of ${now.toISOString()}; check the handheld's clock`);
  }
  const blocked = statusRefusal(route, command);
  if (blocked) return blocked;
  switch (command.kind) {
    case 'departure':
      return depart(route, command.occurredAt);
    case 'cancel':
      return cancel(route, command.occurredAt, command.reason);
    case 'return':
      return returnToDepot(route, command.occurredAt);
    case 'arrival':
    case 'handover':
    case 'pickups':
    case 'exception':
      return atStop(route, command);
    default:
      return unreachable(command);
  }
}

function statusRefusal(route: FieldRoute, command: FieldCommand): FieldRefusal | undefined {
  const { routeId, status } = route;
  if (status === 'cancelled') return refuse('ROUTE_CANCELLED', 'routeId', `route ${routeId} was cancelled at ${route.cancelledAt}`);
  if (command.kind === 'departure' || command.kind === 'cancel') {
    if (status === 'confirmed') return undefined;
    const what = command.kind === 'cancel' ? 'it can no longer be cancelled' : 'its departure was reported already';
    return refuse('ROUTE_ALREADY_DEPARTED', 'routeId', `route ${routeId} departed at ${route.departedAt}; ${what}`);
  }
  if (status === 'confirmed') return refuse('ROUTE_NOT_DEPARTED', 'routeId', `route ${routeId} has not departed: report its departure before anything on the road`);
  if (status === 'returned') return refuse('ROUTE_RETURNED', 'routeId', `route ${routeId} returned to its depot at ${route.returnedAt}`);
  if (Date.parse(command.occurredAt) < Date.parse(route.departedAt!)) {
    return refuse('EVENT_BEFORE_DEPARTURE', 'occurredAt', `${command.occurredAt} is before the route departed (${route.departedAt})`);
  }
  return undefined;
}

function routeFields(route: FieldRoute) {
  const { routeId, planId, date, waveId, vehicleId, tier, depotStationId } = route.data;
  return { routeId, planId, date, waveId, vehicleId, tier, depotStationId };
}

function depart(route: FieldRoute, at: string): FieldDecision {
  const downstream = route.parcels.filter((p) => p.direction === 'downstream' && isPending(p));
  return {
    ok: true,
    route: { status: 'departed', at },
    parcels: downstream.filter((p) => p.status === 'planned').map((p) => ({ parcelId: p.parcelId, status: 'loaded' })),
    event: { type: 'dispatch.route_departed', data: { ...routeFields(route), departedAt: at, parcelIds: ids(downstream) } },
    log: entry('departure', at, ids(downstream)),
  };
}

/**
 * Every parcel leaves the route; the event lists the downstream ones, which confirm had `sorted` and intake takes
 * back to `received`. Booked pickups were never moved by the route: they are simply in the pool again.
 */
function cancel(route: FieldRoute, at: string, reason: string): FieldDecision {
  const sorted = route.parcels.filter((p) => p.direction === 'downstream');
  return {
    ok: true,
    route: { status: 'cancelled', at },
    parcels: route.parcels.map((p) => ({ parcelId: p.parcelId, status: 'cancelled' })),
    event: { type: 'dispatch.route_cancelled', data: { ...routeFields(route), parcelIds: ids(sorted), reason } },
    log: entry('cancel', at, ids(sorted)),
  };
}

/**
 * Back at the depot: collected produce is at the center; downstream parcels still on board (a closed station, a
 * refusal, damage) come back undelivered; booked pickups never collected are off this route.
 */
function returnToDepot(route: FieldRoute, at: string): FieldDecision {
  const collected = route.parcels.filter((p) => p.direction === 'upstream' && p.status === 'collected');
  const undelivered = route.parcels.filter((p) => p.direction === 'downstream' && (isPending(p) || p.status === 'exception'));
  const notCollected = route.parcels.filter((p) => p.direction === 'upstream' && isPending(p));
  return {
    ok: true,
    route: { status: 'returned', at },
    parcels: [
      ...collected.map((p) => ({ parcelId: p.parcelId, status: 'returned' as const })),
      ...undelivered.map((p) => ({ parcelId: p.parcelId, status: 'undelivered' as const })),
      ...notCollected.map((p) => ({ parcelId: p.parcelId, status: 'cancelled' as const })),
    ],
    event: {
      type: 'dispatch.route_returned',
      data: { ...routeFields(route), returnedAt: at, collectedParcelIds: ids(collected), undeliveredParcelIds: ids(undelivered) },
    },
    log: entry('return', at, [...ids(collected), ...ids(undelivered)]),
  };
}

type StopCommand = Extract<FieldCommand, { sequence: number }>;

function atStop(route: FieldRoute, command: StopCommand): FieldDecision | FieldRefusal {
  const stop = route.data.stops.find((s) => s.sequence === command.sequence);
  if (!stop) {
    const sequences = route.data.stops.map((s) => s.sequence).join(', ');
    return refuse('STOP_NOT_FOUND', 'sequence', `route ${route.routeId} has no stop ${command.sequence} (its stops: ${sequences || 'none'})`);
  }
  const base = { ...routeFields(route), stationId: stop.stationId, sequence: stop.sequence };
  const at = command.occurredAt;
  switch (command.kind) {
    case 'arrival': {
      const earlier = route.log.find((e) => e.kind === 'arrival' && e.sequence === stop.sequence);
      if (earlier) return refuse('STOP_ALREADY_ARRIVED', 'sequence', `the arrival at stop ${stop.sequence} was reported already (at ${earlier.occurredAt})`);
      return {
        ok: true,
        parcels: [],
        event: { type: 'dispatch.stop_arrived', data: { ...base, arrivedAt: at } },
        log: entry('arrival', at, [], stop.sequence),
      };
    }
    case 'handover': {
      const chosen = choose(route, stop.sequence, command.parcelIds, 'downstream', 'to hand over');
      if (!chosen.ok) return chosen;
      return {
        ok: true,
        parcels: chosen.parcels.map((p) => ({ parcelId: p.parcelId, status: 'handed_over' })),
        event: { type: 'dispatch.stop_handed_over', data: { ...base, handedOverAt: at, parcelIds: ids(chosen.parcels) } },
        log: entry('handover', at, ids(chosen.parcels), stop.sequence),
      };
    }
    case 'pickups': {
      const chosen = choose(route, stop.sequence, command.parcelIds, 'upstream', 'to collect');
      if (!chosen.ok) return chosen;
      return {
        ok: true,
        parcels: chosen.parcels.map((p) => ({ parcelId: p.parcelId, status: 'collected' })),
        event: { type: 'dispatch.pickups_collected', data: { ...base, collectedAt: at, parcelIds: ids(chosen.parcels) } },
        log: entry('pickups', at, ids(chosen.parcels), stop.sequence),
      };
    }
    case 'exception': {
      const closed = command.exception === 'station_closed';
      if (!closed && (command.parcelIds === undefined || command.parcelIds.length === 0)) {
        return refuse('VALIDATION_FAILED', 'parcelIds', `name the ${command.exception} parcels`);
      }
      // A closed station keeps everything still to do there on board (or booked); nothing is left to refuse.
      const chosen = choose(route, stop.sequence, command.parcelIds, 'any', 'still to hand over or collect', closed);
      if (!chosen.ok) return chosen;
      const reason = command.reason === undefined ? {} : { reason: command.reason };
      return {
        ok: true,
        parcels: closed ? [] : chosen.parcels.map((p) => ({ parcelId: p.parcelId, status: 'exception' })),
        event: {
          type: 'dispatch.stop_exception',
          data: { ...base, kind: command.exception, reportedAt: at, parcelIds: ids(chosen.parcels), ...reason },
        },
        log: { ...entry('exception', at, ids(chosen.parcels), stop.sequence), exceptionKind: command.exception },
      };
    }
    default:
      return unreachable(command);
  }
}

type Chosen = { ok: true; parcels: FieldParcel[] } | FieldRefusal;

/**
 * The parcels a stop event is about: those named (each on this route, for this stop, of the right direction and
 * still to do there), or, when none are named, every parcel still to do at the stop.
 */
function choose(
  route: FieldRoute,
  sequence: number,
  named: readonly string[] | undefined,
  direction: 'downstream' | 'upstream' | 'any',
  what: string,
  mayBeNone = false,
): Chosen {
  const fits = (p: FieldParcel) => p.stopSequence === sequence && (direction === 'any' || p.direction === direction);
  if (named === undefined) {
    const parcels = route.parcels.filter((p) => fits(p) && isPending(p));
    if (parcels.length === 0 && !mayBeNone) return refuse('NOTHING_LEFT_AT_STOP', 'parcelIds', `no parcel is left ${what} at stop ${sequence}`);
    return { ok: true, parcels };
  }
  const byId = new Map(route.parcels.map((p) => [p.parcelId, p]));
  const seen = new Set<string>();
  const parcels: FieldParcel[] = [];
  const problems: { code: FieldRefusalCode; issue: FieldIssue }[] = [];
  named.forEach((raw, index) => {
    const id = raw.toLowerCase();
    const path = `parcelIds.${index}`;
    const parcel = byId.get(id);
    const problem = (code: FieldRefusalCode, reason: string) => problems.push({ code, issue: { path, reason } });
    if (seen.has(id)) return problem('VALIDATION_FAILED', `parcel ${id} is listed twice`);
    seen.add(id);
    if (!parcel) return problem('PARCEL_NOT_ON_ROUTE', `parcel ${id} is not on route ${route.routeId}`);
    if (parcel.stopSequence !== sequence) return problem('PARCEL_NOT_FOR_STOP', `parcel ${id} is for stop ${parcel.stopSequence}, not stop ${sequence}`);
    if (direction !== 'any' && parcel.direction !== direction) {
      const is = parcel.direction === 'upstream' ? 'a pickup' : 'a delivery';
      return problem('PARCEL_NOT_FOR_STOP', `parcel ${id} is ${is} at stop ${sequence}, not a parcel ${what}`);
    }
    if (!isPending(parcel)) return problem('PARCEL_ALREADY_SETTLED', `parcel ${id} is ${parcel.status.replace('_', ' ')} already`);
    parcels.push(parcel);
  });
  if (problems.length > 0) return { ok: false, code: problems[0]!.code, issues: problems.map((p) => p.issue) };
  return { ok: true, parcels };
}

function entry(kind: FieldLogEntry['kind'], occurredAt: string, parcelIds: string[], sequence: number | null = null): Omit<FieldLogEntry, 'clientEventId'> {
  return { kind, sequence, exceptionKind: null, occurredAt, parcelIds };
}

const ids = (parcels: readonly FieldParcel[]) => parcels.map((p) => p.parcelId);

function refuse(code: FieldRefusalCode, path: string, reason: string): FieldRefusal {
  return { ok: false, code, issues: [{ path, reason }] };
}

function unreachable(value: never): never {
  throw new Error(`unhandled field command ${JSON.stringify(value)}`);
}
