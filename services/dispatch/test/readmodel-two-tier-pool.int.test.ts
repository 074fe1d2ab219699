import { randomUUID } from 'node:crypto';
import { buildEvent, routeConfirmedSchema, topics } from '@county/contracts';
import { withTransaction, type Producer, type Runtime } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { planWave } from '../src/planning/domain/index.js';
import { loadWaveInput } from '../src/readmodel/wave-input.js';
import { saveSettings } from '../src/settings/store.js';
import { settingsDefaults } from '../src/settings/domain/settings.js';
import { countyRecord, courierRecord, masterDataEvent, parcelEvents, stationRecord, testParcel, vehicleRecord, type TestParcel } from './readmodel-events.js';
import { applied, intakeProducer, parcelInState, publishMasterData, publishParcelEvents, runningDispatch } from './readmodel-support.js';

/**
 * Two-tier: parcels a village loop left at its town station are in the next wave's pool, with where they wait
 * (`atStationId`), over real Kafka (intake's parcel events) and Postgres (the routes plans and field wrote).
 */
const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-430226';
const date = '2026-06-02';
let runtime: Runtime;
let intake: Producer;
let dispatch: Awaited<ReturnType<typeof runningDispatch>>;

const cutoff = new Date('2026-06-01T14:00:00.000Z');
const yesterday = new Date('2026-06-01T02:00:00.000Z');
const later = new Date('2026-06-01T06:00:00.000Z');

async function insertRoute(
  routeId: string,
  route: { tier: 'trunk' | 'village'; depot: string; status: string; stops: string[]; confirmedAt: Date },
  parcels: { id: string; direction: 'downstream' | 'upstream'; stop: number; status: string }[],
) {
  const data = { routeId, depotStationId: route.depot, tier: route.tier, stops: route.stops.map((stationId, i) => ({ sequence: i + 1, stationId })) };
  await runtime.pool.query(
    `INSERT INTO routes (route_id, county_id, plan_id, date, wave_id, vehicle_id, tier, status, data, confirmed_at)
     VALUES ($1, $2, 'plan-x', '2026-06-01', 'am', $3, $4, $5, $6, $7)`,
    [routeId, countyId, `veh-${routeId}`, route.tier, route.status, JSON.stringify(data), route.confirmedAt],
  );
  for (const p of parcels) {
    await runtime.pool.query(
      `INSERT INTO route_parcels (route_id, parcel_id, county_id, direction, stop_sequence, compartment, status) VALUES ($1, $2, $3, $4, $5, 'ambient', $6)`,
      [routeId, p.id, countyId, p.direction, p.stop, p.status],
    );
  }
}

const setStatus = (routeId: string, status: string) => runtime.pool.query(`UPDATE routes SET status = $2 WHERE route_id = $1`, [routeId, status]);

async function wave() {
  const result = await loadWaveInput(runtime.pool, countyId, date, 'am');
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.input;
}

const waiting = async (p: TestParcel) => (await wave()).parcels.find((x) => x.parcelId === p.id);

beforeAll(async () => {
  dispatch = await runningDispatch(config);
  ({ runtime } = dispatch);
  intake = await intakeProducer(config);
  const records = [
    masterDataEvent('county', countyRecord(countyId)),
    masterDataEvent('station', stationRecord(countyId, 'center', 'center', { location: { lat: 26.49, lng: 113.77 } })),
    masterDataEvent('station', stationRecord(countyId, 'ts-1', 'town', { townId: 'town-1', location: { lat: 26.67, lng: 113.77 } })),
    masterDataEvent('station', stationRecord(countyId, 'v1-1', 'village', { townId: 'town-1', location: { lat: 26.71, lng: 113.79 } })),
    masterDataEvent('station', stationRecord(countyId, 'v1-2', 'village', { townId: 'town-1', location: { lat: 26.70, lng: 113.74 } })),
    masterDataEvent('courier', courierRecord(countyId, 'zto')),
    masterDataEvent('vehicle', vehicleRecord(countyId, 'truck-1', { capacityKg: 3000, capacityM3: 16 })),
    masterDataEvent('vehicle', vehicleRecord(countyId, 'loop-1', { depotStationId: 'ts-1' })),
  ];
  await publishMasterData(intake, config, records);
  for (const r of records) await applied(runtime.pool, 'dispatch.masterdata', r.event.id);
  await saveSettings(runtime.pool, countyId, { ...settingsDefaults, mode: 'two_tier', budgetSeconds: 1 }, 'k-admin', new Date());
});

