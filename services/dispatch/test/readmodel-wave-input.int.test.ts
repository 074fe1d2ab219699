import type { Producer, Runtime } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { loadWaveInput } from '../src/readmodel/wave-input.js';
import { saveLine, saveMatrix, saveSettings } from '../src/settings/store.js';
import { settingsDefaults } from '../src/settings/domain/settings.js';
import { countyRecord, courierRecord, masterDataEvent, parcelEvents, stationRecord, testParcel, vehicleRecord, type TestParcel } from './readmodel-events.js';
import { applied, intakeProducer, parcelInState, publishMasterData, publishParcelEvents, runningDispatch } from './readmodel-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-430225';
const date = '2026-06-02';
let runtime: Runtime;
let intake: Producer;

// The county's morning wave leaves at 07:00 (+08:00) on the 2nd, cut off at 22:00 the evening before.
const departure = new Date('2026-06-01T23:00:00.000Z');
const cutoff = new Date('2026-06-01T14:00:00.000Z');
const beforeCutoff = new Date(cutoff.getTime() - 60_000);
const afterCutoff = new Date(cutoff.getTime() + 60_000);
const earlier = new Date('2026-06-01T02:00:00.000Z');

const parcels: Record<string, TestParcel> = {};

async function insertRoute(routeId: string, route: { date: string; waveId: string; vehicleId: string; status: string }, parcelIds: string[] = []) {
  await runtime.pool.query(
    `INSERT INTO routes (route_id, county_id, plan_id, date, wave_id, vehicle_id, tier, status, data, confirmed_at)
     VALUES ($1, $2, 'plan-x', $3, $4, $5, 'direct', $6, '{}', now())`,
    [routeId, countyId, route.date, route.waveId, route.vehicleId, route.status],
  );
  for (const parcelId of parcelIds) {
    await runtime.pool.query(
      `INSERT INTO route_parcels (route_id, parcel_id, county_id, direction, stop_sequence, compartment) VALUES ($1, $2, $3, 'downstream', 1, 'ambient')`,
      [routeId, parcelId, countyId],
    );
  }
}

