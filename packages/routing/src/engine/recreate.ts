import { randomInt, type Random } from '../random.js';
import type { Instance, TypeData } from './instance.js';
import { InsertionFinder } from './insertion.js';
import type { Plan } from './plan.js';

type Order = (a: number, b: number) => number;

/**
 * SISR's recreate: put the left-out stops back one by one, each at its cheapest feasible place
 * (with blinks), in an order drawn at random among: random, largest first, farthest from the
 * depot first, closest first (weights 4:4:2:1, as in the paper). An optional stop goes back only
 * when serving it costs less than deferring it.
 */
export class Recreate {
  private readonly finder: InsertionFinder;
  private readonly orders: readonly (readonly [weight: number, order: Order | undefined])[];
  private readonly totalWeight: number;

  constructor(
    private readonly inst: Instance,
    private readonly random: Random,
  ) {
    this.finder = new InsertionFinder(inst, random);
    const fromDepot = (s: number) => inst.dist[inst.n * inst.size + s]!;
    this.orders = [
      [4, undefined],
      [4, (a, b) => inst.bulk[b]! - inst.bulk[a]!],
      [2, (a, b) => fromDepot(b) - fromDepot(a)],
      [1, (a, b) => fromDepot(a) - fromDepot(b)],
    ];
    this.totalWeight = this.orders.reduce((sum, [weight]) => sum + weight, 0);
  }

  /** Inserts every unassigned stop it can; `favoured` vehicles open free (see the route-pair move in perturb.ts). */
  run(plan: Plan, blinkRate: number, favoured?: TypeData): void {
    const pending = plan.unassigned;
    plan.unassigned = [];
    this.shuffle(pending);
    const order = this.pickOrder();
    if (order) pending.sort(order);
    const { inst, finder } = this;
    for (const stop of pending) {
      const placed = finder.find(plan, stop, blinkRate, favoured) && (inst.mandatory[stop] === 1 || finder.delta < inst.penalty[stop]!);
      if (placed) plan.insert(stop, finder.routeIndex, finder.position);
      else plan.unassigned.push(stop);
    }
  }

  private pickOrder(): Order | undefined {
    let draw = this.random() * this.totalWeight;
    for (const [weight, order] of this.orders) {
      draw -= weight;
      if (draw < 0) return order;
    }
    return undefined;
  }

  /** Fisher–Yates; also breaks the ties of the sorted orders at random. */
  private shuffle(stops: number[]): void {
    for (let i = stops.length - 1; i > 0; i--) {
      const j = randomInt(this.random, i + 1);
      [stops[i], stops[j]] = [stops[j]!, stops[i]!];
    }
  }
}
