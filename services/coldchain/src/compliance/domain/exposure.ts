/**
 * What a parcel went through in one container over one span of its custody, from the container's readings.
 *
 * Each reading stands for its sensor's temperature from when it was measured until that sensor's next reading, at
 * most the profile's silence gap (a sensor gone quiet stops counting: that time has no data, neither in range nor
 * out). Time out of range is the union of the spans where any sensor's reading stood out of range (a warm corner
 * counts even when another sensor reads fine); time in range is the rest of the time some reading covers. The
 * readings are a set: one per sensor and instant, in any order, so duplicates and late arrivals change nothing.
 */

export interface ReadingPoint {
  sensorId: string;
  /** ISO-8601 UTC. */
  measuredAt: string;
  temperatureC: number;
}

export interface Range {
  minC: number;
  maxC: number;
}

/** A stretch of time one reading stood for, in epoch ms. */
export interface Segment {
  from: number;
  to: number;
  temperatureC: number;
}

export interface Exposure {
  segments: Segment[];
  outOfRangeMs: number;
  coveredMs: number;
  /** Readings measured within the span [from, to). */
  readings: ReadingPoint[];
}

export const inRange = (temperatureC: number, range: Range) => temperatureC >= range.minC && temperatureC <= range.maxC;

/** One reading per sensor and instant, each sensor's in time order (a duplicate's twin with the lower value kept). */
export function distinctBySensor(readings: readonly ReadingPoint[]): Map<string, ReadingPoint[]> {
  const sorted = [...readings].sort(
    (a, b) => (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : a.measuredAt < b.measuredAt ? -1 : a.measuredAt > b.measuredAt ? 1 : a.temperatureC - b.temperatureC),
  );
  const bySensor = new Map<string, ReadingPoint[]>();
  for (const reading of sorted) {
    const list = bySensor.get(reading.sensorId) ?? [];
    const last = list[list.length - 1];
    if (last?.measuredAt !== reading.measuredAt) list.push(reading);
    bySensor.set(reading.sensorId, list);
  }
  return bySensor;
}

/** Total length of the union of intervals. */
export function unionLength(intervals: readonly { from: number; to: number }[]): number {
  const sorted = [...intervals].filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  let total = 0;
  let end = -Infinity;
  for (const interval of sorted) {
    if (interval.from >= end) {
      total += interval.to - interval.from;
      end = interval.to;
    } else if (interval.to > end) {
      total += interval.to - end;
      end = interval.to;
    }
  }
  return total;
}

/** The exposure over [from, to) (epoch ms) given the container's readings from at least `gapMs` before `from`. */
export function exposureOf(readings: readonly ReadingPoint[], span: { from: number; to: number }, gapMs: number, range: Range): Exposure {
  const segments: Segment[] = [];
  const within: ReadingPoint[] = [];
  for (const series of distinctBySensor(readings).values()) {
    series.forEach((reading, i) => {
      const at = Date.parse(reading.measuredAt);
      if (at >= span.from && at < span.to) within.push(reading);
      const next = series[i + 1];
      const until = Math.min(next ? Date.parse(next.measuredAt) : Infinity, at + gapMs);
      const from = Math.max(at, span.from);
      const to = Math.min(until, span.to);
      if (to > from) segments.push({ from, to, temperatureC: reading.temperatureC });
    });
  }
  within.sort((a, b) => (a.measuredAt < b.measuredAt ? -1 : a.measuredAt > b.measuredAt ? 1 : a.sensorId < b.sensorId ? -1 : 1));
  return {
    segments,
    outOfRangeMs: unionLength(segments.filter((s) => !inRange(s.temperatureC, range))),
    coveredMs: unionLength(segments),
    readings: within,
  };
}
