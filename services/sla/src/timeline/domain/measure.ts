import type { SlaPolicy } from '@county/contracts';
import type { SlaParcel } from './fold.js';
import { nextDeparture, type WaveClock } from './waves.js';

/**
 * Legs, deadline and ETA of a parcel (issue #12; README "Timeline"):
 * - downstream to a village station: center→village = at_station − received (end to end); when it passed a town
 *   (two-tier), center→town = at_town − received and town→village = at_station − at_town;
 * - downstream to a town station: center→town = at_station − received;
 * - upstream: village→center = at_center − collected.
 * Durations are whole minutes (floor); a leg is on time when its duration ≤ the policy's hours × 60.
 */

export const legs = ['center_to_town', 'town_to_village', 'center_to_village', 'village_to_center'] as const;
export type Leg = (typeof legs)[number];

export const policyHours: Record<Leg, keyof SlaPolicy> = {
  center_to_town: 'centerToTownHours',
  town_to_village: 'townToVillageHours',
  center_to_village: 'centerToVillageHours',
  village_to_center: 'villageToCenterHours',
};

/** Minutes from the center to a station when no confirmed route has called there yet (README "ETA"). */
export const DEFAULT_TRAVEL_MINUTES = 180;

export interface MeasureContext {
  county: { timeZone: string; sla: SlaPolicy; waves: WaveClock[] } | undefined;
  /** The parcel's station (destination downstream, origin upstream). */
  station: { kind: 'center' | 'town' | 'village'; townId: string | null; villageCodes: string[] } | undefined;
  /** Mean planned minutes center → the station over the confirmed routes seen; null: none yet. */
  travelMinutes: number | null;
  /** The live route carrying the parcel: its stop's planned arrival and the route's planned return. */
  route: { routeId: string; tier: string; plannedArrival: string; plannedReturn: string } | undefined;
}

export interface LegMeasure {
  minutes: number | null;
  onTime: boolean | null;
  endedAt: string | null;
}

export interface Measured {
  townId: string | null;
  villageCode: string | null;
  legs: Record<Leg, LegMeasure>;
  deadlineLeg: Leg | null;
  deadline: string | null;
  eta: string | null;
  etaSource: 'arrived' | 'route' | 'wave' | 'estimate' | null;
  /**
   * When the ETA is to be measured again if nothing happened by then: the wave's departure it counts on ('wave'),
   * else the ETA itself; null when closed.
   */
  etaDueAt: string | null;
  /** Still on its way: its clock runs and its deadline leg has not ended. */
  open: boolean;
  /** The clock's instant it was measured at. */
  measuredAt: string;
}

const ms = (instant: string) => Date.parse(instant);
const isoOf = (instant: number) => new Date(instant).toISOString();

function leg(start: string | undefined, end: string | undefined, hours: number | undefined): LegMeasure {
  if (start === undefined || end === undefined) return { minutes: null, onTime: null, endedAt: null };
  const minutes = Math.floor((ms(end) - ms(start)) / 60_000);
  return { minutes, onTime: hours === undefined ? null : minutes <= hours * 60, endedAt: end };
}

const none: LegMeasure = { minutes: null, onTime: null, endedAt: null };

/** The parcel's legs, deadline and ETA at `now` (the runtime's clock). */
export function measure(parcel: SlaParcel, ctx: MeasureContext, now: number): Measured {
  const s = parcel.steps;
  const sla = ctx.county?.sla;
  const hours = (l: Leg) => sla?.[policyHours[l]];
  const result: Measured = {
    townId: ctx.station?.townId ?? null,
    villageCode: ctx.station?.kind === 'village' ? (ctx.station.villageCodes[0] ?? null) : null,
    legs: { center_to_town: none, town_to_village: none, center_to_village: none, village_to_center: none },
    deadlineLeg: null,
    deadline: null,
    eta: null,
    etaSource: null,
    etaDueAt: null,
    open: false,
    measuredAt: isoOf(now),
  };
  const closed = s.returned !== undefined || s.lost !== undefined;
  if (parcel.direction === 'downstream') {
    const toTown = ctx.station?.kind === 'town';
    const arrived = s.at_station ?? s.delivered;
    if (toTown) {
      result.legs.center_to_town = leg(s.received, arrived, hours('center_to_town'));
    } else {
      result.legs.center_to_town = leg(s.received, s.at_town, hours('center_to_town'));
      result.legs.town_to_village = leg(s.at_town, arrived, hours('town_to_village'));
      result.legs.center_to_village = leg(s.received, arrived, hours('center_to_village'));
    }
    if (s.received === undefined) return result;
    result.deadlineLeg = toTown ? 'center_to_town' : 'center_to_village';
    const target = hours(result.deadlineLeg);
    if (target !== undefined) result.deadline = isoOf(ms(s.received) + target * 3_600_000);
    if (arrived !== undefined) {
      result.eta = arrived;
      result.etaSource = 'arrived';
      return result;
    }
    if (closed) return result;
    result.open = true;
    const travel = ctx.travelMinutes ?? DEFAULT_TRAVEL_MINUTES;
    let eta: number;
    if (ctx.route && ctx.route.tier !== 'trunk') {
      eta = ms(ctx.route.plannedArrival);
      result.etaSource = 'route';
    } else if (ctx.route) {
      // on a trunk route to the town: its arrival there, then the station's estimate from the center onward
      eta = ms(ctx.route.plannedArrival) + travel * 60_000;
      result.etaSource = 'route';
    } else if (s.departed !== undefined || s.at_town !== undefined) {
      eta = ms((s.at_town ?? s.departed) as string) + travel * 60_000;
      result.etaSource = 'estimate';
    } else {
      const departure = ctx.county ? nextDeparture(ctx.county.timeZone, ctx.county.waves, ms(s.received), now) : null;
      eta = (departure ?? now) + travel * 60_000;
      result.etaSource = 'wave';
      result.etaDueAt = isoOf(departure ?? now);
    }
    result.eta = isoOf(Math.max(eta, now));
    result.etaDueAt ??= result.eta;
    return result;
  }
  result.legs.village_to_center = leg(s.collected, s.at_center ?? s.handed_over, hours('village_to_center'));
  const atCenter = s.at_center ?? s.handed_over;
  if (s.collected !== undefined) {
    result.deadlineLeg = 'village_to_center';
    const target = hours('village_to_center');
    if (target !== undefined) result.deadline = isoOf(ms(s.collected) + target * 3_600_000);
  }
  if (atCenter !== undefined) {
    result.eta = atCenter;
    result.etaSource = 'arrived';
    return result;
  }
  if (closed || (s.booked === undefined && s.collected === undefined)) return result;
  result.open = true;
  const travel = ctx.travelMinutes ?? DEFAULT_TRAVEL_MINUTES;
  let eta: number;
  if (ctx.route) {
    eta = ms(ctx.route.plannedReturn);
    result.etaSource = 'route';
  } else if (s.collected !== undefined) {
    eta = ms(s.collected) + travel * 60_000;
    result.etaSource = 'estimate';
  } else {
    const departure = ctx.county ? nextDeparture(ctx.county.timeZone, ctx.county.waves, ms(s.booked as string), now) : null;
    eta = (departure ?? now) + 2 * travel * 60_000;
    result.etaSource = 'wave';
    result.etaDueAt = isoOf(departure ?? now);
  }
  result.eta = isoOf(Math.max(eta, now));
  result.etaDueAt ??= result.eta;
  return result;
}
