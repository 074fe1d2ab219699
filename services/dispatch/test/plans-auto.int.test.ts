// Issue #10: "Waves can also be planned automatically at their cut-off (a per-county setting), leaving the confirm to
// an operator." The runtime's clock decides what time it is; two auto-planners stand for two instances of dispatch.
import { randomBytes } from 'node:crypto';
import type { Producer } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { planWavesAtCutoff, startAutoPlanner, type AutoPlanner } from '../src/plans/auto-plan.js';
import type { PlanDeps } from '../src/plans/deps.js';
import { createPlannerPool } from '../src/plans/planner-pool.js';
import { planningPorts } from '../src/plans/ports.js';
import { issueDispatchKey, runningDispatch, type RunningDispatch } from './plans-support.js';
import { countyRecord, courierRecord, masterDataEvent, parcelEvents, stationRecord, testParcel, vehicleRecord } from './readmodel-events.js';
import { applied, intakeProducer, parcelInState, publishMasterData, publishParcelEvents } from './readmodel-support.js';

const iso = isolation();
const config = testConfig(iso);
const clockAt = { now: new Date('2026-11-29T12:00:00Z') };
const clock = () => clockAt.now;
let dispatch: RunningDispatch;
let producer: Producer;
let deps: PlanDeps;
const planners: AutoPlanner[] = [];

/** A county with a morning wave (07:00, cut-off 22:00 the evening before) and an afternoon one (13:30, cut-off 12:00). */
async function seedCounty(countyId: string, autoPlan: boolean): Promise<void> {
  const admin = await issueDispatchKey(dispatch.runtime.pool, countyId, 'admin');
  const at = new Date('2026-11-29T08:00:00Z');
  const records = [
    masterDataEvent('county', countyRecord(countyId), at),
    masterDataEvent('station', stationRecord(countyId, 'center', 'center'), at),
    masterDataEvent('station', stationRecord(countyId, 'vs-1', 'village'), at),
    masterDataEvent('courier', courierRecord(countyId, 'zto'), at),
    masterDataEvent('vehicle', vehicleRecord(countyId, 'van-a'), at),
  ];
  await publishMasterData(producer, config, records);
  // Master data and parcels are folded by two consumers: wait for both, not only for the parcels.
  for (const r of records) await applied(dispatch.runtime.pool, 'dispatch.masterdata', r.event.id);
  const parcel = testParcel(countyId, 'vs-1');
  await publishParcelEvents(producer, config, [parcelEvents.manifested(parcel, at), parcelEvents.received(parcel, new Date('2026-11-29T10:00:00Z'))]);
  await parcelInState(dispatch.runtime.pool, parcel.id, 'received');
  const put = await dispatch.app.inject({ method: 'PUT', url: '/dispatch/settings', headers: { 'x-api-key': admin }, payload: { autoPlan, budgetSeconds: 1 } });
  expect(put.statusCode, put.body).toBe(200);
}

async function autoPlans(countyId: string) {
  const { rows } = await dispatch.runtime.pool.query<{ plan_id: string; date: string; wave_id: string; origin: string; status: string; created_by: string }>(
    `SELECT plan_id, date::text AS date, wave_id, origin, status, created_by FROM plans WHERE county_id = $1 ORDER BY date, wave_id`,
    [countyId],
  );
  return rows;
}

beforeAll(async () => {
  dispatch = await runningDispatch(config, { clock });
  producer = await intakeProducer(config);
  const { runtime } = dispatch;
  deps = { pool: runtime.pool, outbox: runtime.outbox, source: 'dispatch', now: clock, logger: runtime.logger, ports: planningPorts, planner: createPlannerPool({ logger: runtime.logger }) };
});

afterAll(async () => {
  await Promise.all(planners.map((p) => p.stop()));
  await deps?.planner.close();
  await producer?.disconnect();
  await dispatch?.runtime.lifecycle.shutdown();
});

describe('the auto-planner', () => {
  it('drafts a wave once its cut-off has passed, once, and only for counties that asked', async () => {
    const [auto, manual] = [`cn-a${randomBytes(3).toString('hex')}`, `cn-m${randomBytes(3).toString('hex')}`];
    await seedCounty(auto, true);
    await seedCounty(manual, false);

    // 20:00 in the county: the morning wave of the 30th closes at 22:00.
    clockAt.now = new Date('2026-11-29T12:00:00Z');
    expect((await planWavesAtCutoff(deps)).filter((p) => p.countyId === auto)).toEqual([]);
    expect(await autoPlans(auto)).toEqual([]);

    // 22:30: past the cut-off.
    clockAt.now = new Date('2026-11-29T14:30:00Z');
    const planned = (await planWavesAtCutoff(deps)).filter((p) => [auto, manual].includes(p.countyId));
    expect(planned).toEqual([expect.objectContaining({ countyId: auto, date: '2026-11-30', waveId: 'am', outcome: 'planned' })]);
    expect(await autoPlans(auto)).toEqual([expect.objectContaining({ date: '2026-11-30', wave_id: 'am', origin: 'auto', status: 'draft', created_by: 'auto-planner' })]);
    expect(await autoPlans(manual)).toEqual([]);

    // The next pass finds it done.
    expect((await planWavesAtCutoff(deps)).filter((p) => p.countyId === auto)).toEqual([]);
    expect(await autoPlans(auto)).toHaveLength(1);
  });

  it('runs in one instance of two, each cut-off once', async () => {
    const countyId = `cn-b${randomBytes(3).toString('hex')}`;
    clockAt.now = new Date('2026-11-30T03:00:00Z');
    await seedCounty(countyId, true);
    for (let i = 0; i < 2; i++) planners.push(startAutoPlanner(deps, { schema: config.DB_SCHEMA, intervalMs: 100, standbyRetryMs: 100 }));
    await waitFor(() => (planners.some((p) => p.isLeader()) ? true : undefined));

    // 12:30 on the 30th: the afternoon wave closed at 12:00 and departs at 13:30.
    clockAt.now = new Date('2026-11-30T04:30:00Z');
    const plans = await waitFor(async () => {
      const found = await autoPlans(countyId);
      return found.some((p) => p.wave_id === 'pm') ? found : undefined;
    });
    expect(plans.filter((p) => p.wave_id === 'pm')).toHaveLength(1);
    expect(planners.filter((p) => p.isLeader())).toHaveLength(1);
    const marks = await dispatch.runtime.pool.query('SELECT count(*)::int AS n FROM auto_plans WHERE county_id = $1 AND wave_id = $2', [countyId, 'pm']);
    expect(marks.rows[0].n).toBe(1);
  });
});