beforeAll(async () => {
  ({ runtime } = await runningDispatch(config));
  intake = await intakeProducer(config);
  const records = [
    masterDataEvent('county', countyRecord(countyId)),
    masterDataEvent('station', stationRecord(countyId, 'center', 'center')),
    masterDataEvent('station', stationRecord(countyId, 'st-town', 'town')),
    masterDataEvent('station', stationRecord(countyId, 'st-v1', 'village')),
    masterDataEvent('station', stationRecord(countyId, 'st-v2', 'village')),
    masterDataEvent('station', stationRecord(countyId, 'st-closed', 'village', { active: false })),
    masterDataEvent('courier', courierRecord(countyId, 'zto')),
    masterDataEvent('courier', courierRecord(countyId, 'yunda')),
    masterDataEvent('courier', courierRecord(countyId, 'gone', { active: false })),
    ...['v-free', 'v-out', 'v-used', 'v-cancelled', 'v-later', 'v-this-wave'].map((id) => masterDataEvent('vehicle', vehicleRecord(countyId, id))),
    masterDataEvent('vehicle', vehicleRecord(countyId, 'v-retired', { active: false })),
  ];
  await publishMasterData(intake, config, records);
  await applied(runtime.pool, 'dispatch.masterdata', records.at(-1)!.event.id);
  for (const r of records) await applied(runtime.pool, 'dispatch.masterdata', r.event.id);

  parcels.inTime = testParcel(countyId, 'st-v1');
  parcels.late = testParcel(countyId, 'st-v1');
  parcels.old = testParcel(countyId, 'st-v2', { courierId: 'yunda', coldChainProfileId: 'peach' });
  parcels.onRoute = testParcel(countyId, 'st-v1');
  parcels.returned = testParcel(countyId, 'st-v2');
  parcels.sorted = testParcel(countyId, 'st-v1');
  parcels.damaged = testParcel(countyId, 'st-v1');
  parcels.closedStation = testParcel(countyId, 'st-closed');
  parcels.manifestedOnly = testParcel(countyId, 'st-v1');
  parcels.pickup = testParcel(countyId, 'st-v2', { direction: 'upstream', weightKg: 5, volumeM3: 0.03 });
  parcels.otherCounty = testParcel('cn-000001', 'st-v1');

  const life = (p: TestParcel, receivedAt: Date) => [parcelEvents.manifested(p, new Date(receivedAt.getTime() - 3_600_000)), parcelEvents.received(p, receivedAt)];
  const events = [
    ...life(parcels.inTime, beforeCutoff),
    ...life(parcels.late, afterCutoff),
    ...life(parcels.old, earlier),
    ...life(parcels.onRoute, earlier),
    ...life(parcels.returned, earlier),
    parcelEvents.sorted(parcels.returned, beforeCutoff, 'rt-cancelled'),
    parcelEvents.sortCancelled(parcels.returned, beforeCutoff, 'rt-cancelled'),
    ...life(parcels.sorted, earlier),
    parcelEvents.sorted(parcels.sorted, beforeCutoff, 'rt-other'),
    ...life(parcels.damaged, earlier),
    parcelEvents.damaged(parcels.damaged, beforeCutoff),
    ...life(parcels.closedStation, earlier),
    parcelEvents.manifested(parcels.manifestedOnly, earlier),
    parcelEvents.booked(parcels.pickup, earlier),
    ...life(parcels.otherCounty, earlier),
  ];
  await publishParcelEvents(intake, config, events);
  for (const e of events) await applied(runtime.pool, 'dispatch.parcels', e.id);
  await parcelInState(runtime.pool, parcels.returned.id, 'received');

  // The routes plans confirmed and field events moved.
  await insertRoute('rt-live', { date, waveId: 'pm', vehicleId: 'v-out', status: 'confirmed' }, [parcels.onRoute.id]);
  await insertRoute('rt-cancelled', { date: '2026-06-01', waveId: 'pm', vehicleId: 'v-cancelled', status: 'cancelled' }, [parcels.returned.id]);
  await insertRoute('rt-used', { date, waveId: 'pm', vehicleId: 'v-used', status: 'returned' });
  await insertRoute('rt-cancelled-today', { date, waveId: 'pm', vehicleId: 'v-cancelled', status: 'cancelled' });
  await insertRoute('rt-tomorrow', { date: '2026-06-03', waveId: 'am', vehicleId: 'v-later', status: 'confirmed' });
  await insertRoute('rt-this-wave', { date, waveId: 'am', vehicleId: 'v-this-wave', status: 'confirmed' });
});

afterAll(async () => {
  await intake?.disconnect();
  await runtime?.lifecycle.shutdown();
});

async function input(waveId = 'am', on = date) {
  const result = await loadWaveInput(runtime.pool, countyId, on, waveId);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.input;
}

