import { describe, expect, it } from 'vitest';
import { disagreement } from '../demo/account.js';
import { due, parcelsFrom, type ParcelEvent } from '../demo/recompute.js';
import { localTime, planDay } from '../demo/run.js';

const views = { parcelId: 'p', waybill: 'W1', courierId: 'zto', intake: 'delivered', dispatch: 'delivered', sla: 'delivered', coldchain: 'n/a' as const };

describe("the demo's account of a parcel (demo/account.ts)", () => {
  it('agrees when intake, dispatch and sla hold the same state and coldchain holds its cold parcels', () => {
    expect(disagreement(views)).toBeNull();
    expect(disagreement({ ...views, coldchain: 'ended' })).toBeNull();
  });

  it('names the view that disagrees', () => {
    expect(disagreement({ ...views, intake: null })).toBe('not in intake');
    expect(disagreement({ ...views, dispatch: 'at_station' })).toBe('dispatch holds at_station, intake delivered');
    expect(disagreement({ ...views, sla: null })).toBe('sla holds nothing, intake delivered');
    expect(disagreement({ ...views, coldchain: null })).toBe('a cold-chain parcel delivered that coldchain does not hold');
  });

  it('lets coldchain not know a cold parcel still waiting to be collected or loaded', () => {
    expect(disagreement({ ...views, intake: 'booked', dispatch: 'booked', sla: 'booked', coldchain: null })).toBeNull();
    expect(disagreement({ ...views, intake: 'sorted', dispatch: 'sorted', sla: 'sorted', coldchain: null })).toBeNull();
    expect(disagreement({ ...views, intake: 'collected', dispatch: 'collected', sla: 'collected', coldchain: null })).not.toBeNull();
  });
});

const event = (type: string, parcelId: string, occurredAt: string, extra: Partial<ParcelEvent['data']> = {}): ParcelEvent => ({
  type,
  data: { parcelId, direction: 'downstream', state: type.replace('parcel.', ''), destinationStationId: 'vs-1', originStationId: null, fact: { id: `${parcelId}-${type}`, occurredAt }, ...extra },
});
const sla = { centerToTownHours: 12, townToVillageHours: 24, centerToVillageHours: 24, villageToCenterHours: 24 };
const kind = (id: string | null) => (id === 'ts-1' ? 'town' : 'village');

describe("the bureau's legs recomputed from parcel events (demo/recompute.ts)", () => {
  it('measures each leg from the earliest report of its steps, whatever order the events come in, on time within the policy', () => {
    const events = [
      event('parcel.arrived_at_station', 'a', '2026-06-02T01:00:00Z'),
      event('parcel.received', 'a', '2026-06-01T02:00:00Z'),
      event('parcel.arrived_at_town', 'a', '2026-06-01T10:00:00Z'),
      event('parcel.received', 'a', '2026-06-01T03:00:00Z'), // a later report of the same step
      event('parcel.received', 'b', '2026-06-01T04:00:00Z', { destinationStationId: 'ts-1' }),
      event('parcel.arrived_at_station', 'b', '2026-06-01T17:00:00Z', { destinationStationId: 'ts-1' }),
      event('parcel.received', 'c', '2026-06-02T17:00:00Z'), // 3 June in the county: outside the period
    ];
    const { volumes, legs } = parcelsFrom(events, kind, sla, '2026-06-01', '2026-06-02');
    expect(volumes).toEqual({ downstream: 2, upstream: 0 });
    const byKey = Object.fromEntries(legs.map((l) => [l.key, l]));
    // a: center→town 8 h (on time), town→village 15 h, center→village 23 h; b: to a town station, 13 h (late).
    expect(byKey.center_to_town).toMatchObject({ measured: 2, onTime: 1, breaches: 1, onTimeRate: 0.5 });
    expect(byKey.town_to_village).toMatchObject({ measured: 1, onTime: 1 });
    expect(byKey.center_to_village).toMatchObject({ measured: 1, onTime: 1 });
    expect(byKey.village_to_center).toMatchObject({ measured: 0, onTimeRate: null });
  });

  it('knows when a station is due', () => {
    expect(due({ kind: 'daily' }, '2026-06-01')).toBe(true);
    expect(due({ kind: 'every_n_days', everyDays: 2, anchorDate: '2026-01-05' }, '2026-01-07')).toBe(true);
    expect(due({ kind: 'every_n_days', everyDays: 2, anchorDate: '2026-01-05' }, '2026-01-04')).toBe(false);
    expect(due({ kind: 'weekdays', weekdays: ['mon'] }, '2026-06-01')).toBe(true);
  });
});

describe("the demo's clock (demo/run.ts)", () => {
  it('simulates yesterday in the county from its 00:00, starting a lead after now', () => {
    // 01:30 on 29 November in the county is still 28 November in UTC.
    const plan = planDay(new Date('2026-11-28T17:30:00Z'), 240, 60);
    expect(plan.day).toBe('2026-11-28');
    expect(plan.clock).toEqual({ start: new Date('2026-11-27T16:00:00Z'), rate: 240, origin: new Date('2026-11-28T17:31:00Z') });
    expect(localTime(plan.clock.start)).toBe('2026-11-28 00:00');
  });
});
