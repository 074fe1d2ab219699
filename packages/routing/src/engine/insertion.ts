import type { Random } from '../random.js';
import type { Instance, TypeData } from './instance.js';
import type { Plan } from './plan.js';
import type { Route } from './route.js';

/**
 * Finds the cheapest feasible place for one stop over every position of every route, each check
 * in constant time from the route's cached profiles. With a blink rate, each position is skipped
 * with that probability (SISR's "blinks", which diversify the otherwise greedy recreate).
 */
export class InsertionFinder {
  routeIndex = -1;
  position = -1;
  delta = Infinity;
  private readonly emptySeenAt: Int32Array;
  private pass = 0;
  /** Positions to evaluate before the next blink; drawn geometrically, so not every position costs a draw. */
  private untilBlink = Infinity;
  private blinkRate = 0;
  private favoured: TypeData | undefined;

  constructor(
    private readonly inst: Instance,
    private readonly random: Random,
  ) {
    this.emptySeenAt = new Int32Array(inst.types.length);
  }

  /**
   * Returns whether a feasible place exists; it is left in `routeIndex`, `position`, `delta`.
   * Opening a vehicle of the `favoured` type is counted free of its fixed cost.
   */
  find(plan: Plan, stop: number, blinkRate: number, favoured?: TypeData): boolean {
    this.favoured = favoured;
    this.routeIndex = -1;
    this.position = -1;
    this.delta = Infinity;
    this.pass++;
    if (blinkRate !== this.blinkRate) {
      this.blinkRate = blinkRate;
      this.untilBlink = this.drawBlink();
    }
    const routes = plan.routes;
    for (let r = 0; r < routes.length; r++) {
      const route = routes[r]!;
      if (route.length === 0) {
        // Empty vehicles of one type are interchangeable: trying one is enough.
        if (this.emptySeenAt[route.type.index] === this.pass) continue;
        this.emptySeenAt[route.type.index] = this.pass;
      }
      if (this.fits(route, stop)) this.scan(route, r, stop);
    }
    return this.routeIndex >= 0;
  }

  /** Positions until the next skipped one: geometric with the blink rate (never, at rate 0). */
  private drawBlink(): number {
    if (this.blinkRate <= 0) return Infinity;
    return Math.floor(Math.log(1 - this.random()) / Math.log(1 - this.blinkRate));
  }

  /** Route-wide necessary conditions: cold chain, and the loads leaving and returning to the depot. */
  private fits(route: Route, stop: number): boolean {
    const inst = this.inst;
    const type = route.type;
    if (inst.cold[stop] === 1 && !type.refrigerated) return false;
    const dims = inst.dims;
    for (let d = 0; d < dims; d++) {
      const capacity = type.capacity[d]!;
      if (route.delivered[d]! + inst.delivery[stop * dims + d]! > capacity) return false;
      if (route.collected[d]! + inst.pickup[stop * dims + d]! > capacity) return false;
    }
    return true;
  }

  private scan(route: Route, routeIndex: number, stop: number): void {
    const inst = this.inst;
    const { dist, size } = inst;
    const type = route.type;
    const nodes = route.nodes;
    const n = route.length;
    const opening = n === 0 && type !== this.favoured ? type.fixed : 0;
    const fromStop = stop * size;
    for (let p = 0; p <= n; p++) {
      if (--this.untilBlink < 0) {
        this.untilBlink = this.drawBlink();
        continue;
      }
      const a = nodes[p]!;
      const b = nodes[p + 1]!;
      let delta = opening + type.perKm * (dist[a * size + stop]! + dist[fromStop + b]! - dist[a * size + b]!);
      // Time only adds cost (but for shortcuts in a non-metric matrix), so distance alone can rule a place out.
      if (delta >= this.delta) continue;
      if (inst.hasPickups && !this.loadFits(route, p, stop)) continue;
      if (inst.timed) {
        if (route.departure[p]! > inst.close[stop]!) break;
        const extra = this.returnDelay(route, p, stop);
        if (extra === Infinity) continue;
        delta += type.perMinute * extra;
      }
      if (delta < this.delta) {
        this.delta = delta;
        this.routeIndex = routeIndex;
        this.position = p;
      }
    }
  }

  /** Deliveries ride until their stop, pickups from theirs: both must fit everywhere. */
  private loadFits(route: Route, p: number, stop: number): boolean {
    const inst = this.inst;
    const dims = inst.dims;
    for (let d = 0; d < dims; d++) {
      const capacity = route.type.capacity[d]!;
      if (route.maxLoadUpTo[p * dims + d]! + inst.delivery[stop * dims + d]! > capacity) return false;
      if (route.maxLoadFrom[p * dims + d]! + inst.pickup[stop * dims + d]! > capacity) return false;
    }
    return true;
  }

  /**
   * How much later the vehicle returns if `stop` goes after position p, or Infinity when a window
   * or the shift would be broken. A delay is absorbed by the waiting still ahead on the route.
   */
  private returnDelay(route: Route, p: number, stop: number): number {
    const inst = this.inst;
    const { time, size } = inst;
    const a = route.nodes[p]!;
    const b = route.nodes[p + 1]!;
    const arrive = route.departure[p]! + time[a * size + stop]!;
    const start = arrive > inst.open[stop]! ? arrive : inst.open[stop]!;
    if (start > inst.close[stop]!) return Infinity;
    const next = start + inst.service[stop]! + time[stop * size + b]!;
    if (next > route.latestStart[p + 1]!) return Infinity;
    const shift = next - route.arrival[p + 1]!;
    const slack = route.waitingFrom[p + 1]!;
    if (shift >= 0) return shift > slack ? shift - slack : 0;
    // Arriving earlier (a shortcut in a non-metric matrix) only helps when nothing waits later.
    return slack > 0 ? 0 : shift;
  }
}
