import { beyondHardLimit, sideOf, type Limits, type Side } from './limits.js';

/**
 * A container's excursion state as a function of the SET of its readings (issue #11: "the result never depends on
 * arrival order"). Readings are taken once per (sensor, measuredAt) and in the total order of `Key` — measuredAt,
 * then sensor id — and folded left to right by `advance`. The fold is the definition; the tracker keeps it up to
 * date incrementally and, when a reading arrives late, folds again from an anchor (see `anchorOf`), which by
 * construction gives the state a fold of the whole set gives.
 *
 * The rules, in the order `advance` applies them to a reading at time t:
 * 1. Hold: each sensor's last reading stands for the container from its time for at most the silence gap. Between
 *    two readings the container is out of range while any sensor's held reading is out of range (the union over
 *    sensors: one warm corner is an excursion even when another sensor reads cold).
 * 2. Open: with no excursion open, a reading out of range opens one at t, on that reading's side.
 * 3. Accrue: an open excursion accrues the time the container was out of range since the previous reading —
 *    "cumulative within the excursion": short returns into range inside it do not count, and do not reset it.
 * 4. Exceed: once the accrued time is more than the tolerance, or a reading is beyond a hard limit (freezing), the
 *    excursion has exceeded at t — the `tolerance_exceeded` alarm, once per excursion.
 * 5. Close: the container is in range at t when no sensor's held reading is out of range and one is in range. An
 *    excursion closes when it has been in range for `closeAfterMs`: it ended when the in-range stretch began.
 *    Readings of silent sensors neither keep it open nor close it.
 */

/** The order readings are folded in: by time, then sensor id. */
export interface Key {
  at: number;
  sensorId: string;
}

export interface Sample extends Key {
  temperatureC: number;
}

export interface SensorLast {
  at: number;
  temperatureC: number;
  side: Side | null;
}

export interface Excursion {
  /** The reading that opened it. */
  startKey: Key;
  startedAt: number;
  side: Side;
  /** The opening reading's temperature. */
  startC: number;
  /** Time out of range accrued up to the last reading folded (rule 3). */
  outMs: number;
  /** Of every reading from the opening one to the one that closed it. */
  minC: number;
  maxC: number;
  /** A reading beyond a hard limit was seen. */
  hardLimitCrossed: boolean;
  exceededAt: number | null;
  exceededBy: 'tolerance' | 'hard_limit' | null;
  /** The reading's temperature and the time out of range accrued when it exceeded (the alarm's detail). */
  exceededC: number | null;
  exceededOutMs: number | null;
  /** When the current stretch back in range began (rule 5); null while out of range. */
  inSince: number | null;
  /** Set when closed: when it ended (the in-range stretch began) and the reading that confirmed it. */
  endedAt: number | null;
  closeKey: Key | null;
}

export interface TrackerState {
  /** The greatest key folded so far; null before any reading. */
  last: Key | null;
  sensors: Record<string, SensorLast>;
  open: Excursion | null;
}

const NOT_EXCEEDED = { exceededAt: null, exceededBy: null, exceededC: null, exceededOutMs: null } as const;

export const emptyState = (): TrackerState => ({ last: null, sensors: {}, open: null });

export function compareKeys(a: Key, b: Key): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0;
}

/** Readings once per (sensor, time), in fold order. Of two readings claiming one key, the lower temperature wins: any fixed rule would do, and the set decides it, not arrival. */
export function canonical(samples: readonly Sample[]): Sample[] {
  const byKey = new Map<string, Sample>();
  for (const sample of samples) {
    const id = `${sample.at}|${sample.sensorId}`;
    const seen = byKey.get(id);
    if (!seen || sample.temperatureC < seen.temperatureC) byKey.set(id, sample);
  }
  return [...byKey.values()].sort(compareKeys);
}

type Status = 'out' | 'in' | 'unknown';

function statusAt(sensors: Record<string, SensorLast>, t: number, gapMs: number): Status {
  let status: Status = 'unknown';
  for (const sensor of Object.values(sensors)) {
    if (t - sensor.at >= gapMs) continue;
    if (sensor.side) return 'out';
    status = 'in';
  }
  return status;
}

/** The time in [from, to) during which some sensor's held out-of-range reading stood for the container. */
function outOfRangeBetween(sensors: Record<string, SensorLast>, from: number, to: number, gapMs: number): number {
  let until = from;
  for (const sensor of Object.values(sensors)) if (sensor.side) until = Math.max(until, Math.min(to, sensor.at + gapMs));
  return until - from;
}

export interface Folded {
  state: TrackerState;
  /** Every excursion the fold touched: those it closed, in order, then the one still open. */
  excursions: Excursion[];
  /** Whether an excursion opened, exceeded or closed during the fold: what must reach Postgres and the outbox. */
  transitions: { opened: number; exceeded: number; closed: number };
}

/**
 * Folds readings that all come after `state.last` into it. The caller guarantees the order (`canonical`, then only
 * keys greater than `state.last`); a reading that is not greater is a late one, for `anchorOf`.
 */
