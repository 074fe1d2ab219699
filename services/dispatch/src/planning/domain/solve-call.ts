import type { Vehicle } from '@county/contracts';
import { InvalidProblemError, solve, type Lock, type Problem, type UnassignedReason, type VehicleType } from '@county/routing';
import type { WaveContext } from './context.js';
import { PlanRefusal } from './refusal.js';
import type { RouteDraft, Tier } from './routes.js';
import { routingStop, type Chunk } from './stops.js';
import type { SolverCall } from './types.js';

/**
 * Iterations a second of budget buys. The plan is deterministic for a seed because the search runs a fixed number
 * of iterations (the solver's iteration limit); the budget in seconds is turned into that number at this rate and
 * also caps the run, so a loaded machine stops early rather than overrun (`SolverCall.iterationsRun` then shows
 * fewer than asked, and only then does the seed alone not repeat the plan). Measured with bench/dispatch-plan.ts
 * on the development machine (2 cores shared with other work, load 5–7): a 300-station wave ran 3,000–5,000
 * iterations a second consolidated and 2,000–2,500 in the counterfactual's single-courier problems (each courier
 * serves nearly every station with fewer, longer routes); idle, about three times that. 2,000 keeps the cap out
 * of reach on that machine.
 */
export const ITERATIONS_PER_SECOND = 2_000;
const MIN_ITERATIONS = 100;

export function iterationsFor(budgetSeconds: number): number {
  return Math.max(MIN_ITERATIONS, Math.round(budgetSeconds * ITERATIONS_PER_SECOND));
}

export interface CallSpec {
  readonly call: string;
  readonly tier: Tier;
  /** Where the problem's depot is (vehicle types may have their own). */
  readonly depotStationId: string;
  readonly chunks: readonly Chunk[];
  readonly fleet: readonly { readonly type: VehicleType; readonly depotStationId: string; readonly vehicle?: Vehicle }[];
  /** Chunks locked to a vehicle, and the lock's name in the request (`locks.stops[2]`) for a refusal. */
  readonly locks?: ReadonlyMap<string, { lock: Lock; field: string }>;
  readonly budgetSeconds: number;
}

export interface SearchOptions {
  readonly seed: number;
  readonly now?: () => number;
}

export interface CallResult {
  readonly routes: RouteDraft[];
  readonly unassigned: { chunk: Chunk; reason: UnassignedReason }[];
  readonly record: SolverCall;
}

/** One solver call: the chunks as stops, one vehicle type per vehicle, the budget as iterations and a cap. */
export function runCall(ctx: WaveContext, spec: CallSpec, options: SearchOptions): CallResult {
  const iterations = iterationsFor(spec.budgetSeconds);
  const record: SolverCall = { call: spec.call, stops: spec.chunks.length, budgetSeconds: spec.budgetSeconds, iterations, iterationsRun: 0 };
  if (spec.chunks.length === 0) return { routes: [], unassigned: [], record: { ...record, iterations: 0 } };
  if (spec.fleet.length === 0) {
    return { routes: [], unassigned: spec.chunks.map((chunk) => ({ chunk, reason: 'capacity' as const })), record: { ...record, iterations: 0 } };
  }
  const problem: Problem = {
    depot: { location: ctx.travel.location(spec.depotStationId) },
    stops: spec.chunks.map((chunk) => routingStop(ctx, chunk, spec.locks?.get(chunk.id)?.lock)),
    vehicleTypes: spec.fleet.map((f) => f.type),
    travel: ctx.travel.problemTravel,
  };
  let solution;
  try {
    solution = solve(problem, {
      seed: options.seed,
      iterations,
      timeLimitMs: spec.budgetSeconds * 1000,
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    if (error instanceof InvalidProblemError) throw refusalOf(spec, error);
    throw error;
  }
  const chunkOf = new Map(spec.chunks.map((c) => [c.id, c]));
  const depotOf = new Map(spec.fleet.map((f) => [f.type.id, f.depotStationId]));
  const lockedTo = new Map<string, Set<string>>();
  for (const [chunkId, { lock }] of spec.locks ?? []) {
    const set = lockedTo.get(lock.vehicleId) ?? new Set<string>();
    set.add(chunkOf.get(chunkId)!.stationId);
    lockedTo.set(lock.vehicleId, set);
  }
  const routes: RouteDraft[] = solution.routes.map((route) => ({
    tier: spec.tier,
    depotStationId: depotOf.get(route.vehicleTypeId) ?? spec.depotStationId,
    route,
    chunks: route.visits.map((v) => chunkOf.get(v.stopId)!),
    locked: false,
    lockedStations: lockedTo.get(route.vehicleId) ?? new Set(),
  }));
  return {
    routes,
    unassigned: solution.unassigned.map((u) => ({ chunk: chunkOf.get(u.stopId)!, reason: u.reason })),
    record: { ...record, iterationsRun: solution.iterations },
  };
}

/** A lock the solver cannot honour, named as the request named it. */
function refusalOf(spec: CallSpec, error: InvalidProblemError): PlanRefusal | Error {
  for (const issue of error.issues) {
    const match = /^stops\[(\d+)\]\.lock/.exec(issue.path);
    const chunk = match ? spec.chunks[Number(match[1])] : undefined;
    const lock = chunk ? spec.locks?.get(chunk.id) : undefined;
    if (lock) return new PlanRefusal(lock.field, `cannot be honoured: ${issue.message}`);
  }
  return error;
}