describe('loadWaveInput', () => {
  it('gives the wave’s departure and cut-off as instants from the county’s time zone, and its network', async () => {
    const wave = await input();
    expect(wave).toMatchObject({ date, waveId: 'am', departureAt: departure.toISOString(), cutoffAt: cutoff.toISOString(), centerStationId: 'center' });
    expect(wave.county.id).toBe(countyId);
    expect(wave.stations.map((s) => s.id)).toEqual(['center', 'st-town', 'st-v1', 'st-v2']);
    expect(wave.courierIds).toEqual(['yunda', 'zto']);
    expect(wave.settings).toEqual(settingsDefaults);
    expect(wave.fixedLines).toEqual([]);
    expect(wave.matrix).toBeUndefined();
  });

  it('plans the parcels received before the cut-off and the booked pickups that no live route carries', async () => {
    const wave = await input();
    const planned = new Map(wave.parcels.map((p) => [p.parcelId, p]));
    const name = (id: string) => Object.entries(parcels).find(([, p]) => p.id === id)?.[0];
    expect(wave.parcels.map((p) => name(p.parcelId)).sort()).toEqual(['inTime', 'old', 'pickup', 'returned']);
    expect(planned.get(parcels.old!.id)).toEqual({
      parcelId: parcels.old!.id,
      courierId: 'yunda',
      direction: 'downstream',
      stationId: 'st-v2',
      weightKg: 1.5,
      volumeM3: 0.009,
      coldChainProfileId: 'peach',
      since: earlier.toISOString(),
    });
    expect(planned.get(parcels.pickup!.id)).toMatchObject({ direction: 'upstream', stationId: 'st-v2', weightKg: 5, since: earlier.toISOString() });
    expect(wave.held?.map((h) => [name(h.parcelId), h.reason]).sort()).toEqual([
      ['closedStation', 'station_unavailable'],
      ['damaged', 'exception'],
    ]);
  });

  it('takes a parcel out of the pool while a route carries it, and back when the route is cancelled', async () => {
    const p = testParcel(countyId, 'st-v1');
    const inPool = async () => (await input()).parcels.some((x) => x.parcelId === p.id);
    await publishParcelEvents(intake, config, [parcelEvents.manifested(p, earlier), parcelEvents.received(p, earlier)]);
    await parcelInState(runtime.pool, p.id, 'received');
    expect(await inPool()).toBe(true);
    // Confirmed: on a live route before intake's parcel.sorted arrives, and after.
    await insertRoute('rt-back', { date, waveId: 'am', vehicleId: 'v-free', status: 'confirmed' }, [p.id]);
    expect(await inPool()).toBe(false);
    await publishParcelEvents(intake, config, [parcelEvents.sorted(p, beforeCutoff, 'rt-back')]);
    await parcelInState(runtime.pool, p.id, 'sorted');
    expect(await inPool()).toBe(false);
    // Cancelled before departure: intake moves the parcel back to received.
    await runtime.pool.query(`UPDATE routes SET status = 'cancelled', cancelled_at = now() WHERE route_id = 'rt-back'`);
    await publishParcelEvents(intake, config, [parcelEvents.sortCancelled(p, beforeCutoff, 'rt-back')]);
    await parcelInState(runtime.pool, p.id, 'received');
    expect(await inPool()).toBe(true);
  });

  it('plans again a parcel a returned route brought back undelivered, until another route takes it; a refused one is held', async () => {
    const back = testParcel(countyId, 'st-v1');
    const refused = testParcel(countyId, 'st-v2');
    const onRoad = testParcel(countyId, 'st-v1');
    const poolOf = async () => {
      const wave = await input();
      return { planned: wave.parcels.map((p) => p.parcelId), held: wave.held?.map((h) => [h.parcelId, h.reason, h.detail]) ?? [] };
    };
    // Each left on a route of the day before; none is handed over (a closed station, a refusal).
    const departedOn = (p: TestParcel, routeId: string) => [
      parcelEvents.manifested(p, earlier),
      parcelEvents.received(p, earlier),
      parcelEvents.sorted(p, earlier, routeId),
      parcelEvents.departed(p, beforeCutoff, routeId),
    ];
    await publishParcelEvents(intake, config, [...departedOn(back, 'rt-away'), ...departedOn(refused, 'rt-away'), parcelEvents.refusedOnBoard(refused, beforeCutoff), ...departedOn(onRoad, 'rt-road')]);
    await parcelInState(runtime.pool, back.id, 'departed');
    await parcelInState(runtime.pool, onRoad.id, 'departed');
    await waitFor(async () => ((await parcelInState(runtime.pool, refused.id, 'departed')).exception === 'refused' ? true : undefined));
    const yesterday = { date: '2026-06-01', waveId: 'pm', vehicleId: 'v-elsewhere' };
    await insertRoute('rt-away', { ...yesterday, status: 'departed' }, [back.id, refused.id]);
    await insertRoute('rt-road', { ...yesterday, status: 'departed' }, [onRoad.id]);
    expect((await poolOf()).planned).not.toContain(back.id);

    // Back at the center: intake still says departed, the route says undelivered.
    await runtime.pool.query(`UPDATE routes SET status = 'returned', returned_at = now() WHERE route_id = 'rt-away'`);
    await runtime.pool.query(`UPDATE route_parcels SET status = 'undelivered' WHERE route_id = 'rt-away'`);
    let pool = await poolOf();
    expect(pool.planned).toContain(back.id);
    expect(pool.planned).not.toContain(onRoad.id);
    expect(pool.planned).not.toContain(refused.id);
    expect(pool.held).toContainEqual([refused.id, 'exception', 'an open exception: refused']);

    // Confirmed on the next route: out of the pool; that route cancelled before departure: back in it.
    await insertRoute('rt-again', { ...yesterday, status: 'confirmed' }, [back.id]);
    expect((await poolOf()).planned).not.toContain(back.id);
    await runtime.pool.query(`UPDATE routes SET status = 'cancelled', cancelled_at = now() WHERE route_id = 'rt-again'`);
    await runtime.pool.query(`UPDATE route_parcels SET status = 'cancelled' WHERE route_id = 'rt-again'`);
    expect((await poolOf()).planned).toContain(back.id);

    // Handed over on a later route that came back: not in the pool, even before intake's at_station reaches dispatch.
    await insertRoute('rt-third', { ...yesterday, status: 'returned' }, [back.id]);
    await runtime.pool.query(`UPDATE route_parcels SET status = 'handed_over' WHERE route_id = 'rt-third'`);
    pool = await poolOf();
    expect(pool.planned).not.toContain(back.id);
    await publishParcelEvents(intake, config, [parcelEvents.handedOver(back, beforeCutoff, 'rt-third')]);
    await parcelInState(runtime.pool, back.id, 'at_station');
    expect((await poolOf()).planned).not.toContain(back.id);
  });

  it('a later wave of the day plans what came in up to its own cut-off', async () => {
    const wave = await input('pm');
    expect(wave.cutoffAt).toBe('2026-06-02T04:00:00.000Z');
    expect(wave.parcels.map((p) => p.parcelId)).toContain(parcels.late!.id);
  });

  it('offers the vehicles in service that are not out on another wave, and says whose vehicle-day is paid', async () => {
    const wave = await input();
    expect(wave.vehicles.map((v) => v.id)).toEqual(['v-cancelled', 'v-free', 'v-later', 'v-this-wave', 'v-used']);
    expect(wave.vehiclesUsedToday).toEqual(['v-out', 'v-used']);
  });

  it('carries the county’s settings, fixed lines and travel matrix', async () => {
    await saveSettings(runtime.pool, countyId, { ...settingsDefaults, mode: 'fixed_lines', seed: 7 }, 'k-admin', new Date());
    const line = { id: 'line-1', name: '一号线', stationIds: ['st-town', 'st-v1'], vehicleId: 'v-free', weekdays: [2, 4, 6] };
    await saveLine(runtime.pool, countyId, line, 'k-admin', new Date());
    const matrix = { stationIds: ['center', 'st-v1'], distanceKm: [[0, 12.5], [12.75, 0]], durationMinutes: [[0, 21], [22, 0]] };
    await saveMatrix(runtime.pool, countyId, matrix, 'k-admin', new Date());
    const wave = await input();
    expect(wave.settings).toEqual({ ...settingsDefaults, mode: 'fixed_lines', seed: 7 });
    expect(wave.fixedLines).toEqual([line]);
    expect(wave.matrix).toEqual(matrix);
  });

  it('refuses an unknown county, an unknown wave and an impossible date, naming the argument', async () => {
    expect(await loadWaveInput(runtime.pool, 'cn-404404', date, 'am')).toEqual({
      ok: false,
      refusal: { code: 'unknown_county', field: 'countyId', reason: 'dispatch has no master data of county cn-404404 yet' },
    });
    expect(await loadWaveInput(runtime.pool, countyId, date, 'night')).toEqual({
      ok: false,
      refusal: { code: 'unknown_wave', field: 'waveId', reason: `county ${countyId} has no wave night (its waves: am, pm)` },
    });
    expect(await loadWaveInput(runtime.pool, countyId, '2026-02-30', 'am')).toMatchObject({ ok: false, refusal: { code: 'invalid_date', field: 'date' } });
    expect(await loadWaveInput(runtime.pool, countyId, '02-06-2026', 'am')).toMatchObject({ ok: false, refusal: { code: 'invalid_date', field: 'date' } });
  });
});
