import { describe, expect, it } from 'vitest';
import { addDays, localDate, weekdayOf, zonedInstant, zoneOffsetMinutes } from '../src/index.js';

describe("a county's wall clock as instants (masterdata/clock.ts)", () => {
  it('turns a date and HH:MM in Asia/Shanghai into the instant eight hours earlier in UTC', () => {
    expect(zonedInstant('2026-11-29', '07:00', 'Asia/Shanghai').toISOString()).toBe('2026-11-28T23:00:00.000Z');
    expect(zonedInstant('2026-11-29', '00:00', 'Asia/Shanghai').toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(zoneOffsetMinutes('Asia/Shanghai', Date.UTC(2026, 10, 29))).toBe(480);
  });

  it('reads a time a daylight-saving gap skips in the old offset, and takes the second of a repeated hour', () => {
    // Europe/Berlin: 2026-03-29 02:30 does not exist (clocks jump 02:00 → 03:00); 2026-10-25 02:30 happens twice.
    expect(zonedInstant('2026-03-29', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T00:30:00.000Z');
    expect(zonedInstant('2026-10-25', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T01:30:00.000Z');
  });

  it('gives the local date of an instant, and dates across month and year ends', () => {
    expect(localDate('Asia/Shanghai', Date.parse('2026-11-28T16:30:00Z'))).toBe('2026-11-29');
    expect(localDate('Asia/Shanghai', Date.parse('2026-11-28T15:59:59Z'))).toBe('2026-11-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekdayOf('2026-11-29')).toBe('sun');
  });
});
