import { describe, expect, it } from 'vitest';
import { alarmState, decideAcknowledge, decideClear, decideResolution } from '../src/monitoring/domain/alarm-commands.js';
import { beyondHardLimit, limitsOf } from '../src/monitoring/domain/limits.js';
import { precoolingCheck, precoolingDetail } from '../src/monitoring/domain/precooling.js';
import { containerKindOf, silenceOf } from '../src/monitoring/domain/silence.js';

const MIN = 60_000;

describe('silence', () => {
  const base = { lastReadingAt: 0, gapMs: 10 * MIN };

  it('is no silence within the gap, whoever the container', () => {
    expect(silenceOf({ ...base, containerId: 'v1/refrigerated', now: 10 * MIN, goodsBound: true })).toEqual({ silent: false });
  });

  it('is an alarm for a vehicle compartment only while goods are bound to it', () => {
    expect(silenceOf({ ...base, containerId: 'v1/refrigerated', now: 11 * MIN, goodsBound: true })).toEqual({ silent: true, alarm: true, severity: 'major' });
    expect(silenceOf({ ...base, containerId: 'v1/refrigerated', now: 11 * MIN, goodsBound: false })).toEqual({ silent: true, alarm: false });
  });

  it('is always an alarm for a cold room: major with goods, minor empty', () => {
    expect(silenceOf({ ...base, containerId: 'st-9/cold-room', now: 11 * MIN, goodsBound: true })).toMatchObject({ alarm: true, severity: 'major' });
    expect(silenceOf({ ...base, containerId: 'st-9/cold-room', now: 11 * MIN, goodsBound: false })).toMatchObject({ alarm: true, severity: 'minor' });
    expect(containerKindOf('st-9/cold-room')).toBe('cold_room');
  });
});

describe('hard limits', () => {
  it('fresh produce and chilled goods freeze below −1 °C; frozen goods have no lower hard limit', () => {
    const stoneFruit = limitsOf({ minC: 0, maxC: 4, toleranceMinutes: 30, silenceGapMinutes: 10 });
    const peach = limitsOf({ minC: -1, maxC: 0, toleranceMinutes: 30, silenceGapMinutes: 10 });
    const frozen = limitsOf({ minC: -30, maxC: -18, toleranceMinutes: 30, silenceGapMinutes: 10 });
    expect([beyondHardLimit(stoneFruit, -1), beyondHardLimit(stoneFruit, -1.1)]).toEqual([false, true]);
    expect(beyondHardLimit(peach, -1.1)).toBe(true);
    expect(frozen.hardMinC).toBeNull();
    expect(beyondHardLimit(frozen, -40)).toBe(false);
  });
});

describe('acknowledge, clear, resolve', () => {
  const alarm = { alarmId: 'alm-1', acknowledgedAt: null, clearedAt: null };

  it('an alarm is active, then acknowledged, then cleared; a cleared one nobody saw can still be acknowledged', () => {
    expect(alarmState(alarm)).toBe('active');
    expect(alarmState({ ...alarm, acknowledgedAt: '2026-07-01T07:00:00.000Z' })).toBe('acknowledged');
    expect(alarmState({ ...alarm, acknowledgedAt: '2026-07-01T07:00:00.000Z', clearedAt: '2026-07-01T08:00:00.000Z' })).toBe('cleared');
    expect(decideAcknowledge({ ...alarm, clearedAt: '2026-07-01T08:00:00.000Z' })).toEqual({ ok: true });
  });

  it('neither mark is given twice: the refusal names the alarm and when', () => {
    expect(decideAcknowledge({ ...alarm, acknowledgedAt: '2026-07-01T07:00:00.000Z' })).toMatchObject({
      ok: false,
      code: 'ALARM_ALREADY_ACKNOWLEDGED',
      reason: 'alarm alm-1 was acknowledged at 2026-07-01T07:00:00.000Z',
    });
    expect(decideClear({ ...alarm, clearedAt: '2026-07-01T08:00:00.000Z' })).toMatchObject({ ok: false, code: 'ALARM_ALREADY_CLEARED' });
  });

  it('a resolution may change but not repeat, and never applies to an excursion late readings replaced', () => {
    const excursion = { excursionId: 'exc-1', supersededBy: null, resolution: 'downgraded' as const };
    expect(decideResolution(excursion, 'discarded')).toEqual({ ok: true });
    expect(decideResolution(excursion, 'downgraded')).toMatchObject({ ok: false, code: 'EXCURSION_ALREADY_RESOLVED', path: 'body.resolution' });
    expect(decideResolution({ ...excursion, supersededBy: 'exc-2' }, 'released')).toMatchObject({ ok: false, code: 'EXCURSION_SUPERSEDED', path: 'params.excursionId' });
  });
});

describe('pre-cooling', () => {
  const H = 3_600_000;
  const rule = { targetC: 4, withinHours: 12 };
  const stays = [
    { containerId: 'v1/refrigerated', from: 0, to: 3 * H },
    { containerId: 'st-c/cold-room', from: 3 * H, to: null },
  ];
  const reading = (containerId: string, hours: number, temperatureC: number) => ({ containerId, at: hours * H, temperatureC });

  it('is met by the first reading below the target within the window, in a container the produce was in while it was there', () => {
    const check = precoolingCheck(0, rule, stays, [reading('v1/refrigerated', 2, 6), reading('st-c/cold-room', 2, 1), reading('st-c/cold-room', 5, 3.5)]);
    // The cold room read 1 °C at 2 h, but the produce was still in the truck then.
    expect(check).toEqual({ deadline: 12 * H, reachedAt: 5 * H, missed: false, containerId: 'st-c/cold-room' });
  });

  it('is missed when the target is reached only after the window, or never', () => {
    const late = precoolingCheck(0, rule, stays, [reading('st-c/cold-room', 13, 3)]);
    expect(late).toMatchObject({ reachedAt: 13 * H, missed: true });
    expect(precoolingDetail(late, rule, 0)).toBe('below 4 °C only 13 h after its collection at 1970-01-01T00:00:00.000Z; required within 12 h');
    const never = precoolingCheck(0, rule, stays, [reading('st-c/cold-room', 6, 5)]);
    expect(never).toMatchObject({ reachedAt: null, missed: true, containerId: 'st-c/cold-room' });
  });
});
