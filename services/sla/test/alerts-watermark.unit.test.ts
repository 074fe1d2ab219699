import { describe, expect, it } from 'vitest';
import { advanceWatermark, type WatermarkState } from '../src/alerts/domain/watermark.js';

const offsets = (xs: Record<number, number>) => new Map(Object.entries(xs).map(([p, o]) => [Number(p), BigInt(o)]));

describe("the parcel consumer's watermark the scanner breaches up to", () => {
  it('is now when the committed offsets reach the end offsets', () => {
    const s = advanceWatermark({ foldedThrough: null }, 1_000, offsets({ 0: 10, 1: 5, 2: -1 }), offsets({ 0: 10, 1: 5, 2: 0 }));
    expect(s.foldedThrough).toBe(1_000);
  });

  it('while the consumer lags: nothing known at first, then the previous scan once the offsets reach its sample', () => {
    let s: WatermarkState = { foldedThrough: null };
    s = advanceWatermark(s, 1_000, offsets({ 0: 3, 1: 5 }), offsets({ 0: 10, 1: 8 }));
    expect(s.foldedThrough).toBeNull();
    // more events arrived; the consumer got past the first sample on partition 0 only
    s = advanceWatermark(s, 2_000, offsets({ 0: 12, 1: 7 }), offsets({ 0: 20, 1: 12 }));
    expect(s.foldedThrough).toBeNull();
    // now past the second sample (20, 12), still behind the ends: folded through the second scan's instant
    s = advanceWatermark(s, 3_000, offsets({ 0: 21, 1: 12 }), offsets({ 0: 30, 1: 14 }));
    expect(s.foldedThrough).toBe(2_000);
    // behind again (a burst): the watermark does not go back
    s = advanceWatermark(s, 4_000, offsets({ 0: 22, 1: 12 }), offsets({ 0: 90, 1: 40 }));
    expect(s.foldedThrough).toBe(2_000);
  });
});
