import type { Instance, TypeData } from './instance.js';
import { Route } from './route.js';

const UNSERVED = -1;

/**
 * A whole solution under construction: one route per vehicle slot (empty slots included), where
 * each stop is, and the stops left out. Slots are added on demand, so that while a type has
 * vehicles left exactly one empty one is there to open a new route, however large the fleet.
 *
 * The search keeps two plans and copies only the routes an iteration touched between them.
 */
export class Plan {
  readonly routes: Route[] = [];
  readonly routeOf: Int32Array;
  readonly positionOf: Int32Array;
  /** Stops that could be served but are not, in no particular order. */
  unassigned: number[] = [];
  /** Indices of routes changed since the last `markClean`. */
  readonly touched: number[] = [];
  private readonly isTouched: number[] = [];

  constructor(readonly inst: Instance) {
    this.routeOf = new Int32Array(inst.n).fill(UNSERVED);
    this.positionOf = new Int32Array(inst.n);
    for (const type of inst.types) this.addSlot(type);
  }

  /** Sum of route costs and penalties of optional stops left out. */
  cost(): number {
    let total = 0;
    for (const route of this.routes) total += route.cost;
    for (const stop of this.unassigned) total += this.inst.penalty[stop]!;
    return total;
  }

  /** Mandatory stops left out: compared before cost, so serving them always comes first. */
  missing(): number {
    let count = 0;
    for (const stop of this.unassigned) count += this.inst.mandatory[stop]!;
    return count;
  }

  /** Stops on routes (stops no vehicle could serve are neither served nor unassigned). */
  served(): number {
    let count = 0;
    for (const route of this.routes) count += route.length;
    return count;
  }

  /** The route of a type's vehicle number `ordinal` (below its limit), adding slots as needed. */
  slot(type: TypeData, ordinal: number): number {
    for (;;) {
      const index = this.routes.findIndex((r) => r.type === type && r.ordinal === ordinal);
      if (index >= 0) return index;
      this.addSlot(type);
    }
  }

  insert(stop: number, routeIndex: number, position: number): void {
    const route = this.routes[routeIndex]!;
    const opened = route.length === 0;
    route.insert(position, stop);
    this.index(routeIndex);
    this.touch(routeIndex);
    if (opened) this.keepSpare(route.type);
  }

  /** Removes the flagged stops of one route and lists them as unassigned. */
  removeFlagged(routeIndex: number, flags: Uint8Array, removed: readonly number[]): void {
    this.routes[routeIndex]!.removeFlagged(flags);
    for (const stop of removed) {
      this.routeOf[stop] = UNSERVED;
      this.unassigned.push(stop);
    }
    this.index(routeIndex);
    this.touch(routeIndex);
  }

  /** Makes the listed routes and the unassigned stops equal to `from`'s. */
  copyTouched(from: Plan, indices: readonly number[]): void {
    for (const r of indices) this.copyRoute(from, r);
    this.copyUnassigned(from);
  }

  copyAll(from: Plan): void {
    for (let r = 0; r < Math.max(from.routes.length, this.routes.length); r++) this.copyRoute(from, r);
    this.copyUnassigned(from);
  }

  markClean(): void {
    for (const r of this.touched) this.isTouched[r] = 0;
    this.touched.length = 0;
  }

  private copyRoute(from: Plan, r: number): void {
    while (this.routes.length <= r) {
      const model = from.routes[this.routes.length]!;
      this.routes.push(new Route(this.inst, model.type, model.ordinal));
      this.isTouched.push(0);
    }
    const source = from.routes[r];
    const route = this.routes[r]!;
    if (source) route.copyFrom(source);
    else route.clear();
    this.index(r);
  }

  private copyUnassigned(from: Plan): void {
    this.unassigned = from.unassigned.slice();
    for (const stop of this.unassigned) this.routeOf[stop] = UNSERVED;
  }

  private index(routeIndex: number): void {
    const route = this.routes[routeIndex]!;
    for (let p = 1; p <= route.length; p++) {
      const stop = route.nodes[p]!;
      this.routeOf[stop] = routeIndex;
      this.positionOf[stop] = p;
    }
  }

  private touch(routeIndex: number): void {
    if (this.isTouched[routeIndex]) return;
    this.isTouched[routeIndex] = 1;
    this.touched.push(routeIndex);
  }

  private keepSpare(type: TypeData): void {
    const slots = this.routes.filter((r) => r.type === type);
    if (slots.length < type.limit && slots.every((r) => r.length > 0)) this.addSlot(type);
  }

  private addSlot(type: TypeData): void {
    const ordinal = this.routes.filter((r) => r.type === type).length;
    this.routes.push(new Route(this.inst, type, ordinal));
    this.isTouched.push(0);
  }
}
