import { describe, expect, it } from 'vitest';
import { planWave } from '../src/planning/domain/index.js';
import type { WaveInput } from '../src/planning/domain/types.js';
import { county, parcel, planParcelIds, ringCounty, station, vehicle, waveInput } from './planning-fixtures.js';

const never = () => 0;

/** The wave is on Tuesday 2025-07-01; `alt` is due every second day from Monday 06-30, so next on Wednesday 07-02. */
function county2(sla: Partial<ReturnType<typeof county>['sla']>, extra: Partial<WaveInput> & { parcels: WaveInput['parcels'] }): WaveInput {
  const stations = [
    ...ringCounty(2),
    station('alt', 'village', 8, 8, { serviceFrequency: { kind: 'every_n_days', everyDays: 2, anchorDate: '2025-06-30' } }),
    station('thu-town', 'town', -10, 5, { serviceFrequency: { kind: 'weekdays', weekdays: ['thu'] } }),
  ];
  const base = county();
  return waveInput({ stations, vehicles: [vehicle('van-1')], county: { ...base, sla: { ...base.sla, ...sla } }, ...extra });
}

describe('the not-due rule', () => {
  it('keeps the parcels of a station not due on the date for its next due date, and says which date', () => {
    // Received 20:00 on 06-30 (Beijing), 48 h to reach a village: waiting for Wednesday's 07:00 wave keeps the deadline.
    const waiting = parcel('alt', 'zto', { since: '2025-06-30T12:00:00.000Z' });
    const thursday = parcel('thu-town', 'zto', { since: '2025-06-30T12:00:00.000Z' });
    const plan = planWave(county2({ centerToVillageHours: 48, centerToTownHours: 72 }, { parcels: [waiting, thursday, parcel('v1', 'zto')] }), { seed: 1, budgetSeconds: 1, now: never });
    expect(plan.unplanned).toEqual([
      { parcelId: waiting.parcelId, stationId: 'alt', reason: 'not_due', detail: 'alt is not due on 2025-07-01; next due 2025-07-02' },
      { parcelId: thursday.parcelId, stationId: 'thu-town', reason: 'not_due', detail: 'thu-town is not due on 2025-07-01; next due 2025-07-03' },
    ]);
    expect(plan.forcedNotDue).toEqual([]);
    expect(plan.consolidated.parcels).toBe(1);
  });

  it('sends a parcel now when waiting for the next due date would breach its deadline, and says why', () => {
    // 24 h from 20:00 on 06-30 ends 20:00 on 07-01, before Wednesday's wave.
    const late = parcel('alt', 'zto', { since: '2025-06-30T12:00:00.000Z' });
    const plan = planWave(county2({ centerToVillageHours: 24 }, { parcels: [late] }), { seed: 1, budgetSeconds: 1, now: never });
    expect(plan.unplanned).toEqual([]);
    expect(planParcelIds(plan)).toEqual([late.parcelId]);
    expect(plan.forcedNotDue).toEqual([
      {
        parcelId: late.parcelId,
        stationId: 'alt',
        deadline: '2025-07-01T12:00:00.000Z',
        detail: 'alt is not due on 2025-07-01; waiting for 2025-07-02, its next due date, would arrive after the deadline 2025-07-01T12:00:00.000Z',
      },
    ]);
  });

  it('judges by the drive as well: the next due date’s 07:00 wave reaches alt at about 07:24', () => {
    // alt is ~11.3 km from the seat, ~15.8 road km, ~24 min at 40 km/h. Deadlines 07:05 and 07:35 on 07-02 (Beijing).
    const breaches = parcel('alt', 'zto', { since: '2025-06-30T23:05:00.000Z' });
    const waits = parcel('alt', 'zto', { since: '2025-06-30T23:35:00.000Z' });
    const plan = planWave(county2({ centerToVillageHours: 24 }, { parcels: [breaches, waits] }), { seed: 1, budgetSeconds: 1, now: never });
    expect(plan.forcedNotDue.map((f) => [f.parcelId, f.deadline])).toEqual([[breaches.parcelId, '2025-07-01T23:05:00.000Z']]);
    expect(plan.unplanned.map((u) => [u.parcelId, u.reason])).toEqual([[waits.parcelId, 'not_due']]);
  });

  it('measures upstream produce by villageToCenterHours, and a town station by centerToTownHours', () => {
    const produce = parcel('alt', 'zto', { direction: 'upstream', since: '2025-06-30T12:00:00.000Z', weightKg: 2.5 });
    const townParcel = parcel('thu-town', 'zto', { since: '2025-06-30T12:00:00.000Z' });
    const strict = planWave(county2({ centerToVillageHours: 100, villageToCenterHours: 24, centerToTownHours: 24 }, { parcels: [produce, townParcel] }), {
      seed: 1,
      budgetSeconds: 1,
      now: never,
    });
    expect(strict.forcedNotDue.map((f) => f.parcelId).sort()).toEqual([produce.parcelId, townParcel.parcelId].sort());
    expect(strict.routes.flatMap((r) => r.stops.flatMap((s) => s.pickups))).toEqual([produce.parcelId]);
    const lenient = planWave(county2({ centerToVillageHours: 24, villageToCenterHours: 100, centerToTownHours: 100 }, { parcels: [produce, townParcel] }), {
      seed: 1,
      budgetSeconds: 1,
      now: never,
    });
    expect(lenient.unplanned.map((u) => u.reason)).toEqual(['not_due', 'not_due']);
  });
});
