import { isServiceDue, minutesOfDay, type Station } from '@county/contracts';
import { windowOn, type WaveContext } from './context.js';
import { addDays, startOfDay } from './time.js';
import type { DraftPlan, PoolParcel, UnplannedParcel } from './types.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** every_n_days is at most weekly and weekdays name at least one day: the next due date is within a week. */
const LOOKAHEAD_DAYS = 14;

export interface DueSplit {
  /** Parcels this wave should carry. */
  go: PoolParcel[];
  unplanned: UnplannedParcel[];
  forcedNotDue: DraftPlan['forcedNotDue'];
}

/**
 * The not-due rule (docs/architecture.md "Dispatch"): a parcel for a station not due on the wave's date waits for
 * the station's next due date, unless waiting would breach its deadline (the county's SLA from `since`:
 * centerToVillageHours to a village station, centerToTownHours to a town station, villageToCenterHours upstream).
 * "Would breach" is judged by the earliest arrival waiting allows: the first wave departure of the next due date
 * plus the drive from the center to the station (and back, upstream). A station closed on the date, or not an
 * active station of the county, keeps its parcels too. Fixed lines keep their own timetable (`frequency: false`).
 */
export function splitByDue(ctx: WaveContext, parcels: readonly PoolParcel[], options: { frequency: boolean } = { frequency: true }): DueSplit {
  const split: DueSplit = { go: [], unplanned: [], forcedNotDue: [] };
  const { date } = ctx.input;
  for (const parcel of parcels) {
    const station = ctx.stations.get(parcel.stationId);
    if (!station) {
      split.unplanned.push({ ...at(parcel), reason: 'station_closed', detail: `${parcel.stationId} is not an active station of the county` });
      continue;
    }
    if (station.kind !== 'center' && !windowOn(station, date)) {
      split.unplanned.push({ ...at(parcel), reason: 'station_closed', detail: `${station.id} is closed on ${date}` });
      continue;
    }
    if (!options.frequency || station.kind === 'center' || isServiceDue(station.serviceFrequency, date)) {
      split.go.push(parcel);
      continue;
    }
    const next = nextDueDate(station, date);
    const deadline = deadlineOf(ctx, parcel, station);
    const earliest = next === undefined ? Infinity : earliestArrivalOn(ctx, next, parcel, station);
    if (earliest > deadline) {
      const deadlineIso = new Date(deadline).toISOString();
      const waiting = next === undefined ? 'it has no due date in the next two weeks' : `waiting for ${next}, its next due date, would arrive after the deadline`;
      split.forcedNotDue.push({ parcelId: parcel.parcelId, stationId: station.id, deadline: deadlineIso, detail: `${station.id} is not due on ${date}; ${waiting} ${deadlineIso}` });
      split.go.push(parcel);
    } else {
      split.unplanned.push({ ...at(parcel), reason: 'not_due', detail: `${station.id} is not due on ${date}; next due ${next}` });
    }
  }
  return split;
}

function at(parcel: PoolParcel): Pick<UnplannedParcel, 'parcelId' | 'stationId'> {
  return { parcelId: parcel.parcelId, stationId: parcel.stationId };
}

export function nextDueDate(station: Station, date: string): string | undefined {
  for (let days = 1; days <= LOOKAHEAD_DAYS; days++) {
    const candidate = addDays(date, days);
    if (isServiceDue(station.serviceFrequency, candidate) && windowOn(station, candidate)) return candidate;
  }
  return undefined;
}

/** The parcel's deadline, ms since the epoch. */
export function deadlineOf(ctx: WaveContext, parcel: PoolParcel, station: Station): number {
  const sla = ctx.input.county.sla;
  const hours = parcel.direction === 'upstream' ? sla.villageToCenterHours : station.kind === 'village' ? sla.centerToVillageHours : sla.centerToTownHours;
  return Date.parse(parcel.since) + hours * HOUR_MS;
}

function earliestArrivalOn(ctx: WaveContext, date: string, parcel: PoolParcel, station: Station): number {
  const firstDeparture = Math.min(...ctx.input.county.waves.map((w) => minutesOfDay(w.departure)));
  const center = ctx.input.centerStationId;
  let minutes = firstDeparture + ctx.travel.minutes(center, station.id);
  if (parcel.direction === 'upstream') minutes += ctx.travel.minutes(station.id, center);
  return startOfDay(date, ctx.input.county.timeZone) + minutes * MINUTE_MS;
}
