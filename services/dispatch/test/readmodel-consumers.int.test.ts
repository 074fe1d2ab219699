import { buildEvent, deadLetterTopic, topics, type Envelope } from '@county/contracts';
import { publish, readDeadLetters, type Producer, type Runtime } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { countyRecord, courierRecord, masterDataEvent, parcelEvents, stationRecord, testParcel, vehicleRecord } from './readmodel-events.js';
import { applied, intakeProducer, parcelInState, publishMasterData, publishParcelEvents, runningDispatch } from './readmodel-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
let runtime: Runtime;
let intake: Producer;

beforeAll(async () => {
  ({ runtime } = await runningDispatch(config));
  intake = await intakeProducer(config);
});

afterAll(async () => {
  await intake?.disconnect();
  await runtime?.lifecycle.shutdown();
});

const at = (hour: number, minute = 0) => new Date(Date.UTC(2026, 5, 1, hour, minute));

async function record(entity: string, id: string) {
  const { rows } = await runtime.pool.query(`SELECT record, active FROM masterdata WHERE county_id = $1 AND entity = $2 AND id = $3`, [countyId, entity, id]);
  return rows[0] as { record: Record<string, unknown>; active: boolean } | undefined;
}

async function deadLetterOf(logicalTopic: string, event: Envelope) {
  return waitFor(async () => {
    const records = await readDeadLetters(runtime.kafka, deadLetterTopic(`${iso.topicPrefix}${logicalTopic}`));
    return records.find((r) => r.record.original.value?.includes(event.id))?.record;
  });
}