afterAll(async () => {
  await intake?.disconnect();
  await runtime?.lifecycle.shutdown();
});

describe('the pool in two-tier mode: parcels waiting at a town station', () => {
  it('offers produce a village loop brought to its town station as a pickup there, until a trunk route takes it', async () => {
    const produce = testParcel(countyId, 'v1-2', { direction: 'upstream', weightKg: 8, volumeM3: 0.05 });
    await publishParcelEvents(intake, config, [parcelEvents.booked(produce, yesterday), parcelEvents.collected(produce, later)]);
    await parcelInState(runtime.pool, produce.id, 'collected');
    // The loop collected it and is still out: on board, not in the pool.
    await insertRoute('rt-loop-a', { tier: 'village', depot: 'ts-1', status: 'departed', stops: ['v1-1', 'v1-2'], confirmedAt: yesterday }, [
      { id: produce.id, direction: 'upstream', stop: 2, status: 'collected' },
    ]);
    expect(await waiting(produce)).toBeUndefined();

    // Back at its town station (intake leaves it collected): a pickup at ts-1, the origin kept.
    await setStatus('rt-loop-a', 'returned');
    await runtime.pool.query(`UPDATE route_parcels SET status = 'returned' WHERE route_id = 'rt-loop-a'`);
    expect(await waiting(produce)).toEqual({
      parcelId: produce.id,
      courierId: 'zto',
      direction: 'upstream',
      stationId: 'v1-2',
      weightKg: 8,
      volumeM3: 0.05,
      since: yesterday.toISOString(),
      atStationId: 'ts-1',
    });

    // The wave's two-tier plan has the trunk collect it at ts-1; no loop goes back to v1-2 for it.
    const input = await wave();
    const plan = planWave(input, { seed: 1, budgetSeconds: 1, now: () => 0 });
    const collecting = plan.routes.flatMap((r) => r.stops.filter((s) => s.pickups.includes(produce.id)).map((s) => [r.tier, r.depotStationId, s.stationId]));
    expect(collecting).toEqual([['trunk', 'center', 'ts-1']]);

    // A trunk route confirmed for it: out of the pool; cancelled: back; returned without collecting it (cancelled on it): back.
    await insertRoute('rt-trunk-a', { tier: 'trunk', depot: 'center', status: 'confirmed', stops: ['ts-1'], confirmedAt: later }, [
      { id: produce.id, direction: 'upstream', stop: 1, status: 'planned' },
    ]);
    expect(await waiting(produce)).toBeUndefined();
    await setStatus('rt-trunk-a', 'cancelled');
    await runtime.pool.query(`UPDATE route_parcels SET status = 'cancelled' WHERE route_id = 'rt-trunk-a'`);
    expect((await waiting(produce))?.atStationId).toBe('ts-1');

    // Collected by a trunk and brought to the center: intake's at_center ends it.
    await insertRoute('rt-trunk-b', { tier: 'trunk', depot: 'center', status: 'returned', stops: ['ts-1'], confirmedAt: new Date(later.getTime() + 60_000) }, [
      { id: produce.id, direction: 'upstream', stop: 1, status: 'returned' },
    ]);
    expect(await waiting(produce)).toBeUndefined();
  });

  it('offers a downstream parcel a village loop brought back undelivered from its town station, and one whose loop was cancelled', async () => {
    const back = testParcel(countyId, 'v1-1');
    const stranded = testParcel(countyId, 'v1-2');
    const life = (p: TestParcel, trunk: string) => [
      parcelEvents.manifested(p, yesterday),
      parcelEvents.received(p, yesterday),
      parcelEvents.sorted(p, yesterday, trunk),
      parcelEvents.departed(p, yesterday, trunk),
      parcelEvents.atTown(p, later, trunk, 'ts-1'),
    ];
    await publishParcelEvents(intake, config, [...life(back, 'rt-trunk-c'), ...life(stranded, 'rt-trunk-c')]);
    await parcelInState(runtime.pool, back.id, 'at_town');
    await parcelInState(runtime.pool, stranded.id, 'at_town');
    await insertRoute('rt-trunk-c', { tier: 'trunk', depot: 'center', status: 'departed', stops: ['ts-1'], confirmedAt: yesterday }, [
      { id: back.id, direction: 'downstream', stop: 1, status: 'handed_over' },
      { id: stranded.id, direction: 'downstream', stop: 1, status: 'handed_over' },
    ]);
    const loopAt = new Date(yesterday.getTime() + 60_000);
    await insertRoute('rt-loop-b', { tier: 'village', depot: 'ts-1', status: 'departed', stops: ['v1-1'], confirmedAt: loopAt }, [
      { id: back.id, direction: 'downstream', stop: 1, status: 'loaded' },
    ]);
    await insertRoute('rt-loop-c', { tier: 'village', depot: 'ts-1', status: 'confirmed', stops: ['v1-2'], confirmedAt: loopAt }, [
      { id: stranded.id, direction: 'downstream', stop: 1, status: 'loaded' },
    ]);
    // On their loops: not in the pool (the trunk is still out, handed over at ts-1, and that does not count).
    expect(await waiting(back)).toBeUndefined();
    expect(await waiting(stranded)).toBeUndefined();

    // v1-1 was closed: the loop brings it back to ts-1 (intake keeps it at_town). The other loop is cancelled.
    await setStatus('rt-loop-b', 'returned');
    await runtime.pool.query(`UPDATE route_parcels SET status = 'undelivered' WHERE route_id = 'rt-loop-b'`);
    await setStatus('rt-loop-c', 'cancelled');
    await runtime.pool.query(`UPDATE route_parcels SET status = 'cancelled' WHERE route_id = 'rt-loop-c'`);
    expect(await waiting(back)).toMatchObject({ direction: 'downstream', stationId: 'v1-1', atStationId: 'ts-1', since: yesterday.toISOString() });
    expect(await waiting(stranded)).toMatchObject({ direction: 'downstream', stationId: 'v1-2', atStationId: 'ts-1' });

    // The wave plans both on ts-1's loop, with no trunk leg.
    const plan = planWave(await wave(), { seed: 1, budgetSeconds: 1, now: () => 0 });
    for (const p of [back, stranded]) {
      const riding = plan.routes.filter((r) => r.parcels.some((x) => x.parcelId === p.id)).map((r) => [r.tier, r.depotStationId, r.vehicleId]);
      expect(riding).toEqual([['village', 'ts-1', 'loop-1']]);
    }

    // Confirmed on the next loop: out of the pool. Delivered by it: intake's at_station ends it.
    await insertRoute('rt-loop-d', { tier: 'village', depot: 'ts-1', status: 'confirmed', stops: ['v1-1'], confirmedAt: later }, [
      { id: back.id, direction: 'downstream', stop: 1, status: 'loaded' },
    ]);
    expect(await waiting(back)).toBeUndefined();
    await publishParcelEvents(intake, config, [parcelEvents.handedOver(back, new Date(later.getTime() + 60_000), 'rt-loop-d')]);
    await parcelInState(runtime.pool, back.id, 'at_station');
    await setStatus('rt-loop-d', 'cancelled');
    expect(await waiting(back)).toBeUndefined();
  });

  it('leaves a parcel at a town station to the cut-off rule like any other', async () => {
    const late = testParcel(countyId, 'v1-1');
    const afterCutoff = new Date(cutoff.getTime() + 60_000);
    await publishParcelEvents(intake, config, [parcelEvents.manifested(late, afterCutoff), parcelEvents.received(late, afterCutoff), parcelEvents.atTown(late, afterCutoff, 'rt-trunk-e', 'ts-1')]);
    await parcelInState(runtime.pool, late.id, 'at_town');
    await insertRoute('rt-trunk-e', { tier: 'trunk', depot: 'center', status: 'returned', stops: ['ts-1'], confirmedAt: afterCutoff }, [
      { id: late.id, direction: 'downstream', stop: 1, status: 'handed_over' },
    ]);
    expect(await waiting(late)).toBeUndefined();
  });

  it('reads what the handheld reported on a village loop: produce collected and a closed station’s parcel, both left at the town station', async () => {
    const produce = testParcel(countyId, 'v1-2', { direction: 'upstream', weightKg: 6, volumeM3: 0.04 });
    const back = testParcel(countyId, 'v1-1');
    const start = Date.now() - 3 * 3_600_000;
    const t = (minutes: number) => new Date(start + minutes * 60_000);
    await publishParcelEvents(intake, config, [
      parcelEvents.booked(produce, yesterday),
      parcelEvents.manifested(back, yesterday),
      parcelEvents.received(back, yesterday),
      parcelEvents.sorted(back, yesterday, 'rt-trunk-f'),
      parcelEvents.departed(back, yesterday, 'rt-trunk-f'),
      parcelEvents.atTown(back, later, 'rt-trunk-f', 'ts-1'),
    ]);
    await parcelInState(runtime.pool, back.id, 'at_town');
    await insertRoute('rt-trunk-f', { tier: 'trunk', depot: 'center', status: 'returned', stops: ['ts-1'], confirmedAt: yesterday }, [
      { id: back.id, direction: 'downstream', stop: 1, status: 'handed_over' },
    ]);

    // The loop as plans confirms it: v1-1 (a delivery), then v1-2 (a pickup), from ts-1.
    const routeId = `rt-loop-${randomUUID().slice(0, 8)}`;
    const stop = (sequence: number, stationId: string, deliveries: string[], pickups: string[]) => ({
      sequence, stationId, plannedArrival: t(30 * sequence).toISOString(), plannedDeparture: t(30 * sequence + 10).toISOString(), deliveries, pickups, loadKgAfter: 6, loadM3After: 0.05,
    });
    const data = routeConfirmedSchema.parse({
      routeId, planId: 'plan-loop', date: '2026-06-01', waveId: 'am', vehicleId: 'loop-1', tier: 'village', depotStationId: 'ts-1',
      plannedDeparture: t(0).toISOString(), plannedReturn: t(120).toISOString(), distanceKm: 18, durationMinutes: 120,
      cost: { total: 90, fixed: 0, distance: 60, time: 30 },
      stops: [stop(1, 'v1-1', [back.id], []), stop(2, 'v1-2', [], [produce.id])],
      parcels: [
        { parcelId: back.id, courierId: 'zto', direction: 'downstream', compartment: 'ambient', stopSequence: 1 },
        { parcelId: produce.id, courierId: 'zto', direction: 'upstream', compartment: 'ambient', stopSequence: 2 },
      ],
    });
    await withTransaction(runtime.pool, async (tx) => {
      await tx.query(
        `INSERT INTO routes (route_id, county_id, plan_id, date, wave_id, vehicle_id, tier, status, data, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'village', 'confirmed', $7, now())`,
        [routeId, countyId, data.planId, data.date, data.waveId, data.vehicleId, JSON.stringify(data)],
      );
      await tx.query(
        `INSERT INTO route_parcels (route_id, parcel_id, county_id, direction, stop_sequence, compartment) VALUES ($1, $2, $4, 'downstream', 1, 'ambient'), ($1, $3, $4, 'upstream', 2, 'ambient')`,
        [routeId, back.id, produce.id, countyId],
      );
      await runtime.outbox.add(tx, { topic: topics.dispatchEvents.name, key: routeId, event: buildEvent({ type: 'dispatch.route_confirmed', countyId, subject: routeId, source: 'dispatch', data }) });
    });
    expect(await waiting(back)).toBeUndefined();
    expect(await waiting(produce)).toBeUndefined();

    // The driver's handheld: departure, v1-1 closed, produce collected at v1-2, back at ts-1.
    const operator = await dispatch.issue({ countyId, role: 'operator', name: 'desk' });
    const report = async (path: string, minutes: number, extra: Record<string, unknown> = {}) => {
      const res = await dispatch.app.inject({
        method: 'POST',
        url: `/dispatch/routes/${routeId}/${path}`,
        headers: { 'x-api-key': operator },
        payload: { eventId: randomUUID(), occurredAt: t(minutes).toISOString(), ...extra },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await report('departure', 0);
    await report('stops/1/exceptions', 30, { kind: 'station_closed' });
    await report('stops/2/pickups', 60);
    expect(await waiting(produce)).toBeUndefined();
    await report('return', 110);
    // Intake leaves the produce collected (its collect published meanwhile) and the other parcel at_town.
    await publishParcelEvents(intake, config, [parcelEvents.collected(produce, t(60))]);
    await parcelInState(runtime.pool, produce.id, 'collected');

    expect(await waiting(produce)).toMatchObject({ direction: 'upstream', stationId: 'v1-2', atStationId: 'ts-1' });
    expect(await waiting(back)).toMatchObject({ direction: 'downstream', stationId: 'v1-1', atStationId: 'ts-1' });
  });
});
