import type { Problem } from '../problem.js';
import type { Solution } from '../solution.js';
import type { CvrplibInstance } from './parse.js';

/** TSPLIB's EUC_2D weight: Euclidean distance rounded to the nearest integer. */
function euclidean2d(a: readonly [number, number], b: readonly [number, number]): number {
  return Math.floor(Math.hypot(a[0] - b[0], a[1] - b[1]) + 0.5);
}

/**
 * The benchmark's fleet (see bench/cvrp/README.md): in set A the `k` of the name is the number of
 * vehicles; elsewhere (set X) the fleet is unlimited and `k` only a lower bound on routes.
 */
export function cvrplibFleet(name: string): number | undefined {
  const match = /^A-n\d+-k(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * The instance as a routing problem: rounded Euclidean distances as km, cost = distance, no
 * times. Customer c (CVRPLIB numbering, node id − 1) becomes the stop with id `String(c)`.
 */
export function cvrplibProblem(instance: CvrplibInstance): Problem {
  const { coordinates, demands, depot, capacity } = instance;
  const distanceKm = coordinates.map((a) => coordinates.map((b) => euclidean2d(a, b)));
  const durationMinutes = coordinates.map(() => coordinates.map(() => 0));
  const count = cvrplibFleet(instance.name);
  return {
    depot: { location: { index: depot } },
    stops: coordinates.flatMap((_, node) =>
      node === depot ? [] : [{ id: String(node), location: { index: node }, deliveryKg: demands[node] ?? 0 }],
    ),
    vehicleTypes: [{ id: 'truck', capacityKg: capacity, fixedCostPerDay: 0, costPerKm: 1, costPerHour: 0, ...(count === undefined ? {} : { count }) }],
    travel: { matrix: { distanceKm, durationMinutes } },
  };
}

/** The solution in CVRPLIB `.sol` form: `Route #1: 3 7 12` … `Cost 784`. */
export function formatCvrplibSolution(solution: Solution): string {
  const lines = solution.routes.map((route, i) => `Route #${i + 1}: ${route.visits.map((v) => v.stopId).join(' ')}`);
  lines.push(`Cost ${Math.round(solution.totals.distanceKm)}`);
  return `${lines.join('\n')}\n`;
}
