import { describe, expect, it } from 'vitest';
import { advance, anchorOf, emptyState, excursionsOf, refold, sortBatch, type Excursion, type Sample, type TrackerState } from '../src/monitoring/domain/fold.js';
import { limitsOf } from '../src/monitoring/domain/limits.js';
import { excursionSeverity, toleranceDetail } from '../src/monitoring/domain/severity.js';

/** The stone-fruit transport profile of DOMAIN-FIGURES.md: 0–4 °C, alert after 30 min cumulative out of range. */
const stoneFruit = limitsOf({ minC: 0, maxC: 4, toleranceMinutes: 30, silenceGapMinutes: 10 });
const T0 = Date.parse('2026-07-01T06:00:00Z');
const at = (minute: number) => T0 + minute * 60_000;

/** One reading every 30 s from `from` (inclusive) to `to` (exclusive) minutes, at `c(minute)` °C. */
function series(sensorId: string, from: number, to: number, c: (minute: number) => number): Sample[] {
  const out: Sample[] = [];
  for (let m = from; m < to; m += 0.5) out.push({ sensorId, at: at(m), temperatureC: c(m) });
  return out;
}

describe('excursion rules (stone fruit, 0–4 °C, 30 min tolerated)', () => {
  it('a trip with 35 minutes above range opens one excursion, exceeds the tolerance past 30 minutes and closes 10 minutes back in range', () => {
    const trip = series('s1', 0, 100, (m) => (m >= 20 && m < 55 ? 7.5 : 2));
    const { excursions, state } = excursionsOf(stoneFruit, trip);
    expect(excursions).toHaveLength(1);
    const [excursion] = excursions as [Excursion];
    expect(excursion.startedAt).toBe(at(20));
    expect(excursion.side).toBe('above');
    // Held readings: 20:00 … 54:30 out, each standing 30 s, so 35 min out; exceeded at the reading after 30 min.
    expect(excursion.outMs).toBe(35 * 60_000);
    expect(excursion.exceededAt).toBe(at(50.5));
    expect(excursion.exceededBy).toBe('tolerance');
    expect(excursion.endedAt).toBe(at(55));
    expect(excursion.closeKey?.at).toBe(at(65));
    expect([excursion.minC, excursion.maxC]).toEqual([2, 7.5]);
    expect(excursionSeverity(excursion)).toBe('critical');
    expect(toleranceDetail(excursion, stoneFruit)).toBe('30.5 min out of range 0–4 °C (above) exceeds the 30 min tolerated');
    expect(state.open).toBeNull();
  });

  it('exactly the tolerance is tolerated; a short excursion closes without exceeding and stays major', () => {
    const thirty = excursionsOf(stoneFruit, series('s1', 0, 60, (m) => (m >= 10 && m < 40 ? 5 : 3)));
    expect(thirty.excursions[0]!.outMs).toBe(30 * 60_000);
    expect(thirty.excursions[0]!.exceededAt).toBeNull();
    expect(excursionSeverity(thirty.excursions[0]!)).toBe('major');
  });

  it('a sensor hovering at the limit is one excursion counting only its time out of range (cumulative, not reset)', () => {
    // 4.1 and 3.9 alternate every 30 s for 70 minutes: 35 min out in total, never 10 minutes back in range.
    const flapping = series('s1', 0, 70, (m) => (Math.round(m * 2) % 2 === 0 ? 4.1 : 3.9)).concat(series('s1', 70, 85, () => 2));
    const { excursions } = excursionsOf(stoneFruit, flapping);
    expect(excursions).toHaveLength(1);
    expect(excursions[0]!.outMs).toBe(35 * 60_000);
    expect(excursions[0]!.exceededAt).not.toBeNull();
    expect(excursions[0]!.endedAt).toBe(at(69.5));
  });

  it('a reading below −1 °C (freezing injury) exceeds at once, by the hard limit', () => {
    const { excursions } = excursionsOf(stoneFruit, [...series('s1', 0, 5, () => 1), { sensorId: 's1', at: at(5), temperatureC: -1.6 }, ...series('s1', 5.5, 20, () => 1)]);
    expect(excursions[0]!.exceededAt).toBe(at(5));
    expect(excursions[0]!.exceededBy).toBe('hard_limit');
    expect(toleranceDetail(excursions[0]!, stoneFruit)).toBe('-1.6 °C is beyond the hard limit of -1 °C (range 0–4 °C): the goods may be damaged already');
    expect(excursions[0]!.side).toBe('below');
  });

  it('one warm sensor is an excursion even while another reads in range (the union of sensors)', () => {
    const readings = [...series('door', 0, 60, (m) => (m >= 10 && m < 45 ? 6 : 3)), ...series('front', 0.25, 60, () => 1)];
    const { excursions } = excursionsOf(stoneFruit, readings);
    expect(excursions).toHaveLength(1);
    expect(excursions[0]!.startedAt).toBe(at(10));
    expect(excursions[0]!.outMs).toBe(35 * 60_000);
    expect(excursions[0]!.exceededAt).not.toBeNull();
  });

  it('a silent sensor holds its last reading for the silence gap only: no time out of range is invented', () => {
    // Out at minute 10, then nothing until minute 40: the held reading counts 10 minutes (the gap), not 30.
    const readings = [...series('s1', 0, 10.5, (m) => (m === 10 ? 6 : 2)), ...series('s1', 40, 60, () => 2)];
    const { excursions } = excursionsOf(stoneFruit, readings);
    expect(excursions).toHaveLength(1);
    expect(excursions[0]!.outMs).toBe(10 * 60_000);
    expect(excursions[0]!.exceededAt).toBeNull();
    expect(excursions[0]!.endedAt).toBe(at(40));
  });

  it('an excursion the readings have not left stays open with what it accrued so far', () => {
    const { excursions, state } = excursionsOf(stoneFruit, series('s1', 0, 30, (m) => (m >= 20 ? 9 : 2)));
    expect(state.open?.startedAt).toBe(at(20));
    expect(excursions).toEqual([state.open]);
    expect(state.open?.endedAt).toBeNull();
  });
});

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Four hours of a random trip: 1–3 sensors, a random walk around the range with jumps, gaps of silence. */
function randomTrip(next: () => number): Sample[] {
  const sensors = ['a', 'b', 'c'].slice(0, 1 + Math.floor(next() * 3));
  const samples: Sample[] = [];
  for (const sensorId of sensors) {
    let c = 2;
    let m = next() * 2;
    while (m < 240) {
      c += (next() - 0.5) * 1.5;
      if (next() < 0.02) c = next() < 0.5 ? 8 : -2;
      c = Math.max(-3, Math.min(10, c));
      if (next() < 0.05) c = 2;
      samples.push({ sensorId, at: at(Math.round(m * 2) / 2), temperatureC: Math.round(c * 10) / 10 });
      m += next() < 0.03 ? 5 + next() * 30 : 0.5;
    }
  }
  return samples;
}

