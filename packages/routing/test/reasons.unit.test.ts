import { describe, expect, it } from 'vitest';
import { checkSolution, solve, type GeoPoint, type Problem, type Stop, type VehicleType } from '../src/index.js';

const SEAT: GeoPoint = { lat: 26.49, lon: 113.77 };
/** A point `km` (great circle) north of the county seat. */
const north = (km: number): GeoPoint => ({ lat: SEAT.lat + km / 111.195, lon: SEAT.lon });

const van: VehicleType = { id: 'van', capacityKg: 1000, fixedCostPerDay: 250, costPerKm: 2, costPerHour: 30, maxShiftMinutes: 480, count: 2 };

function problem(stops: Stop[], vehicleTypes: VehicleType[] = [van]): Problem {
  return { depot: { location: SEAT, open: 420 }, stops, vehicleTypes, travel: { roadFactor: 1, averageSpeedKmh: 60 } };
}

function reasons(p: Problem): Record<string, string> {
  const solution = solve(p, { iterations: 200 });
  expect(checkSolution(p, solution).violations).toEqual([]);
  return Object.fromEntries(solution.unassigned.map((u) => [u.stopId, u.reason]));
}

describe('a stop that cannot be served comes back unassigned with its reason', () => {
  it('too heavy for every vehicle: capacity', () => {
    expect(reasons(problem([{ id: 'heavy', location: north(5), deliveryKg: 5000 }, { id: 'ok', location: north(6), deliveryKg: 10 }]))).toEqual({ heavy: 'capacity' });
  });

  it('closed before any vehicle can get there: time_window', () => {
    expect(reasons(problem([{ id: 'closed', location: north(30), timeWindow: { open: 400, close: 440 } }]))).toEqual({ closed: 'time_window' });
  });

  it('reachable in time but too far to be back within the shift: shift_length', () => {
    expect(reasons(problem([{ id: 'far', location: north(250) }]))).toEqual({ far: 'shift_length' });
  });

  it('refrigerated goods with no refrigerated vehicle: no_refrigerated_vehicle', () => {
    expect(reasons(problem([{ id: 'peaches', location: north(5), pickupKg: 100, refrigerated: true }]))).toEqual({ peaches: 'no_refrigerated_vehicle' });
  });

  it('refrigerated goods beyond the refrigerated compartment: capacity, not the missing vehicle', () => {
    const reefer: VehicleType = { ...van, id: 'reefer', refrigerated: true, refrigeratedCapacityKg: 200 };
    expect(reasons(problem([{ id: 'peaches', location: north(5), pickupKg: 300, refrigerated: true }], [van, reefer]))).toEqual({ peaches: 'capacity' });
  });

  it('an optional stop cheaper to defer than to serve: deferred', () => {
    const p = problem([{ id: 'near', location: north(3) }, { id: 'remote', location: north(60), optional: { penalty: 5 } }]);
    expect(reasons(p)).toEqual({ remote: 'deferred' });
  });

  it('every vehicle of a limited fleet already full: capacity', () => {
    const one: VehicleType = { ...van, count: 1 };
    const p = problem([{ id: 'a', location: north(5), deliveryKg: 700 }, { id: 'b', location: north(6), deliveryKg: 700 }], [one]);
    expect(Object.values(reasons(p))).toEqual(['capacity']);
  });

  it('every vehicle of a limited fleet already busy until the window closes: time_window', () => {
    const one: VehicleType = { ...van, count: 1 };
    const east = { lat: SEAT.lat, lon: SEAT.lon + 0.5 };
    const p = problem([{ id: 'north', location: north(50), timeWindow: { open: 470, close: 480 } }, { id: 'east', location: east, timeWindow: { open: 470, close: 480 } }], [one]);
    expect(Object.values(reasons(p))).toEqual(['time_window']);
  });

  it('a stop that fits a vehicle of its own is served when the fleet is unlimited', () => {
    const unlimited: VehicleType = { ...van, count: undefined };
    const stops = Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, location: north(5 + i), deliveryKg: 900 }));
    expect(reasons(problem(stops, [unlimited]))).toEqual({});
  });
});
