import { openingOn, weekdayOf, type Station } from '@county/contracts';
import type { Location, TimeWindow, Travel } from '@county/routing';
import { PlanRefusal } from './refusal.js';
import { minuteOf, startOfDay } from './time.js';
import type { WaveInput } from './types.js';

/**
 * What every part of a wave's plan reads of its input, resolved once: stations by id, the planning day's
 * start, the departure minute, each station's hours that day, and travel between stations (the uploaded
 * matrix when it names every station the wave needs, else great-circle km × road factor at the average speed).
 */
export interface WaveContext {
  readonly input: WaveInput;
  readonly dayStartMs: number;
  /** Minutes since the start of the planning day. */
  readonly departure: number;
  readonly stations: ReadonlyMap<string, Station>;
  readonly center: Station;
  readonly usedToday: ReadonlySet<string>;
  readonly travel: TravelModel;
}

export interface TravelModel {
  readonly kind: 'matrix' | 'coordinates';
  readonly problemTravel: Travel;
  location(stationId: string): Location;
  km(from: string, to: string): number;
  minutes(from: string, to: string): number;
}

export function waveContext(given: WaveInput): WaveContext {
  const input = located(given);
  const stations = new Map(input.stations.map((s) => [s.id, s]));
  const center = stations.get(input.centerStationId);
  if (!center) throw new PlanRefusal('centerStationId', `no active station ${input.centerStationId} in the county`);
  const dayStartMs = startOfDay(input.date, input.county.timeZone);
  return {
    input,
    dayStartMs,
    departure: minuteOf(dayStartMs, input.departureAt),
    stations,
    center,
    usedToday: new Set(input.vehiclesUsedToday),
    travel: travelModel(input, stations),
  };
}

/**
 * Produce a village loop brought to its town station is picked up there, not at its origin: every part of the plan
 * (stops, the not-due rule, costs, the counterfactual) sees the town station as its station. A downstream parcel
 * at a town station keeps its destination (`atStationId` says where it starts from; two-tier.ts).
 */
function located(input: WaveInput): WaveInput {
  if (!input.parcels.some((p) => p.direction === 'upstream' && p.atStationId !== undefined)) return input;
  return { ...input, parcels: input.parcels.map((p) => (p.direction === 'upstream' && p.atStationId !== undefined ? { ...p, stationId: p.atStationId } : p)) };
}

/** The station's opening on the wave's date, in minutes of the day; undefined when it is closed that day. */
export function windowOn(station: Station, date: string): TimeWindow | undefined {
  return openingOn(station.openingHours, weekdayOf(date));
}

/** The station a vehicle starts from: its depot when the county knows it, else the center. */
export function depotOf(ctx: WaveContext, depotStationId: string): Station {
  return ctx.stations.get(depotStationId) ?? ctx.center;
}

function travelModel(input: WaveInput, stations: ReadonlyMap<string, Station>): TravelModel {
  const needed = new Set<string>([input.centerStationId, ...input.vehicles.map((v) => v.depotStationId), ...input.parcels.flatMap((p) => [p.stationId, p.atStationId ?? p.stationId])]);
  const matrix = input.matrix;
  const index = new Map(matrix?.stationIds.map((id, i) => [id, i]) ?? []);
  const covered = [...needed].every((id) => !stations.has(id) || index.has(id));
  if (matrix && covered) {
    const at = (id: string) => index.get(id) ?? 0;
    return {
      kind: 'matrix',
      problemTravel: { matrix: { distanceKm: matrix.distanceKm, durationMinutes: matrix.durationMinutes } },
      location: (id) => ({ index: at(id) }),
      km: (a, b) => matrix.distanceKm[at(a)]![at(b)]!,
      minutes: (a, b) => matrix.durationMinutes[at(a)]![at(b)]!,
    };
  }
  const { roadFactor, averageSpeedKmh } = input.settings;
  const point = (id: string) => {
    const location = (stations.get(id) ?? stations.get(input.centerStationId))!.location;
    return { lat: location.lat, lon: location.lng };
  };
  const km = (a: string, b: string) => greatCircleKm(point(a), point(b)) * roadFactor;
  return {
    kind: 'coordinates',
    problemTravel: { roadFactor, averageSpeedKmh },
    location: point,
    km,
    minutes: (a, b) => (km(a, b) / averageSpeedKmh) * 60,
  };
}

const EARTH_RADIUS_KM = 6371.0088;
const RADIANS = Math.PI / 180;

/** Haversine, as the solver computes it (packages/routing `geo.ts`). */
function greatCircleKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = (b.lat - a.lat) * RADIANS;
  const dLon = (b.lon - a.lon) * RADIANS;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RADIANS) * Math.cos(b.lat * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