function shuffle<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * What the tracker does, without Postgres and Redis: readings arrive in batches, in any order; fresh ones advance
 * the state, a late one folds again from its anchor over every reading received so far, and the excursions
 * recorded from the anchor on are replaced by the fold's.
 */
function track(batches: Sample[][]): { state: TrackerState; excursions: Excursion[] } {
  let state = emptyState();
  const received: Sample[] = [];
  let recorded: Excursion[] = [];
  for (const batch of batches) {
    received.push(...batch);
    const { fresh, late } = sortBatch(state, batch);
    if (late.length > 0) {
      const anchor = anchorOf(late[0]!, recorded);
      const folded = refold(anchor, received, stoneFruit);
      recorded = recorded.filter((e) => e.startKey.at < anchor.at || (e.startKey.at === anchor.at && e.startKey.sensorId < anchor.sensorId));
      recorded.push(...folded.excursions);
      state = folded.state;
    } else {
      const folded = advance(state, stoneFruit, fresh);
      recorded = recorded.filter((e) => !folded.excursions.some((f) => f.startedAt === e.startedAt));
      recorded.push(...folded.excursions);
      state = folded.state;
    }
  }
  return { state, excursions: recorded.sort((a, b) => a.startedAt - b.startedAt) };
}

function allExcursions(samples: Sample[]): Excursion[] {
  const folded = excursionsOf(stoneFruit, samples);
  return folded.excursions;
}

describe('the result is a function of the set of readings', () => {
  it('shuffled and duplicated readings give the same excursions and alarms (200 random trips)', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const next = random(seed);
      const trip = randomTrip(next);
      const expected = allExcursions(trip);
      const duplicated = shuffle([...trip, ...trip.filter(() => next() < 0.3)], next);
      expect(allExcursions(duplicated), `seed ${seed}`).toEqual(expected);
    }
  });

  it('folding in arrival batches, late readings included, ends where one fold of the whole set does (200 random trips)', () => {
    let sawLate = 0;
    let sawExceeded = 0;
    for (let seed = 1; seed <= 200; seed += 1) {
      const next = random(seed * 7919);
      const trip = randomTrip(next);
      // Mostly in order, as gateways send; some readings held back and sent late, some sent twice.
      const inOrder = [...trip].sort((a, b) => a.at - b.at);
      const heldBack = new Set(inOrder.filter(() => next() < 0.05));
      const onTime = inOrder.filter((s) => !heldBack.has(s));
      const arrivals = [...onTime, ...shuffle([...heldBack, ...trip.filter(() => next() < 0.05)], next)];
      const batches: Sample[][] = [];
      for (let i = 0; i < arrivals.length; ) {
        const size = 1 + Math.floor(next() * 40);
        batches.push(arrivals.slice(i, i + size));
        i += size;
      }
      if (heldBack.size > 0) sawLate += 1;
      const whole = excursionsOf(stoneFruit, trip);
      if (whole.excursions.some((e) => e.exceededAt !== null)) sawExceeded += 1;
      const tracked = track(batches);
      expect(tracked.excursions, `seed ${seed}`).toEqual(whole.excursions);
      expect(tracked.state, `seed ${seed}`).toEqual(whole.state);
    }
    // The cases are not vacuous: late readings and exceeded tolerances both occur.
    expect(sawLate).toBeGreaterThan(100);
    expect(sawExceeded).toBeGreaterThan(20);
  }, 30_000);
});