export function advance(state: TrackerState, limits: Limits, samples: readonly Sample[]): Folded {
  let { last, open } = state;
  const sensors = { ...state.sensors };
  open = open ? { ...open } : null;
  const excursions: Excursion[] = [];
  const transitions = { opened: 0, exceeded: 0, closed: 0 };
  for (const sample of samples) {
    if (last && compareKeys(sample, last) <= 0) throw new Error(`reading ${sample.sensorId}@${sample.at} is not after ${last.sensorId}@${last.at}: fold it from an anchor`);
    const t = sample.at;
    if (open && last) open.outMs += outOfRangeBetween(sensors, last.at, t, limits.gapMs);
    const side = sideOf(limits, sample.temperatureC);
    sensors[sample.sensorId] = { at: t, temperatureC: sample.temperatureC, side };
    last = { at: t, sensorId: sample.sensorId };
    if (!open && side) {
      const c = sample.temperatureC;
      open = { startKey: last, startedAt: t, side, startC: c, outMs: 0, minC: c, maxC: c, hardLimitCrossed: false, inSince: null, endedAt: null, closeKey: null, ...NOT_EXCEEDED };
      transitions.opened += 1;
    }
    if (!open) continue;
    open.minC = Math.min(open.minC, sample.temperatureC);
    open.maxC = Math.max(open.maxC, sample.temperatureC);
    if (beyondHardLimit(limits, sample.temperatureC)) open.hardLimitCrossed = true;
    if (open.exceededAt === null && (open.hardLimitCrossed || open.outMs > limits.toleranceMs)) {
      open.exceededAt = t;
      open.exceededBy = open.hardLimitCrossed ? 'hard_limit' : 'tolerance';
      open.exceededC = sample.temperatureC;
      open.exceededOutMs = open.outMs;
      transitions.exceeded += 1;
    }
    const status = statusAt(sensors, t, limits.gapMs);
    if (status === 'out') open.inSince = null;
    else if (status === 'in') {
      open.inSince ??= t;
      if (t - open.inSince >= limits.closeAfterMs) {
        excursions.push({ ...open, endedAt: open.inSince, closeKey: last });
        transitions.closed += 1;
        open = null;
      }
    }
  }
  if (open) excursions.push(open);
  return { state: { last, sensors, open }, excursions, transitions };
}

/**
 * Where to fold again from when a reading at `late` arrives after later ones were folded: the start of the
 * excursion it falls into (from its opening reading to the reading that closed it, or still open), or the late
 * reading itself when it falls into a quiet period. Just before that key no excursion is open, so the state there
 * is `stateBefore` of the readings before it.
 */
export function anchorOf(late: Key, excursions: readonly Pick<Excursion, 'startKey' | 'closeKey'>[]): Key {
  let anchor = late;
  for (const excursion of excursions) {
    const started = compareKeys(excursion.startKey, late) <= 0;
    const notClosedBefore = excursion.closeKey === null || compareKeys(late, excursion.closeKey) <= 0;
    if (started && notClosedBefore && compareKeys(excursion.startKey, anchor) < 0) anchor = excursion.startKey;
  }
  return anchor;
}

/**
 * The state just before `anchor` in a quiet period, from the readings before it (only each sensor's last one
 * matters, and only within a silence gap of the anchor: the caller may pass just those).
 */
export function stateBefore(anchor: Key, samples: readonly Sample[], limits: Limits): TrackerState {
  const sensors: Record<string, SensorLast> = {};
  let last: Key | null = null;
  for (const sample of canonical(samples)) {
    if (compareKeys(sample, anchor) >= 0) break;
    sensors[sample.sensorId] = { at: sample.at, temperatureC: sample.temperatureC, side: sideOf(limits, sample.temperatureC) };
    last = { at: sample.at, sensorId: sample.sensorId };
  }
  return { last, sensors, open: null };
}

/** The excursions of a whole set of readings, arrival order and duplicates aside: the definition the tracker keeps. */
export function excursionsOf(limits: Limits, samples: readonly Sample[]): Folded {
  return advance(emptyState(), limits, canonical(samples));
}

/**
 * How a batch of readings meets the state: `fresh` ones come after everything folded (advance with them), `late`
 * ones do not (fold again from `anchorOf` the earliest). A reading equal to its sensor's last one is a duplicate
 * and is neither.
 */
export function sortBatch(state: TrackerState, samples: readonly Sample[]): { fresh: Sample[]; late: Sample[] } {
  const fresh: Sample[] = [];
  const late: Sample[] = [];
  for (const sample of canonical(samples)) {
    if (!state.last || compareKeys(sample, state.last) > 0) fresh.push(sample);
    else if (state.sensors[sample.sensorId]?.at !== sample.at) late.push(sample);
  }
  return { fresh, late };
}

/**
 * The fold again from `anchor` (see `anchorOf`), over every reading from a silence gap before it onwards: what a
 * fold of the whole set gives from there, so an incremental update with a late reading equals a recompute.
 */
export function refold(anchor: Key, samples: readonly Sample[], limits: Limits): Folded {
  const all = canonical(samples);
  const from = all.findIndex((sample) => compareKeys(sample, anchor) >= 0);
  const before = from < 0 ? all : all.slice(0, from);
  const after = from < 0 ? [] : all.slice(from);
  return advance(stateBefore(anchor, before, limits), limits, after);
}
