import type { Location, Problem, Stop, Travel, VehicleType } from '../../src/index.js';
import { createRandom, type Random } from '../../src/random.js';

/**
 * Small random problems that use every constraint at once: time windows, service times,
 * deliveries with pickups in kg and m³, refrigerated stops, a mixed fleet with limited and
 * unlimited types and shift limits, optional stops and locked stops; travel by matrix or by
 * coordinates. Locked stops are kept light and always open so that the lock can be honoured.
 */
export function randomProblem(seed: number, stopCount = 30): Problem {
  const random = createRandom(seed);
  const useMatrix = random() < 0.5;
  const points = Array.from({ length: stopCount + 1 }, () => ({ lat: 26.3 + random() * 0.3, lon: 113.6 + random() * 0.3 }));
  const location = (i: number): Location => (useMatrix ? { index: i } : points[i]!);
  const stops = Array.from({ length: stopCount }, (_, i) => randomStop(random, `s${i}`, location(i + 1)));
  const vehicleTypes = fleet();
  const lockedTo = 'van-2';
  let position = 0;
  const withLocks = stops.map((stop, i) =>
    i % 9 === 4 ? { ...stop, deliveryKg: 20, pickupKg: 0, refrigerated: false, timeWindow: undefined, optional: undefined, lock: { vehicleId: lockedTo, position: position++ } } : stop,
  );
  return { depot: { location: location(0), open: 360, close: 1200 }, stops: withLocks, vehicleTypes, travel: travel(random, useMatrix, points) };
}

function randomStop(random: Random, id: string, location: Location): Stop {
  const open = 420 + Math.floor(random() * 360);
  const kind = random();
  return {
    id,
    location,
    deliveryKg: Math.round(random() * 300),
    deliveryM3: Math.round(random() * 20) / 10,
    pickupKg: random() < 0.4 ? Math.round(random() * 250) : 0,
    pickupM3: random() < 0.4 ? Math.round(random() * 15) / 10 : 0,
    serviceMinutes: 5 + Math.floor(random() * 20),
    ...(kind < 0.7 ? { timeWindow: { open, close: open + 60 + Math.floor(random() * 240) } } : {}),
    ...(random() < 0.2 ? { refrigerated: true } : {}),
    ...(random() < 0.25 ? { optional: { penalty: Math.round(random() * 400) } } : {}),
  };
}

function fleet(): VehicleType[] {
  return [
    { id: 'van', capacityKg: 900, capacityM3: 6, fixedCostPerDay: 250, costPerKm: 2, costPerHour: 30, maxShiftMinutes: 480, count: 3 },
    { id: 'reefer', capacityKg: 1500, capacityM3: 8, refrigerated: true, refrigeratedCapacityKg: 600, fixedCostPerDay: 450, costPerKm: 3.5, costPerHour: 35, maxShiftMinutes: 540, count: 1 },
    { id: 'hired', capacityKg: 600, capacityM3: 4, fixedCostPerDay: 400, costPerKm: 2.5, costPerHour: 30, maxShiftMinutes: 360, shiftStart: 480 },
  ];
}

function travel(random: Random, useMatrix: boolean, points: readonly { lat: number; lon: number }[]): Travel {
  if (!useMatrix) return { roadFactor: 1.4, averageSpeedKmh: 40 };
  // An asymmetric matrix: uphill legs are slower, as in the hills.
  const km = points.map((a) => points.map((b) => Math.round(Math.hypot(a.lat - b.lat, a.lon - b.lon) * 150 * 10) / 10));
  const minutes = km.map((row, i) => row.map((d, j) => Math.round(d * (i < j ? 1.6 : 1.4) * (0.9 + random() * 0.2))));
  return { matrix: { distanceKm: km, durationMinutes: minutes } };
}
