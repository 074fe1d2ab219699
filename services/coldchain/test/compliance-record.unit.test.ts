import { describe, expect, it } from 'vitest';
import { seededProfiles, type Profile } from '../src/catalogue/domain/profiles.js';
import type { ReadingPoint } from '../src/compliance/domain/exposure.js';
import { complianceOf, type ComplianceInput } from '../src/compliance/domain/record.js';

const peach = seededProfiles.find((p) => p.id === 'yellow-peach')!;
const t = (minute: number) => new Date(Date.UTC(2026, 6, 21, 6, 0) + minute * 60_000).toISOString();
const VAN = 'van-7/refrigerated';
const ROOM = 'st-town/cold-room';

/** One reading every 5 min of each sensor from `from` to `to` (exclusive), at `temperature(minute)`. */
function series(from: number, to: number, temperature: (minute: number) => number, sensorId = 's1'): ReadingPoint[] {
  const out: ReadingPoint[] = [];
  for (let m = from; m < to; m += 5) out.push({ sensorId, measuredAt: t(m), temperatureC: temperature(m) });
  return out;
}

function input(overrides: Partial<ComplianceInput> & { readings?: Map<string, ReadingPoint[]> }): ComplianceInput {
  return {
    parcelId: '6f1c3d6e-1111-4c1a-9f00-000000000001',
    profile: peach,
    spans: [{ containerId: VAN, from: t(0), to: t(120) }],
    readings: new Map([[VAN, series(0, 120, () => 2)]]),
    excursions: [],
    collectedAt: null,
    until: t(120),
    ...overrides,
  };
}