describe("dispatch's read model", () => {
  it('keeps the county, its stations, couriers and vehicles as their latest events say, deactivations included', async () => {
    const county = countyRecord(countyId);
    const van = vehicleRecord(countyId, 'van-1', { refrigerated: true, refrigeratedCapacityKg: 300, refrigeratedCapacityM3: 2 });
    const messages = [
      masterDataEvent('county', county),
      masterDataEvent('station', stationRecord(countyId, 'center', 'center')),
      masterDataEvent('station', stationRecord(countyId, 'st-town', 'town')),
      masterDataEvent('station', stationRecord(countyId, 'st-v1', 'village', { serviceFrequency: { kind: 'weekdays', weekdays: ['mon', 'thu'] } })),
      masterDataEvent('courier', courierRecord(countyId, 'zto')),
      masterDataEvent('vehicle', van),
      masterDataEvent('town', { countyId, id: 'town-1', name: '城关镇', active: true }),
    ];
    await publishMasterData(intake, config, messages);
    const deactivated = masterDataEvent('vehicle', { ...van, active: false });
    await publishMasterData(intake, config, [deactivated]);
    await applied(runtime.pool, 'dispatch.masterdata', deactivated.event.id);

    expect((await record('county', countyId))?.record).toEqual(county);
    expect((await record('station', 'st-v1'))?.record).toMatchObject({ kind: 'village', serviceFrequency: { kind: 'weekdays', weekdays: ['mon', 'thu'] } });
    expect(await record('vehicle', 'van-1')).toEqual({ record: { ...van, active: false }, active: false });
    expect((await record('town', 'town-1'))?.active).toBe(true);
    expect((await record('courier', 'zto'))?.record).toMatchObject({ id: 'zto', active: true });
  });

  it('keeps every parcel with its state, station, size, profile, waybill, masked recipient and the start of its clock', async () => {
    const down = testParcel(countyId, 'st-v1', { coldChainProfileId: 'peach' });
    const up = testParcel(countyId, 'st-v1', { direction: 'upstream', weightKg: 5, volumeM3: 0.03 });
    await publishParcelEvents(intake, config, [parcelEvents.manifested(down, at(1)), parcelEvents.received(down, at(2)), parcelEvents.booked(up, at(3))]);
    expect(await parcelInState(runtime.pool, down.id, 'received')).toMatchObject({
      county_id: countyId,
      courier_id: 'zto',
      direction: 'downstream',
      station_id: 'st-v1',
      weight_kg: 1.5,
      volume_m3: 0.009,
      cold_chain_profile_id: 'peach',
      clock_started_at: at(2),
      waybill: down.waybill,
      recipient: { name: '张**', phone: '139****0001' },
    });
    expect(await parcelInState(runtime.pool, up.id, 'booked')).toMatchObject({
      direction: 'upstream',
      station_id: 'st-v1',
      weight_kg: 5,
      clock_started_at: at(3),
      waybill: up.waybill,
      recipient: null,
    });

    // A later event without content keeps the recipient the manifest gave.
    await publishParcelEvents(intake, config, [parcelEvents.addressCorrected(down, at(4), 'st-town')]);
    await waitFor(async () => ((await parcelInState(runtime.pool, down.id, 'received')).station_id === 'st-town' ? true : undefined));
    expect(await parcelInState(runtime.pool, down.id, 'received')).toMatchObject({ waybill: down.waybill, recipient: { name: '张**', phone: '139****0001' } });
  });

  it('applies an event delivered twice once: a redelivered receive scan does not take a sorted parcel back', async () => {
    const p = testParcel(countyId, 'st-v1');
    const received = parcelEvents.received(p, at(2));
    await publishParcelEvents(intake, config, [parcelEvents.manifested(p, at(1)), received, parcelEvents.sorted(p, at(3), 'rt-1'), received]);
    const sentinel = parcelEvents.departed(p, at(4), 'rt-1');
    await publishParcelEvents(intake, config, [received, sentinel]);
    await applied(runtime.pool, 'dispatch.parcels', sentinel.id);
    expect((await parcelInState(runtime.pool, p.id, 'departed')).clock_started_at).toEqual(at(2));
    const inbox = await runtime.pool.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'dispatch.parcels' AND event_id = $1`, [received.id]);
    expect(inbox.rows[0].n).toBe(1);

    // Same for master data: the second copy of a station event applied after a newer one would bring it back.
    const station = stationRecord(countyId, 'st-dup', 'village');
    const first = masterDataEvent('station', station);
    const closed = masterDataEvent('station', { ...station, active: false });
    await publishMasterData(intake, config, [first, closed, first]);
    const after = masterDataEvent('courier', courierRecord(countyId, 'yto'));
    await publishMasterData(intake, config, [after]);
    await applied(runtime.pool, 'dispatch.masterdata', after.event.id);
    await waitFor(async () => ((await record('station', 'st-dup'))?.active === false ? true : undefined));
  });

  it('dead-letters a parcel event that breaks its contract, with the reason, and goes on', async () => {
    const p = testParcel(countyId, 'st-v1');
    const bad = parcelEvents.manifested(p, at(1));
    const broken = { ...bad, data: { ...bad.data, weightless: true, state: 'teleported' } };
    const unreadable = 'not json at all';
    await publish(intake, `${iso.topicPrefix}${topics.parcelEvents.name}`, [
      { key: p.id, value: JSON.stringify(broken) },
      { key: p.id, value: unreadable },
      { key: p.id, value: JSON.stringify({ ...parcelEvents.received(p, at(2)), subject: 'another-parcel' }) },
    ]);
    const good = parcelEvents.received(testParcel(countyId, 'st-v1'), at(3));
    await publishParcelEvents(intake, config, [good]);
    await applied(runtime.pool, 'dispatch.parcels', good.id);

    const letter = await deadLetterOf(topics.parcelEvents.name, broken);
    expect(letter.consumer).toBe('dispatch.parcels');
    expect(letter.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'data.state' })]));
    const letters = await waitFor(async () => {
      const all = await readDeadLetters(runtime.kafka, deadLetterTopic(`${iso.topicPrefix}${topics.parcelEvents.name}`));
      return all.length >= 3 ? all.map((r) => r.record.reason) : undefined;
    });
    expect(letters).toEqual(expect.arrayContaining([expect.stringMatching(/not JSON/), expect.stringMatching(/subject another-parcel is not the parcel/)]));
  });

  it('dead-letters a master-data record of another county than its event, and goes on', async () => {
    const foreign = buildEvent({
      type: 'masterdata.station_upserted',
      countyId,
      subject: 'st-foreign',
      source: 'intake',
      data: stationRecord('cn-999999', 'st-foreign', 'village'),
    });
    await publishMasterData(intake, config, [{ key: `${countyId}/station:st-foreign`, event: foreign }]);
    const letter = await deadLetterOf(topics.masterdata.name, foreign);
    expect(letter).toMatchObject({ consumer: 'dispatch.masterdata', reason: 'a station of county cn-999999 on an event of county cn-511623' });
    expect(await record('station', 'st-foreign')).toBeUndefined();
  });
});
