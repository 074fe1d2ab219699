import { greatCircleKm } from '../geo.js';
import type { Depot, Location, Problem, Stop, VehicleType } from '../problem.js';
import { fleetSize } from '../vehicles.js';

/** What the search needs of a vehicle type, with limits resolved to numbers. */
export interface TypeData {
  readonly index: number;
  readonly source: VehicleType;
  /** Per active load dimension (see `Instance.dims`); Infinity when unlimited. */
  readonly capacity: Float64Array;
  readonly refrigerated: boolean;
  readonly fixed: number;
  readonly perKm: number;
  readonly perMinute: number;
  readonly depotNode: number;
  /** Departure from the depot, and the latest return (depot closing or end of shift). */
  readonly start: number;
  readonly end: number;
  /** Infinity when unlimited. */
  readonly limit: number;
}

/**
 * The problem compiled to flat typed arrays. Stops are nodes 0..n-1 and depots follow, so the
 * matrices are indexed by node: `dist[a * size + b]`. Only load dimensions some stop uses and some
 * vehicle limits are kept ("active"), so plain CVRP carries one dimension.
 */
export interface Instance {
  readonly n: number;
  readonly size: number;
  readonly dist: Float64Array;
  readonly time: Float64Array;
  readonly dims: number;
  readonly delivery: Float64Array;
  readonly pickup: Float64Array;
  readonly hasPickups: boolean;
  /** False when no window, shift or hourly cost exists: timing is then skipped during search. */
  readonly timed: boolean;
  readonly service: Float64Array;
  readonly open: Float64Array;
  readonly close: Float64Array;
  readonly cold: Uint8Array;
  readonly mandatory: Uint8Array;
  readonly penalty: Float64Array;
  readonly types: readonly TypeData[];
  /** For each stop, every stop by increasing distance (itself first): SISR's adjacency lists. */
  readonly neighbours: Int32Array;
  /** Largest share of a vehicle a stop takes, to order insertions by size. */
  readonly bulk: Float64Array;
}

type Dimension = (stop: Stop) => [delivery: number, pickup: number];
type Capacity = (type: VehicleType) => number;

const DIMENSIONS: readonly (readonly [Dimension, Capacity])[] = [
  [(s) => [s.deliveryKg ?? 0, s.pickupKg ?? 0], (t) => t.capacityKg ?? Infinity],
  [(s) => [s.deliveryM3 ?? 0, s.pickupM3 ?? 0], (t) => t.capacityM3 ?? Infinity],
  [
    (s) => (s.refrigerated ? [s.deliveryKg ?? 0, s.pickupKg ?? 0] : [0, 0]),
    // Only a separate refrigerated compartment limits cold goods beyond the weight limit itself.
    (t) => (t.refrigerated ? (t.refrigeratedCapacityKg ?? Infinity) : Infinity),
  ],
];

