import type { ProblemIssue } from './errors.js';
import type { Depot, Location, Problem, Stop, Travel, VehicleType } from './problem.js';
import { findVehicle, fleetSize } from './vehicles.js';

type Report = (path: string, message: string) => void;

/** Every structural problem with the input, so a caller can fix them all at once. */
export function validateProblem(problem: Problem): ProblemIssue[] {
  const issues: ProblemIssue[] = [];
  const report: Report = (path, message) => issues.push({ path, message });
  const matrixSize = checkTravel(problem.travel, report);
  checkDepot(problem.depot, 'depot', matrixSize, report);
  checkVehicleTypes(problem.vehicleTypes, matrixSize, report);
  checkStops(problem, matrixSize, report);
  return issues;
}

/** Returns the matrix side for matrix travel, undefined for coordinate travel. */
function checkTravel(travel: Travel, report: Report): number | undefined {
  if (!('matrix' in travel)) {
    nonNegative(travel.roadFactor, 'travel.roadFactor', report, true);
    nonNegative(travel.averageSpeedKmh, 'travel.averageSpeedKmh', report, true);
    return undefined;
  }
  const { distanceKm, durationMinutes } = travel.matrix;
  const size = distanceKm.length;
  for (const [name, matrix] of [['distanceKm', distanceKm], ['durationMinutes', durationMinutes]] as const) {
    if (matrix.length !== size) report(`travel.matrix.${name}`, `has ${matrix.length} rows, expected ${size}`);
    matrix.forEach((row, i) => {
      if (row.length !== size) report(`travel.matrix.${name}[${i}]`, `has ${row.length} columns, expected ${size}`);
      if (row.some((v) => !Number.isFinite(v) || v < 0)) report(`travel.matrix.${name}[${i}]`, 'holds a negative or non-finite value');
    });
  }
  return size;
}

function checkLocation(location: Location, path: string, matrixSize: number | undefined, report: Report): void {
  if (matrixSize !== undefined) {
    const index = 'index' in location ? location.index : undefined;
    if (index === undefined || !Number.isInteger(index) || index < 0 || index >= matrixSize) {
      report(path, `must be { index } within the travel matrix (0..${matrixSize - 1})`);
    }
  } else if (!('lat' in location) || Math.abs(location.lat) > 90 || Math.abs(location.lon) > 180) {
    report(path, 'must be { lat, lon } in degrees when travel is computed from coordinates');
  }
}

function checkDepot(depot: Depot, path: string, matrixSize: number | undefined, report: Report): void {
  checkLocation(depot.location, `${path}.location`, matrixSize, report);
  if (depot.open !== undefined && depot.close !== undefined && depot.open > depot.close) {
    report(path, 'opens after it closes');
  }
}

function checkVehicleTypes(types: readonly VehicleType[], matrixSize: number | undefined, report: Report): void {
  if (types.length === 0) report('vehicleTypes', 'at least one vehicle type is needed');
  const ids = new Set<string>();
  const vehicleIds = new Set<string>();
  types.forEach((type, i) => {
    const path = `vehicleTypes[${i}]`;
    if (ids.has(type.id)) report(`${path}.id`, `duplicate id ${type.id}`);
    ids.add(type.id);
    for (const id of type.vehicleIds ?? []) {
      if (vehicleIds.has(id)) report(`${path}.vehicleIds`, `vehicle ${id} is listed twice`);
      vehicleIds.add(id);
    }
    for (const key of ['capacityKg', 'capacityM3', 'refrigeratedCapacityKg', 'maxShiftMinutes'] as const) {
      if (type[key] !== undefined) nonNegative(type[key], `${path}.${key}`, report, key === 'maxShiftMinutes');
    }
    for (const key of ['fixedCostPerDay', 'costPerKm', 'costPerHour'] as const) nonNegative(type[key], `${path}.${key}`, report);
    const size = fleetSize(type);
    if (size !== undefined && (!Number.isInteger(size) || size < 1)) report(`${path}.count`, 'must be a whole number of at least 1');
    if (type.vehicleIds && type.count !== undefined && type.count !== type.vehicleIds.length) {
      report(`${path}.count`, 'differs from the number of vehicleIds');
    }
    if (type.depot) checkDepot(type.depot, `${path}.depot`, matrixSize, report);
  });
}

function checkStops(problem: Problem, matrixSize: number | undefined, report: Report): void {
  const ids = new Set<string>();
  const lockSlots = new Set<string>();
  problem.stops.forEach((stop, i) => {
    const path = `stops[${i}]`;
    if (ids.has(stop.id)) report(`${path}.id`, `duplicate id ${stop.id}`);
    ids.add(stop.id);
    checkLocation(stop.location, `${path}.location`, matrixSize, report);
    for (const key of ['deliveryKg', 'deliveryM3', 'pickupKg', 'pickupM3', 'serviceMinutes'] as const) {
      if (stop[key] !== undefined) nonNegative(stop[key], `${path}.${key}`, report);
    }
    if (stop.timeWindow && !(stop.timeWindow.open <= stop.timeWindow.close)) report(`${path}.timeWindow`, 'opens after it closes');
    if (stop.optional) nonNegative(stop.optional.penalty, `${path}.optional.penalty`, report);
    if (stop.lock) checkLock(problem, stop, path, lockSlots, report);
  });
}

function checkLock(problem: Problem, stop: Stop, path: string, taken: Set<string>, report: Report): void {
  const lock = stop.lock;
  if (!lock) return;
  const vehicle = findVehicle(problem.vehicleTypes, lock.vehicleId);
  if (!vehicle) return report(`${path}.lock.vehicleId`, `no vehicle ${lock.vehicleId}`);
  if (!Number.isFinite(lock.position)) report(`${path}.lock.position`, 'must be a number');
  if (stop.refrigerated && !problem.vehicleTypes[vehicle.typeIndex]?.refrigerated) {
    report(`${path}.lock.vehicleId`, `${lock.vehicleId} is not refrigerated`);
  }
  const slot = `${lock.vehicleId}\u0000${lock.position}`;
  if (taken.has(slot)) report(`${path}.lock.position`, `another stop is locked at ${lock.position} on ${lock.vehicleId}`);
  taken.add(slot);
}

function nonNegative(value: number, path: string, report: Report, positive = false): void {
  if (!Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    report(path, positive ? 'must be a positive number' : 'must be a non-negative number');
  }
}