describe('a parcel’s compliance record', () => {
  it('covers every container it was in while it was there: readings, time in range, min, max, MKT', () => {
    const record = complianceOf(
      input({
        spans: [
          { containerId: VAN, from: t(0), to: t(60) },
          { containerId: ROOM, from: t(60), to: t(180) },
        ],
        readings: new Map([
          [VAN, series(-30, 200, (m) => (m < 30 ? 1 : 3))],
          [ROOM, series(0, 200, () => 0.5)],
        ]),
        until: t(180),
      }),
    );
    expect(record).toMatchObject({
      profileId: 'yellow-peach',
      from: t(0),
      to: t(180),
      containers: [
        { containerId: VAN, from: t(0), to: t(60) },
        { containerId: ROOM, from: t(60), to: t(180) },
      ],
      readings: 12 + 24,
      minutesInRange: 180,
      minutesOutOfRange: 0,
      minC: 0.5,
      maxC: 3,
      compliant: true,
      reasons: [],
      precooling: { required: false, reachedAt: null, missed: false },
    });
    // 30 min at 1 °C, 30 at 3 °C, 120 at 0.5 °C: 10,000 / −ln((30·e^(−10000/274.15) + 30·e^(−10000/276.15) + 120·e^(−10000/273.65)) / 180) − 273.15.
    expect(record.mktC).toBe(1.06);
  });

  it('is not compliant once out of range longer than tolerated in total, and says so; exactly the tolerance is fine', () => {
    // Warm from minute 30: 30 min out of range (to 60) is the tolerance; 35 is over it.
    const warm = (until: number) => input({ readings: new Map([[VAN, series(0, 120, (m) => (m >= 30 && m < until ? 7 : 2))]]) });
    const atTolerance = complianceOf(warm(60));
    expect(atTolerance).toMatchObject({ minutesOutOfRange: 30, minutesInRange: 90, compliant: true });
    const over = complianceOf(warm(65));
    expect(over).toMatchObject({ minutesOutOfRange: 35, compliant: false, maxC: 7 });
    expect(over.reasons).toEqual(['tolerance_exceeded: out of range (0–4 °C) for 35 min in total, more than the 30 min tolerated']);
  });

  it('counts a warm corner: time out of range is when any sensor reads out of it', () => {
    const readings = [...series(0, 120, () => 2, 'front'), ...series(0, 120, (m) => (m >= 60 ? 6 : 2), 'door')];
    const record = complianceOf(input({ readings: new Map([[VAN, readings]]) }));
    expect(record).toMatchObject({ minutesOutOfRange: 60, minutesInRange: 60, readings: 48, compliant: false });
  });

  it('gives the same record for readings shuffled and sent twice', () => {
    const readings = series(0, 120, (m) => 2 + Math.sin(m / 7) * 3);
    const shuffled = [...readings, ...readings].map((r, i) => ({ r, k: (i * 7919) % 241 })).sort((a, b) => a.k - b.k).map((x) => x.r);
    expect(complianceOf(input({ readings: new Map([[VAN, shuffled]]) }))).toEqual(complianceOf(input({ readings: new Map([[VAN, readings]]) })));
  });

  it('lets a reading stand at most the silence gap: a quiet sensor is time without data, judged against the tolerance', () => {
    // Readings at 0, 5, …, 25 only: the last stands 15 min more, to 40; 80 of the 120 min have no data.
    const record = complianceOf(input({ readings: new Map([[VAN, series(0, 30, () => 2)]]) }));
    expect(record).toMatchObject({ minutesInRange: 40, minutesOutOfRange: 0, compliant: false });
    expect(record.reasons).toEqual(['readings_missing: no reading for 80 min of its 120 min in containers, more than the 30 min out of range tolerated']);
    const none = complianceOf(input({ readings: new Map() }));
    expect(none).toMatchObject({ readings: 0, minC: null, maxC: null, mktC: null, compliant: false });
    expect(none.reasons).toEqual(['no_readings: no sensor of its containers read anything while it was in them']);
  });

  it('holds the reading taken before it was loaded until the next one, within the gap', () => {
    const readings = [{ sensorId: 's1', measuredAt: t(-10), temperatureC: 3 }, ...series(5, 120, () => 2)];
    const record = complianceOf(input({ readings: new Map([[VAN, readings]]) }));
    expect(record).toMatchObject({ minutesInRange: 120, readings: 23, maxC: 2 });
  });

  it('judges MKT against the profile’s limit', () => {
    const record = complianceOf(input({ profile: { ...peach, toleratedMinutes: 1_000 }, readings: new Map([[VAN, series(0, 120, () => 5)]]) }));
    expect(record.compliant).toBe(false);
    expect(record.reasons).toContain('mkt_exceeded: mean kinetic temperature 5 °C, above the limit of 4 °C');
  });

  it('says whether pre-cooling was met: below 4 °C within 12 h of collection', () => {
    const collected = { collectedAt: t(0) };
    const long = { spans: [{ containerId: VAN, from: t(0), to: t(15 * 60) }], until: t(15 * 60) };
    const cooling = (reachMinute: number) =>
      complianceOf(input({ ...collected, ...long, profile: { ...peach, toleratedMinutes: 10_000, mktLimitC: 30 }, readings: new Map([[VAN, series(0, 15 * 60, (m) => (m < reachMinute ? 10 : 3.5))]]) }));
    expect(cooling(6 * 60).precooling).toEqual({ required: true, reachedAt: t(6 * 60), missed: false });
    const late = cooling(13 * 60);
    expect(late.precooling).toEqual({ required: true, reachedAt: t(13 * 60), missed: true });
    expect(late.reasons).toContain(`precooling_missed: below 4 °C only at ${t(13 * 60)}, 13 h after collection; required within 12 h`);
    const never = cooling(20 * 60);
    expect(never.precooling).toEqual({ required: true, reachedAt: null, missed: true });
    expect(never.reasons).toContain(`precooling_missed: never below 4 °C in its containers up to ${t(15 * 60)}, 15 h after collection; required within 12 h`);
    const notAsked = complianceOf(input({ ...collected, profile: seededProfiles.find((p) => p.id === 'navel-orange')! as Profile, readings: new Map([[VAN, series(0, 120, () => 5)]]) }));
    expect(notAsked.precooling).toEqual({ required: false, reachedAt: null, missed: false });
  });

  it('lists the excursions of its containers it shared, with the minutes it shared', () => {
    const record = complianceOf(
      input({
        spans: [
          { containerId: VAN, from: t(0), to: t(60) },
          { containerId: ROOM, from: t(60), to: t(120) },
        ],
        readings: new Map([
          [VAN, series(0, 60, () => 2)],
          [ROOM, series(60, 120, () => 2)],
        ]),
        excursions: [
          { excursionId: 'x-van', containerId: VAN, startedAt: t(50), endedAt: t(90) },
          { excursionId: 'x-room-open', containerId: ROOM, startedAt: t(100), endedAt: null },
          { excursionId: 'x-van-after', containerId: VAN, startedAt: t(70), endedAt: t(80) },
          { excursionId: 'x-other', containerId: 'van-9/refrigerated', startedAt: t(10), endedAt: t(20) },
        ],
      }),
    );
    expect(record.excursions).toEqual([
      { excursionId: 'x-van', startedAt: t(50), endedAt: t(90), minutes: 10 },
      { excursionId: 'x-room-open', startedAt: t(100), endedAt: null, minutes: 20 },
    ]);
  });

  it('is not compliant without any container: handed over or delivered outside the cold chain', () => {
    const record = complianceOf(input({ spans: [] }));
    expect(record).toMatchObject({ from: t(120), to: t(120), containers: [], readings: 0, compliant: false });
    expect(record.reasons[0]).toMatch(/^no_custody:/);
  });
});
