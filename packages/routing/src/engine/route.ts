import type { Instance, TypeData } from './instance.js';

/**
 * One vehicle's tour with the prefix/suffix data that makes an insertion check constant time:
 * the highest load before and after each position (deliveries and pickups on one tour) and, for
 * timed problems, the latest feasible service start and the waiting still ahead of each position.
 * Positions: 0 is the departure from the depot, 1..length the stops, length+1 the return.
 */
export class Route {
  nodes: Int32Array;
  length = 0;
  distance = 0;
  /** Time back at the depot (the departure when untimed). */
  returnTime = 0;
  cost = 0;
  /** Per load dimension: everything loaded at the depot, everything brought back. */
  readonly delivered: Float64Array;
  readonly collected: Float64Array;
  /** With pickups, per position and dimension: highest on-board load up to / from that position. */
  maxLoadUpTo: Float64Array;
  maxLoadFrom: Float64Array;
  /** With timing, per position. */
  arrival: Float64Array;
  departure: Float64Array;
  latestStart: Float64Array;
  waitingFrom: Float64Array;
  /** Iteration in which the ruin step last cut this route. */
  ruinedAt = -1;

  constructor(
    readonly inst: Instance,
    readonly type: TypeData,
    readonly ordinal: number,
  ) {
    this.delivered = new Float64Array(inst.dims);
    this.collected = new Float64Array(inst.dims);
    this.nodes = new Int32Array(0);
    this.maxLoadUpTo = this.maxLoadFrom = this.arrival = this.departure = this.latestStart = this.waitingFrom = new Float64Array(0);
    this.reserve(8);
    this.refresh();
  }

  /** Puts stop `stop` right after position `position`. */
  insert(position: number, stop: number): void {
    this.reserve(this.length + 1);
    this.nodes.copyWithin(position + 2, position + 1, this.length + 2);
    this.nodes[position + 1] = stop;
    this.length++;
    this.refresh();
  }

  /** Drops every stop flagged in `flags`. */
  removeFlagged(flags: Uint8Array): void {
    let kept = 0;
    for (let p = 1; p <= this.length; p++) {
      const stop = this.nodes[p]!;
      if (flags[stop] === 0) this.nodes[++kept] = stop;
    }
    this.length = kept;
    this.refresh();
  }

  clear(): void {
    this.length = 0;
    this.refresh();
  }

  copyFrom(other: Route): void {
    this.reserve(other.length);
    this.length = other.length;
    this.nodes.set(other.nodes.subarray(0, other.length + 2));
    this.refresh();
  }

  /** Recomputes every cached quantity from the node sequence. */
  refresh(): void {
    const { inst, type, nodes } = this;
    const n = this.length;
    nodes[0] = type.depotNode;
    nodes[n + 1] = type.depotNode;
    let distance = 0;
    for (let p = 0; p <= n; p++) distance += inst.dist[nodes[p]! * inst.size + nodes[p + 1]!]!;
    this.distance = distance;
    this.refreshTotals();
    if (inst.hasPickups) this.refreshLoadProfile();
    this.returnTime = inst.timed ? this.refreshTiming() : type.start;
    this.cost = n === 0 ? 0 : type.fixed + type.perKm * distance + type.perMinute * (this.returnTime - type.start);
  }

  private refreshTotals(): void {
    const { inst, nodes, delivered, collected } = this;
    const dims = inst.dims;
    delivered.fill(0);
    collected.fill(0);
    for (let p = 1; p <= this.length; p++) {
      const base = nodes[p]! * dims;
      for (let d = 0; d < dims; d++) {
        delivered[d]! += inst.delivery[base + d]!;
        collected[d]! += inst.pickup[base + d]!;
      }
    }
  }

  private refreshLoadProfile(): void {
    const { inst, nodes, maxLoadUpTo, maxLoadFrom } = this;
    const dims = inst.dims;
    const n = this.length;
    for (let d = 0; d < dims; d++) {
      let load = this.delivered[d]!;
      let highest = load;
      maxLoadUpTo[d] = highest;
      maxLoadFrom[d] = load;
      for (let p = 1; p <= n; p++) {
        const base = nodes[p]! * dims + d;
        load += inst.pickup[base]! - inst.delivery[base]!;
        if (load > highest) highest = load;
        maxLoadUpTo[p * dims + d] = highest;
        maxLoadFrom[p * dims + d] = load;
      }
      for (let p = n - 1; p >= 0; p--) {
        const later = maxLoadFrom[(p + 1) * dims + d]!;
        if (later > maxLoadFrom[p * dims + d]!) maxLoadFrom[p * dims + d] = later;
      }
    }
  }

  /** Forward pass for times, backward pass for latest starts; returns the return time. */
  private refreshTiming(): number {
    const { inst, type, nodes, arrival, departure, latestStart, waitingFrom } = this;
    const size = inst.size;
    const n = this.length;
    departure[0] = type.start;
    arrival[0] = type.start;
    const waits = waitingFrom;
    for (let p = 1; p <= n + 1; p++) {
      const at = nodes[p]!;
      const arrive = departure[p - 1]! + inst.time[nodes[p - 1]! * size + at]!;
      arrival[p] = arrive;
      if (p > n) break;
      const start = arrive > inst.open[at]! ? arrive : inst.open[at]!;
      waits[p] = start - arrive;
      departure[p] = start + inst.service[at]!;
    }
    latestStart[n + 1] = type.end;
    waits[n + 1] = 0;
    for (let p = n; p >= 1; p--) {
      const at = nodes[p]!;
      const latest = latestStart[p + 1]! - inst.time[at * size + nodes[p + 1]!]! - inst.service[at]!;
      latestStart[p] = latest < inst.close[at]! ? latest : inst.close[at]!;
      waits[p] = waits[p]! + waits[p + 1]!;
    }
    return arrival[n + 1]!;
  }

  private reserve(stops: number): void {
    if (this.nodes.length >= stops + 2) return;
    const capacity = Math.max(stops + 2, this.nodes.length * 2);
    const nodes = new Int32Array(capacity);
    nodes.set(this.nodes);
    this.nodes = nodes;
    const dims = this.inst.dims;
    if (this.inst.hasPickups) {
      this.maxLoadUpTo = new Float64Array(capacity * dims);
      this.maxLoadFrom = new Float64Array(capacity * dims);
    }
    if (this.inst.timed) {
      this.arrival = new Float64Array(capacity);
      this.departure = new Float64Array(capacity);
      this.latestStart = new Float64Array(capacity);
      this.waitingFrom = new Float64Array(capacity);
    }
  }
}
