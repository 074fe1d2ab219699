import { describe, expect, it } from 'vitest';
import { addDays, dateProblem, waveTimes, zonedInstant } from '../src/readmodel/domain/wave-times.js';

describe('wave times', () => {
  it('refuses dates of another form or not in the calendar', () => {
    expect(dateProblem('2026-06-02')).toBeUndefined();
    expect(dateProblem('2028-02-29')).toBeUndefined();
    expect(dateProblem('2026-02-30')).toBe('2026-02-30 is not a day of the calendar');
    expect(dateProblem('2026-13-01')).toBe('2026-13-01 is not a day of the calendar');
    expect(dateProblem('29-11-2026')).toBe('a calendar date YYYY-MM-DD');
    expect(dateProblem('2026-6-2')).toBe('a calendar date YYYY-MM-DD');
  });

  it('turns a wall-clock time of the county into an instant', () => {
    expect(zonedInstant('2026-06-02', '07:00', 'Asia/Shanghai').toISOString()).toBe('2026-06-01T23:00:00.000Z');
    expect(zonedInstant('2026-06-02', '07:00', 'Asia/Kathmandu').toISOString()).toBe('2026-06-02T01:15:00.000Z');
    expect(zonedInstant('2026-01-15', '07:00', 'Europe/Berlin').toISOString()).toBe('2026-01-15T06:00:00.000Z');
    expect(zonedInstant('2026-07-15', '07:00', 'Europe/Berlin').toISOString()).toBe('2026-07-15T05:00:00.000Z');
  });

  it('a cut-off later in the day than the departure is the evening before', () => {
    const county = { timeZone: 'Asia/Shanghai' };
    expect(waveTimes(county, { departure: '07:00', cutoff: '22:00' }, '2026-06-02')).toEqual({
      departureAt: new Date('2026-06-01T23:00:00.000Z'),
      cutoffAt: new Date('2026-06-01T14:00:00.000Z'),
    });
    expect(waveTimes(county, { departure: '13:30', cutoff: '12:00' }, '2026-06-02')).toEqual({
      departureAt: new Date('2026-06-02T05:30:00.000Z'),
      cutoffAt: new Date('2026-06-02T04:00:00.000Z'),
    });
    // Across a month's end.
    expect(waveTimes(county, { departure: '06:00', cutoff: '23:30' }, '2026-03-01').cutoffAt).toEqual(new Date('2026-02-28T15:30:00.000Z'));
  });

  it('counts days across months and leap years', () => {
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
