import type { GeoPoint, Problem, Stop, TimeWindow, VehicleType } from '../problem.js';
import { createRandom, randomInt, type Random } from '../random.js';

/**
 * Seeded generator of one dispatch wave in a hilly county shaped like Yanling (Hunan): a county
 * seat, towns 8–35 km out, villages in the valleys around them. Figures come from
 * docs/domain-figures.md; those marked "assumption" there are configurable guesses.
 */
export interface CountyOptions {
  readonly seed: number;
  /** Town and village stations, 50–300; drawn from the seed when omitted. */
  readonly stations?: number;
}

const COUNTY_SEAT: GeoPoint = { lat: 26.49, lon: 113.77 };
/** Mountain roads wind: road km per great-circle km, and average speed (assumptions). */
const ROAD_FACTOR = 1.6;
const SPEED_KMH = 35;
const WAVE_DEPARTURE = 7 * 60;
const SHIFT_MINUTES = 11 * 60;
/** Parcel weight and volume (assumption). */
const PARCEL_KG = 1.2;
const PARCEL_M3 = 0.008;

const hours = (from: number, to: number): TimeWindow => ({ open: from * 60, close: to * 60 });
const VILLAGE_HOURS = [hours(8, 12), hours(9, 17), hours(8, 18), hours(14, 18)];

export function generateCountyProblem(options: CountyOptions): Problem {
  const random = createRandom(options.seed);
  const stations = Math.max(50, Math.min(300, options.stations ?? 50 + randomInt(random, 251)));
  const towns = Math.max(5, Math.min(17, Math.round(stations / 15)));
  const stops: Stop[] = [];
  for (let t = 0; t < towns; t++) {
    const town = around(random, COUNTY_SEAT, 8, 35);
    stops.push(townStop(random, `town-${t + 1}`, town));
    const villages = Math.floor((stations - towns) / towns) + (t < (stations - towns) % towns ? 1 : 0);
    for (let v = 0; v < villages; v++) {
      stops.push(...villageStops(random, `village-${t + 1}-${v + 1}`, around(random, town, 2, 12)));
    }
  }
  return {
    depot: { location: COUNTY_SEAT, open: 6 * 60, close: 20 * 60 },
    stops,
    vehicleTypes: fleet(stations),
    travel: { roadFactor: ROAD_FACTOR, averageSpeedKmh: SPEED_KMH },
  };
}

function townStop(random: Random, id: string, location: GeoPoint): Stop {
  const parcels = between(random, 150, 400);
  return {
    id,
    location,
    deliveryKg: round(parcels * PARCEL_KG),
    deliveryM3: round(parcels * PARCEL_M3),
    pickupKg: round(parcels * 0.2 * PARCEL_KG),
    pickupM3: round(parcels * 0.2 * PARCEL_M3),
    serviceMinutes: round(15 + parcels * 0.02),
    timeWindow: hours(8, 18),
  };
}

/**
 * A village point with its downstream parcels; every second or third day is enough for some (an
 * optional stop, deferred at a penalty); in season some also ship chilled fruit, collected as a
 * separate refrigerated stop so the parcels can still ride any vehicle.
 */
function villageStops(random: Random, id: string, location: GeoPoint): Stop[] {
  const parcels = between(random, 10, 60);
  const village: Stop = {
    id,
    location,
    deliveryKg: round(parcels * PARCEL_KG),
    deliveryM3: round(parcels * PARCEL_M3),
    serviceMinutes: round(5 + parcels * 0.05),
    timeWindow: VILLAGE_HOURS[randomInt(random, VILLAGE_HOURS.length)]!,
    ...(random() < 0.3 ? { optional: { penalty: 150 } } : {}),
  };
  const produce = random();
  if (produce < 0.08) {
    const boxes = between(random, 20, 60);
    const fruit: Stop = { id: `${id}-fruit`, location, pickupKg: boxes * 5, pickupM3: round(boxes * 0.02), serviceMinutes: 10, timeWindow: hours(12, 18), refrigerated: true };
    return [village, fruit];
  }
  if (produce < 0.3) {
    const boxes = between(random, 10, 60);
    return [{ ...village, pickupKg: boxes * 2.5, pickupM3: round(boxes * 0.012) }];
  }
  return [village];
}

/** Costs from DOMAIN-FIGURES "Costs" (vans, trucks, refrigerated trucks); counts scale with the county. */
function fleet(stations: number): VehicleType[] {
  const driverPerHour = 30;
  return [
    { id: 'van', capacityKg: 1000, capacityM3: 6, fixedCostPerDay: 250, costPerKm: 2, costPerHour: driverPerHour, maxShiftMinutes: SHIFT_MINUTES, shiftStart: WAVE_DEPARTURE, count: Math.ceil(stations / 20) },
    { id: 'truck', capacityKg: 3000, capacityM3: 16, fixedCostPerDay: 350, costPerKm: 2.8, costPerHour: driverPerHour, maxShiftMinutes: SHIFT_MINUTES, shiftStart: WAVE_DEPARTURE, count: Math.ceil(stations / 60) },
    { id: 'reefer', capacityKg: 1500, capacityM3: 8, refrigerated: true, fixedCostPerDay: 450, costPerKm: 3.5, costPerHour: driverPerHour, maxShiftMinutes: SHIFT_MINUTES, shiftStart: WAVE_DEPARTURE, count: 1 + Math.ceil(stations / 60) },
    { id: 'hired-van', capacityKg: 1000, capacityM3: 6, fixedCostPerDay: 400, costPerKm: 2.5, costPerHour: driverPerHour, maxShiftMinutes: SHIFT_MINUTES, shiftStart: WAVE_DEPARTURE },
  ];
}

/** A point at a random bearing, `min`–`max` km (great circle) from `origin`. */
function around(random: Random, origin: GeoPoint, min: number, max: number): GeoPoint {
  const km = min + random() * (max - min);
  const bearing = random() * 2 * Math.PI;
  const lat = origin.lat + (km / 111.2) * Math.cos(bearing);
  const lon = origin.lon + (km / (111.2 * Math.cos((origin.lat * Math.PI) / 180))) * Math.sin(bearing);
  return { lat: round(lat, 5), lon: round(lon, 5) };
}

function between(random: Random, min: number, max: number): number {
  return min + randomInt(random, max - min + 1);
}

function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