export function compile(problem: Problem): Instance {
  const { stops, vehicleTypes } = problem;
  const n = stops.length;
  const depots: Depot[] = [problem.depot, ...vehicleTypes.flatMap((t) => (t.depot ? [t.depot] : []))];
  const locations: Location[] = [...stops.map((s) => s.location), ...depots.map((d) => d.location)];
  const { dist, time } = travelMatrices(problem, locations);
  const active = DIMENSIONS.filter(([demand, capacity]) =>
    stops.some((s) => demand(s).some((q) => q > 0)) && vehicleTypes.some((t) => Number.isFinite(capacity(t))),
  );
  const dims = active.length;
  const delivery = new Float64Array(n * dims);
  const pickup = new Float64Array(n * dims);
  stops.forEach((stop, i) => active.forEach(([demand], d) => {
    [delivery[i * dims + d], pickup[i * dims + d]] = demand(stop);
  }));
  const types = compileTypes(problem, active.map(([, capacity]) => capacity), n);
  const timed =
    stops.some((s) => s.timeWindow !== undefined) ||
    depots.some((d) => d.close !== undefined) ||
    vehicleTypes.some((t) => t.maxShiftMinutes !== undefined || t.costPerHour > 0);
  return {
    n,
    size: locations.length,
    dist,
    time,
    dims,
    delivery,
    pickup,
    hasPickups: pickup.some((q) => q > 0),
    timed,
    service: Float64Array.from(stops, (s) => s.serviceMinutes ?? 0),
    open: Float64Array.from(stops, (s) => s.timeWindow?.open ?? -Infinity),
    close: Float64Array.from(stops, (s) => s.timeWindow?.close ?? Infinity),
    cold: Uint8Array.from(stops, (s) => (s.refrigerated ? 1 : 0)),
    mandatory: Uint8Array.from(stops, (s) => (s.optional ? 0 : 1)),
    penalty: Float64Array.from(stops, (s) => s.optional?.penalty ?? 0),
    types,
    neighbours: neighbourLists(n, locations.length, dist),
    bulk: bulkOf(n, dims, delivery, pickup, types),
  };
}

function compileTypes(problem: Problem, capacities: readonly Capacity[], n: number): TypeData[] {
  let extraDepot = 0;
  return problem.vehicleTypes.map((source, index) => {
    const depot = source.depot ?? problem.depot;
    const depotNode = source.depot ? n + 1 + extraDepot++ : n;
    const start = Math.max(source.shiftStart ?? depot.open ?? 0, depot.open ?? -Infinity);
    const end = Math.min(depot.close ?? Infinity, start + (source.maxShiftMinutes ?? Infinity));
    return {
      index,
      source,
      capacity: Float64Array.from(capacities, (capacity) => capacity(source)),
      refrigerated: source.refrigerated ?? false,
      fixed: source.fixedCostPerDay,
      perKm: source.costPerKm,
      perMinute: source.costPerHour / 60,
      depotNode,
      start,
      end,
      limit: fleetSize(source) ?? Infinity,
    };
  });
}

function travelMatrices(problem: Problem, locations: readonly Location[]): { dist: Float64Array; time: Float64Array } {
  const size = locations.length;
  const dist = new Float64Array(size * size);
  const time = new Float64Array(size * size);
  const travel = problem.travel;
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) {
      const from = locations[a]!;
      const to = locations[b]!;
      if ('matrix' in travel) {
        const i = (from as { index: number }).index;
        const j = (to as { index: number }).index;
        dist[a * size + b] = travel.matrix.distanceKm[i]![j]!;
        time[a * size + b] = travel.matrix.durationMinutes[i]![j]!;
      } else {
        const km = greatCircleKm(from as { lat: number; lon: number }, to as { lat: number; lon: number }) * travel.roadFactor;
        dist[a * size + b] = km;
        time[a * size + b] = (km / travel.averageSpeedKmh) * 60;
      }
    }
  }
  return { dist, time };
}

function neighbourLists(n: number, size: number, dist: Float64Array): Int32Array {
  const lists = new Int32Array(n * n);
  const order = Array.from({ length: n }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    const closeness = (j: number) => (j === i ? -1 : dist[i * size + j]! + dist[j * size + i]!);
    order.sort((a, b) => closeness(a) - closeness(b) || a - b);
    lists.set(order, i * n);
  }
  return lists;
}

function bulkOf(n: number, dims: number, delivery: Float64Array, pickup: Float64Array, types: readonly TypeData[]): Float64Array {
  const bulk = new Float64Array(n);
  for (let d = 0; d < dims; d++) {
    const finite = types.map((t) => t.capacity[d]!).filter(Number.isFinite);
    const largest = Math.max(1e-9, ...finite);
    for (let i = 0; i < n; i++) {
      bulk[i] = Math.max(bulk[i]!, Math.max(delivery[i * dims + d]!, pickup[i * dims + d]!) / largest);
    }
  }
  return bulk;
}
