import { createRandom } from '@county/routing';
import { describe, expect, it } from 'vitest';
import {
  decideFact,
  deriveParcel,
  type Actor,
  type DerivedParcel,
  type LifecycleParcel,
  type ParcelFact,
  type ScanKind,
} from '../src/lifecycle/index.js';

function shuffle<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const T0 = Date.parse('2026-06-10T00:00:00.000Z');
const operator: Actor = { keyId: 'op-1', role: 'operator' };
const keeper: Actor = { keyId: 'keeper-7', role: 'station' };
const driver: Actor = { keyId: 'driver-3', role: 'driver' };
const courier: Actor = { keyId: 'zto-511623', role: 'courier' };

/** Builds the facts of one parcel's day in the order they happen, with the field's habits. */
class Day {
  readonly facts: ParcelFact[] = [];
  private minute = 0;
  private count = 0;

  constructor(private readonly rand: () => number) {}

  maybe(p: number): boolean {
    return this.rand() < p;
  }

  /** A handheld's scan: its clock may be off by up to half an hour either way. */
  scan(kind: ScanKind, stationId: string, actor: Actor): ParcelFact {
    const skew = this.maybe(0.2) ? Math.round((this.rand() - 0.5) * 60) : 0;
    return this.add({ kind, stationId, actor }, skew);
  }

  route(kind: 'route_confirmed' | 'route_departed' | 'route_cancelled', routeId: string): ParcelFact {
    return this.add({ kind, routeId, actor: kind === 'route_departed' ? driver : operator }, 0);
  }

  stop(routeId: string, stationId: string): ParcelFact {
    return this.add({ kind: 'stop_handed_over', routeId, stationId, actor: driver }, 0);
  }

  other(kind: 'manifested' | 'booked' | 'address_corrected', actor: Actor): ParcelFact {
    return this.add({ kind, actor }, 0);
  }

  /** Re-uploads: the very same facts again, late. */
  reupload(): void {
    const copies = Math.floor(this.rand() * 4);
    for (let i = 0; i < copies && this.facts.length > 0; i++) {
      this.facts.push(this.facts[Math.floor(this.rand() * this.facts.length)] as ParcelFact);
    }
  }

  private add(fields: Record<string, unknown>, skew: number): ParcelFact {
    // Handhelds stamp to the minute: facts often share an instant, which the tie-break must settle.
    if (!this.maybe(0.25)) this.minute += 1 + Math.floor(this.rand() * 90);
    const occurred = T0 + (this.minute + skew) * 60_000;
    const fact = {
      ...fields,
      id: `f${++this.count}`,
      occurredAt: new Date(occurred).toISOString(),
      receivedAt: new Date(occurred + Math.floor(this.rand() * 600) * 60_000).toISOString(),
    } as ParcelFact;
    this.facts.push(fact);
    return fact;
  }
}

interface Options {
  /** Add a second report (another id) of the parcel's end, which confirms it. */
  repeatEnd: boolean;
}

function downstreamDay(rand: () => number, options: Options): { parcel: LifecycleParcel; day: Day } {
  const parcel: LifecycleParcel = {
    direction: 'downstream',
    destinationStationId: 'st-lijia',
    townStationId: rand() < 0.4 ? 'st-town-qq' : null,
  };
  const day = new Day(rand);
  if (day.maybe(0.9)) day.other('manifested', courier);
  if (day.maybe(0.85)) day.scan('receive', 'center', operator);
  if (day.maybe(0.2)) day.scan('damaged', 'center', operator);
  let route = 'r1';
  if (day.maybe(0.9)) day.route('route_confirmed', route);
  if (day.maybe(0.6)) day.scan('sort', 'center', operator);
  if (day.maybe(0.25)) {
    day.route('route_cancelled', route);
    route = 'r2';
    if (day.maybe(0.9)) day.route('route_confirmed', route);
    if (day.maybe(0.5)) day.scan('sort', 'center', operator);
  }
  if (day.maybe(0.8)) day.route('route_departed', route);
  if (parcel.townStationId !== null && day.maybe(0.7)) {
    if (day.maybe(0.6)) day.stop(route, parcel.townStationId);
    if (day.maybe(0.6)) day.scan('handover', parcel.townStationId, keeper);
  }
  const handOver = rand();
  if (handOver < 0.9 && handOver >= 0.35) day.scan('handover', 'st-lijia', keeper);
  if (handOver < 0.35 || (handOver >= 0.6 && handOver < 0.9)) day.stop(route, 'st-lijia');
  if (day.maybe(0.15)) {
    day.scan('address_unknown', 'st-lijia', keeper);
    if (day.maybe(0.7)) day.other('address_corrected', operator);
  }
  const end = rand();
  if (end < 0.55) {
    day.scan('deliver', 'st-lijia', keeper);
    if (options.repeatEnd && day.maybe(0.3)) day.scan('deliver', 'st-lijia', keeper);
  } else if (end < 0.7) {
    day.scan('refused', 'st-lijia', keeper);
    if (day.maybe(0.8)) day.scan('return', 'center', operator);
  } else if (end < 0.8) {
    day.scan('lost', 'center', operator);
  }
  return { parcel, day };
}

