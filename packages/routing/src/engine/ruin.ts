import { randomInt, type Random } from '../random.js';
import type { Instance } from './instance.js';
import type { Plan } from './plan.js';
import type { Route } from './route.js';

/** SISR parameters (Christiaens & Vanden Berghe 2020, table 3). */
const MAX_STRING_LENGTH = 10;
const AVERAGE_REMOVED = 10;
const SPLIT_RATE = 0.5;
const SPLIT_DEPTH = 0.01;

/**
 * SISR's ruin: around a random seed stop, cut strings (runs of consecutive stops) out of the
 * routes of its nearest neighbours, at most one string per route. Removing neighbours together
 * leaves slack in one area of the map, which the recreate step can then use better.
 * Locked stops are never removed; a string passing over one leaves it in place.
 */
export class Ruin {
  private readonly flags: Uint8Array;
  private readonly removed: number[] = [];
  private iteration = 0;

  constructor(
    private readonly inst: Instance,
    private readonly locked: Uint8Array,
    private readonly random: Random,
  ) {
    this.flags = new Uint8Array(inst.n);
  }

  run(plan: Plan): void {
    const iteration = ++this.iteration;
    const served = plan.served();
    if (served === 0) return;
    const usedRoutes = plan.routes.reduce((count, r) => count + (r.length > 0 ? 1 : 0), 0);
    const maxLength = Math.min(MAX_STRING_LENGTH, served / usedRoutes);
    const maxStrings = (4 * AVERAGE_REMOVED) / (1 + maxLength) - 1;
    const strings = Math.floor(this.random() * maxStrings) + 1;
    const n = this.inst.n;
    const seed = this.servedStop(plan);
    let cut = 0;
    for (let k = 0; k < n && cut < strings; k++) {
      const stop = this.inst.neighbours[seed * n + k]!;
      const r = plan.routeOf[stop]!;
      if (r < 0) continue;
      const route = plan.routes[r]!;
      if (route.ruinedAt === iteration) continue;
      route.ruinedAt = iteration;
      cut++;
      const length = Math.floor(this.random() * Math.min(route.length, maxLength)) + 1;
      const position = plan.positionOf[stop]!;
      if (length === route.length || this.random() < SPLIT_RATE) this.flagString(route, position, length, 0);
      else this.flagString(route, position, length, this.preservedLength(route.length, length));
      this.apply(plan, r);
    }
  }

  /**
   * Removes every unlocked stop of a random route and of the route nearest to it (the route of
   * the nearest stop elsewhere), so that recreate may serve both with one vehicle.
   */
  cutRoutePair(plan: Plan): void {
    const n = this.inst.n;
    const seed = this.servedStop(plan);
    const first = plan.routeOf[seed]!;
    let second = -1;
    for (let k = 1; k < n && second < 0; k++) {
      const r = plan.routeOf[this.inst.neighbours[seed * n + k]!]!;
      if (r >= 0 && r !== first) second = r;
    }
    for (const r of second < 0 ? [first] : [first, second]) {
      const route = plan.routes[r]!;
      this.flagString(route, 1, route.length, 0);
      this.apply(plan, r);
    }
  }

  /** A uniformly random served stop (the plan has at least one). */
  private servedStop(plan: Plan): number {
    const n = this.inst.n;
    let stop = randomInt(this.random, n);
    while (plan.routeOf[stop]! < 0) stop = (stop + 1) % n;
    return stop;
  }

  /** How many stops a split string keeps in its middle. */
  private preservedLength(routeLength: number, length: number): number {
    let kept = 1;
    while (length + kept < routeLength && this.random() > SPLIT_DEPTH) kept++;
    return kept;
  }

  /**
   * Flags `length` stops of a window of `length + kept` consecutive positions that contains
   * `position`; the `kept` stops at a random offset inside the window stay.
   */
  private flagString(route: Route, position: number, length: number, kept: number): void {
    const span = length + kept;
    const first = Math.max(1, position - span + 1);
    const last = Math.min(position, route.length - span + 1);
    const start = first + randomInt(this.random, last - first + 1);
    const keepFrom = kept > 0 ? start + randomInt(this.random, length + 1) : start + span;
    for (let p = start; p < start + span; p++) {
      if (p >= keepFrom && p < keepFrom + kept) continue;
      const stop = route.nodes[p]!;
      if (this.locked[stop] === 1) continue;
      this.flags[stop] = 1;
      this.removed.push(stop);
    }
  }

  private apply(plan: Plan, routeIndex: number): void {
    plan.removeFlagged(routeIndex, this.flags, this.removed);
    for (const stop of this.removed) this.flags[stop] = 0;
    this.removed.length = 0;
  }
}
