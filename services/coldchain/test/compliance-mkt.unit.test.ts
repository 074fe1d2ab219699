import { describe, expect, it } from 'vitest';
import { exposureOf } from '../src/compliance/domain/exposure.js';
import { GAS_CONSTANT, meanKineticTemperature } from '../src/compliance/domain/mkt.js';

const at = (minute: number) => new Date(Date.UTC(2026, 6, 21, 8, minute)).toISOString();
const reading = (minute: number, temperatureC: number, sensorId = 's1') => ({ sensorId, measuredAt: at(minute), temperatureC });
const span = (from: number, to: number) => ({ from: Date.parse(at(from)), to: Date.parse(at(to)) });
const mktOf = (readings: ReturnType<typeof reading>[], to: number, gapMinutes = 15) =>
  meanKineticTemperature(
    exposureOf(readings, span(0, to), gapMinutes * 60_000, { minC: 0, maxC: 4 }).segments.map((s) => ({ temperatureC: s.temperatureC, weight: s.to - s.from })),
    83.144,
  );

describe('mean kinetic temperature', () => {
  it('equals a hand-computed example: 60 min at 2 °C and 30 min at 8 °C give 4.52 °C, not the mean 4 °C', () => {
    // ΔH/R = 83,144 J/mol ÷ 8.3144 J/(mol·K) = 10,000 K.
    // e^(−10000/275.15) = 1.6447e−16, e^(−10000/281.15) = 3.5721e−16;
    // time-weighted mean = (60 × 1.6447e−16 + 30 × 3.5721e−16) / 90 = 2.2872e−16; ln = −36.0140;
    // MKT = 10,000 / 36.0140 = 277.669 K = 4.519 °C.
    expect((83.144 * 1000) / GAS_CONSTANT).toBeCloseTo(10_000, 9);
    const readings = [0, 10, 20, 30, 40, 50].map((m) => reading(m, 2)).concat([60, 70, 80].map((m) => reading(m, 8)));
    expect(mktOf(readings, 90)).toBeCloseTo(4.5194, 4);
  });

  it('is the textbook formula when readings are evenly spaced, and a constant temperature is its own MKT', () => {
    const textbook = (temperatures: number[]) => 10_000 / -Math.log(temperatures.reduce((sum, t) => sum + Math.exp(-10_000 / (t + 273.15)), 0) / temperatures.length) - 273.15;
    expect(meanKineticTemperature([3, 5, 9].map((t) => ({ temperatureC: t, weight: 1 })), 83.144)).toBeCloseTo(textbook([3, 5, 9]), 10);
    expect(meanKineticTemperature([{ temperatureC: -18, weight: 5 }], 83.144)).toBeCloseTo(-18, 10);
    expect(meanKineticTemperature([], 83.144)).toBeNull();
  });

  it('weights each reading by how long it stood: a burst of warm readings counts for its minutes, not its number', () => {
    // One reading at 2 °C standing 10 min, then ten warm ones within the next minute, then 2 °C again for 9 min.
    const burst = [reading(0, 2), ...Array.from({ length: 10 }, (_, i) => ({ sensorId: 's1', measuredAt: new Date(Date.parse(at(10)) + i * 6_000).toISOString(), temperatureC: 12 })), reading(11, 2)];
    const weighted = mktOf(burst, 20)!;
    const byCount = meanKineticTemperature(burst.map((r) => ({ temperatureC: r.temperatureC, weight: 1 })), 83.144)!;
    expect(weighted).toBeLessThan(3.2);
    expect(byCount).toBeGreaterThan(9);
  });

  it('does not underflow far below the range, and a higher activation energy pulls MKT towards the warmest reading', () => {
    expect(meanKineticTemperature([{ temperatureC: -60, weight: 1 }, { temperatureC: -59, weight: 1 }], 83.144)).toBeCloseTo(-59.49, 1);
    const mixed = [{ temperatureC: 0, weight: 1 }, { temperatureC: 10, weight: 1 }];
    expect(meanKineticTemperature(mixed, 150)!).toBeGreaterThan(meanKineticTemperature(mixed, 60)!);
  });
});