function upstreamDay(rand: () => number, options: Options): { parcel: LifecycleParcel; day: Day } {
  const parcel: LifecycleParcel = { direction: 'upstream', originStationId: 'st-lijia' };
  const day = new Day(rand);
  if (day.maybe(0.9)) day.other('booked', courier);
  if (day.maybe(0.8)) day.scan('collect', 'st-lijia', driver);
  if (day.maybe(0.15)) day.scan('damaged', 'st-lijia', driver);
  if (day.maybe(0.8)) day.scan('center_arrival', 'center', operator);
  const end = rand();
  if (end < 0.7) {
    day.scan('linehaul_handover', 'center', operator);
    if (options.repeatEnd && day.maybe(0.3)) day.scan('linehaul_handover', 'center', operator);
  } else if (end < 0.85) {
    day.scan('lost', 'center', operator);
  }
  return { parcel, day };
}

/**
 * Deep equality, fast: derived parcels are built with a fixed key order, so equal JSON means equal
 * values; vitest's diff is only needed to explain a difference.
 */
function expectSame(actual: DerivedParcel, expected: DerivedParcel, label: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, label).toEqual(expected);
}

/** Applies facts one by one through decideFact, keeping what is accepted, as intake does. */
function applyInOrder(parcel: LifecycleParcel, facts: readonly ParcelFact[]) {
  const accepted: ParcelFact[] = [];
  const refused: string[] = [];
  let last: DerivedParcel = deriveParcel(parcel, []);
  for (const fact of facts) {
    const decision = decideFact(parcel, accepted, fact);
    if (!decision.accepted) {
      refused.push(`${fact.id}:${decision.code}`);
      continue;
    }
    if (decision.kind !== 'duplicate') accepted.push(fact);
    last = decision.derived;
  }
  const derived = deriveParcel(parcel, accepted);
  expectSame(last, derived, 'the last decision derives what deriveParcel does');
  return { derived, refused };
}

const byOccurrence = (facts: readonly ParcelFact[]) =>
  [...facts].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));

const SEEDS = 200;
const SHUFFLES = 3;

describe('order independence', () => {
  it(`any order of the same facts ends in the same state and timeline (seeds 1–${SEEDS})`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rand = createRandom(seed);
      const { parcel, day } = (seed % 3 === 0 ? upstreamDay : downstreamDay)(rand, { repeatEnd: true });
      day.reupload();
      const expected = applyInOrder(parcel, byOccurrence(day.facts));
      expect(expected.refused, `seed ${seed}: a realistic day is never refused`).toEqual([]);
      for (let round = 0; round < SHUFFLES; round++) {
        const actual = applyInOrder(parcel, shuffle(day.facts, rand));
        expect(actual.refused, `seed ${seed}, shuffle ${round}`).toEqual([]);
        expectSame(actual.derived, expected.derived, `seed ${seed}, shuffle ${round}`);
      }
    }
  });

  it(`with contradicting facts, every order keeps the same ones and ends alike (seeds 1–${SEEDS})`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rand = createRandom(seed);
      const { parcel, day } = (seed % 3 === 0 ? upstreamDay : downstreamDay)(rand, { repeatEnd: false });
      // An operator declares the parcel lost at some moment, whatever else happened; downstream, a
      // dispatcher may also cancel the first route at some moment, whether or not it left.
      const lost = day.scan('lost', 'center', operator);
      const lostAt = T0 + Math.floor(rand() * 1500) * 60_000;
      Object.assign(lost, { occurredAt: new Date(lostAt).toISOString() });
      if (parcel.direction === 'downstream' && day.maybe(0.5)) {
        const cancel = day.route('route_cancelled', 'r1');
        Object.assign(cancel, { occurredAt: new Date(T0 + Math.floor(rand() * 1500) * 60_000).toISOString() });
      }
      day.reupload();
      const expected = applyInOrder(parcel, byOccurrence(day.facts));
      for (const refusal of expected.refused) expect(refusal).toMatch(/:(TERMINAL_CONFLICT|ROUTE_ALREADY_DEPARTED)$/);
      for (let round = 0; round < SHUFFLES; round++) {
        const actual = applyInOrder(parcel, shuffle(day.facts, rand));
        expectSame(actual.derived, expected.derived, `seed ${seed}, shuffle ${round}`);
      }
    }
  });
});
