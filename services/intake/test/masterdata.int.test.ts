import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { caller, freshCountyId, keysFor, masterDataEvents, miniCounty, stationOfVillage, type Intake, type Keys } from './masterdata-support.js';
import { intakeApp } from './support.js';

const iso = isolation();
let intake: Intake;
let call: ReturnType<typeof caller>;

beforeAll(async () => {
  intake = await intakeApp(testConfig(iso));
  call = caller(intake);
});

afterAll(() => intake?.close());

/** A county of its own with the mini fixture imported and a key of every role. */
async function importedCounty(): Promise<{ countyId: string; keys: Keys }> {
  const countyId = freshCountyId();
  const keys = await keysFor(intake, countyId);
  const res = await call('POST', '/import/county', keys.admin, miniCounty(countyId));
  expect(res.statusCode, res.body).toBe(200);
  return { countyId, keys };
}

const villageStation = (id: string, villageCodes: string[], extra: object = {}) => ({
  name: `${id} 服务站`,
  kind: 'village',
  townId: 'town-102',
  location: { lat: 30.43, lng: 106.99 },
  openingHours: { daily: '08:00-18:00' },
  villageCodes,
  ...extra,
});

describe('master data over REST', () => {
  it('builds a county record by record, each change one event keyed by its entity', async () => {
    const countyId = freshCountyId();
    const keys = await keysFor(intake, countyId);
    const { county } = miniCounty(countyId);
    const town = { name: '石门镇', code: '511623102' };

    const early = await call('PUT', '/towns/town-102', keys.operator, town);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('COUNTY_NOT_SET_UP');

    const created = await call('PUT', `/counties/${countyId}`, keys.admin, county);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ id: countyId, timeZone: 'Asia/Shanghai', sla: { centerToTownHours: 12 } });
    expect((await call('PUT', '/towns/town-102', keys.operator, town)).statusCode).toBe(201);
    expect((await call('PUT', '/villages/511623102202', keys.operator, { name: '桃园村', townId: 'town-102', povertyRegistered: true })).statusCode).toBe(201);
    const station = await call('PUT', '/stations/vs-102202', keys.operator, villageStation('vs-102202', ['511623102202']));
    expect(station.statusCode, station.body).toBe(201);
    expect(station.headers.etag).toBe('"1"');
    expect(station.json()).toMatchObject({ countyId, id: 'vs-102202', coldStorageM3: 0, serviceFrequency: { kind: 'daily' }, active: true });

    // The record as GET returns it goes back unchanged: no new revision, no event.
    const got = await call('GET', '/stations/vs-102202', keys.courier);
    expect(got.statusCode).toBe(200);
    const again = await call('PUT', '/stations/vs-102202', keys.admin, got.json());
    expect(again.statusCode).toBe(200);
    expect(again.headers.etag).toBe('"1"');
    const renamed = await call('PUT', '/stations/vs-102202', keys.admin, { ...got.json<object>(), name: '桃园村电商服务站' });
    expect(renamed.headers.etag).toBe('"2"');

    const events = await masterDataEvents(intake, countyId);
    expect(events.map((e) => [e.key, e.type])).toEqual([
      [`${countyId}/county:${countyId}`, 'masterdata.county_upserted'],
      [`${countyId}/town:town-102`, 'masterdata.town_upserted'],
      [`${countyId}/village:511623102202`, 'masterdata.village_upserted'],
      [`${countyId}/station:vs-102202`, 'masterdata.station_upserted'],
      [`${countyId}/station:vs-102202`, 'masterdata.station_upserted'],
    ]);
    expect(events.every((e) => e.topic === `${iso.topicPrefix}masterdata.events`)).toBe(true);
    expect(events[4]!.data).toMatchObject({ countyId, id: 'vs-102202', name: '桃园村电商服务站', villageCodes: ['511623102202'] });
    expect(await stationOfVillage(intake, countyId, '511623102202')).toBe('vs-102202');
  });

  it('reads each kind of record, listed by id with filters', async () => {
    const { countyId, keys } = await importedCounty();
    const list = async (url: string) => {
      const res = await call('GET', url, keys.station);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id?: string; code?: string }[]).map((item) => item.id ?? item.code);
    };
    expect(await list('/stations')).toEqual(['center', 'ts-102', 'vs-102202']);
    expect(await list('/stations?townId=town-102&kind=village&active=true')).toEqual(['vs-102202']);
    expect(await list('/stations?villageCode=511623102203')).toEqual(['vs-102202']);
    expect(await list('/villages?townId=town-102&povertyRegistered=true')).toEqual(['511623102201']);
    expect(await list('/vehicles?owner=sf')).toEqual(['sf-reefer-01']);
    expect(await list('/vehicles?refrigerated=false')).toEqual(['van-01']);
    expect(await list('/couriers?brand=zto')).toEqual(['zto']);
    expect(await list('/towns?active=false')).toEqual([]);
    expect((await call('GET', `/counties/${countyId}`, keys.driver)).json()).toMatchObject({ id: countyId, name: '龙安县' });
    expect((await call('GET', '/villages/511623102203', keys.courier)).json()).toMatchObject({ code: '511623102203', townId: 'town-102' });
    const missing = await call('GET', '/stations/nowhere', keys.operator);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('MASTERDATA_NOT_FOUND');
    expect((await call('GET', '/stations?kind=depot', keys.operator)).statusCode).toBe(400);
  });

  it('deactivating a village station stops its villages resolving, and publishes it once', async () => {
    const { countyId, keys } = await importedCounty();
    expect(await stationOfVillage(intake, countyId, '511623102203')).toBe('vs-102202');

    const res = await call('POST', '/stations/vs-102202/deactivate', keys.operator);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: 'vs-102202', active: false });
    expect(await stationOfVillage(intake, countyId, '511623102203')).toBeUndefined();
    expect(await stationOfVillage(intake, countyId, '511623102202')).toBeUndefined();
    expect((await call('GET', '/stations/vs-102202', keys.operator)).json().active).toBe(false);

    expect((await call('POST', '/stations/vs-102202/deactivate', keys.operator)).statusCode).toBe(200);
    const events = (await masterDataEvents(intake, countyId)).filter((e) => e.key === `${countyId}/station:vs-102202`);
    expect(events.map((e) => e.type)).toEqual(['masterdata.station_upserted', 'masterdata.station_deactivated']);
    expect(events[1]!.data).toMatchObject({ active: false });

    // Reactivated by PUT, it serves its villages again.
    const back = await call('PUT', '/stations/vs-102202', keys.operator, { ...res.json<object>(), active: true });
    expect(back.statusCode).toBe(200);
    expect(await stationOfVillage(intake, countyId, '511623102203')).toBe('vs-102202');
  });

  it('refuses a second village station for a served village with 409 naming the village and its station', async () => {
    const { countyId, keys } = await importedCounty();
    const res = await call('PUT', '/stations/vs-2', keys.operator, villageStation('vs-2', ['511623102201', '511623102203']));
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'VILLAGE_SERVED',
      message: 'village 511623102203 is served by village station vs-102202 already; change or deactivate that station first',
      details: [{ path: 'body.villageCodes.1', reason: 'village 511623102203 is served by village station vs-102202 already' }],
    });
    expect((await call('GET', '/stations/vs-2', keys.operator)).statusCode).toBe(404);
    expect(await stationOfVillage(intake, countyId, '511623102201')).toBeUndefined();

    // An inactive station may keep the village its replacement serves.
    const inactive = await call('PUT', '/stations/vs-2', keys.operator, villageStation('vs-2', ['511623102203'], { active: false }));
    expect(inactive.statusCode, inactive.body).toBe(201);
  });

  it('checks references by the import’s rules: 422 for the record, 409 for what it would break', async () => {
    const { keys } = await importedCounty();
    const unknownTown = await call('PUT', '/villages/511623103201', keys.operator, { name: '新村', townId: 'town-103' });
    expect(unknownTown.statusCode).toBe(422);
    expect(unknownTown.json().error).toMatchObject({ code: 'MASTERDATA_INVALID', details: [{ path: 'body.townId', reason: 'unknown town town-103' }] });

    const otherTown = await call('PUT', '/stations/vs-101', keys.operator, villageStation('vs-101', ['511623101201']));
    expect(otherTown.statusCode).toBe(422);
    expect(otherTown.json().error.details).toEqual([
      { path: 'body.villageCodes.0', reason: 'village 511623101201 is in town town-101, not in the station’s town town-102' },
    ]);

    const plate = await call('PUT', '/vehicles/van-02', keys.operator, {
      plate: '川X·12345',
      capacityKg: 800,
      capacityM3: 4,
      costPerKmYuan: 1.8,
      costPerHourYuan: 30,
      fixedCostPerDayYuan: 200,
      maxShiftHours: 10,
      owner: { kind: 'courier', courierId: 'yto' },
      depotStationId: 'vs-102202',
    });
    expect(plate.statusCode).toBe(422);
    expect(plate.json().error.details).toEqual([
      { path: 'body.plate', reason: 'duplicate 川X·12345, also in vehicle van-01' },
      { path: 'body.depotStationId', reason: 'vs-102202 is a village station; a depot is the center or a town station' },
      { path: 'body.owner.courierId', reason: 'unknown courier yto' },
    ]);

    const town = await call('POST', '/towns/town-102/deactivate', keys.operator);
    expect(town.statusCode).toBe(409);
    expect(town.json().error.code).toBe('MASTERDATA_CONFLICT');
    expect(town.json().error.details).toEqual(
      expect.arrayContaining([
        { path: 'village:511623102201.townId', reason: 'town town-102 is inactive' },
        { path: 'station:ts-102.townId', reason: 'town town-102 is inactive' },
      ]),
    );
    expect((await call('GET', '/towns/town-102', keys.operator)).json().active).toBe(true);

    const center = await call('POST', '/stations/center/deactivate', keys.admin);
    expect(center.statusCode).toBe(422);
    expect(center.json().error.details).toEqual([
      { path: 'body.active', reason: 'the center must be active' },
      { path: 'vehicle:van-01.depotStationId', reason: 'station center is inactive' },
    ]);
  });

  it('refuses bad bodies with 400 naming the field, and other counties with 403', async () => {
    const { keys } = await importedCounty();
    const bad = await call('PUT', '/stations/vs-9', keys.operator, villageStation('vs-9', ['511623102201'], { location: { lat: 106.99, lng: 30.43 } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['body.location.lat', 'body.location.lng']);
    const mismatch = await call('PUT', '/couriers/yto', keys.operator, { id: 'sto', brand: 'sto', name: '申通快递' });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error.details).toEqual([{ path: 'body.id', reason: 'must be yto, the id in the path (or left out)' }]);
    const elsewhere = await call('PUT', '/couriers/yto', keys.operator, { countyId: 'cn-000001', brand: 'yto', name: '圆通速递' });
    expect(elsewhere.statusCode).toBe(403);
    expect((await call('GET', '/counties/cn-000001', keys.operator)).statusCode).toBe(403);
    expect((await call('PUT', '/counties/cn-000001', keys.admin, miniCounty('cn-000001').county)).statusCode).toBe(403);
  });

  it('refuses a name with NUL or a lone surrogate with 400 naming the field, and keeps the record', async () => {
    const { countyId, keys } = await importedCounty();
    const before = (await call('GET', '/stations/vs-102202', keys.operator)).json();
    for (const name of ['中心\u0000站', '中心\uD800站']) {
      const bad = await call('PUT', '/stations/vs-102202', keys.operator, { ...before, name });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().error.details).toEqual([{ path: 'body.name', reason: 'must not contain NUL, control characters or unpaired surrogates' }]);
    }
    expect((await call('GET', '/stations/vs-102202', keys.operator)).json()).toEqual(before);
    expect((await masterDataEvents(intake, countyId)).filter((event) => event.key === `${countyId}/station:vs-102202`)).toHaveLength(1);
  });

  it('takes -0 for a stored 0 as the same record: 200, no new revision, no event', async () => {
    const { countyId, keys } = await importedCounty();
    const got = await call('GET', '/stations/vs-102202', keys.operator);
    expect(got.json().coldStorageM3).toBe(0);
    // JSON.stringify writes -0 as 0, so the body goes as text to keep the sign.
    const body = got.body.replace(/"coldStorageM3":0\b/, '"coldStorageM3":-0');
    expect(body).toContain('-0');
    const again = await call('PUT', '/stations/vs-102202', keys.operator, body, { 'content-type': 'application/json' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.headers.etag).toBe(got.headers.etag);
    expect((await masterDataEvents(intake, countyId)).filter((event) => event.key === `${countyId}/station:vs-102202`)).toHaveLength(1);
  });

  it('lets a courier key read stations and villages but not write them', async () => {
    const { countyId, keys } = await importedCounty();
    expect((await call('GET', '/stations?kind=village', keys.courier)).statusCode).toBe(200);
    expect((await call('GET', '/villages', keys.courier)).statusCode).toBe(200);
    const write = await call('PUT', '/stations/vs-3', keys.courier, villageStation('vs-3', ['511623102201']));
    expect(write.statusCode).toBe(403);
    expect((await call('POST', '/stations/vs-102202/deactivate', keys.courier)).statusCode).toBe(403);
    expect((await call('PUT', '/towns/town-9', keys.station, { name: '新镇' })).statusCode).toBe(403);
    expect((await call('PUT', `/counties/${countyId}`, keys.operator, miniCounty(countyId).county)).statusCode).toBe(403);
  });

  it('refuses the bureau on every master-data route', async () => {
    const { countyId, keys } = await importedCounty();
    const routes: [method: 'GET' | 'PUT' | 'POST', url: string][] = [
      ['GET', `/counties/${countyId}`],
      ['PUT', `/counties/${countyId}`],
      ['POST', '/import/county'],
      ['POST', '/import/county/csv'],
    ];
    for (const [collection, id] of [['towns', 'town-102'], ['villages', '511623102201'], ['stations', 'center'], ['couriers', 'zto'], ['vehicles', 'van-01']]) {
      routes.push(['GET', `/${collection}`], ['GET', `/${collection}/${id}`], ['PUT', `/${collection}/${id}`], ['POST', `/${collection}/${id}/deactivate`]);
    }
    for (const [method, url] of routes) {
      const res = await call(method, url, keys.bureau, method === 'GET' ? undefined : {});
      expect([method, url, res.statusCode]).toEqual([method, url, 403]);
    }
  });

  it('a courier or a station taken out of service is seen by the next parcel at once, though the last parcel read it', async () => {
    const { keys } = await importedCounty();
    const announce = (waybill: string) => call('POST', '/parcels', keys.courier, { waybill, destination: { villageCode: '511623102203' }, weightKg: 1, recipient: { name: '李小红', phone: '13900000001' } });
    const first = await announce(`MD${Date.now()}1`);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().exception).toBeNull();

    expect((await call('POST', '/stations/vs-102202/deactivate', keys.operator)).statusCode).toBe(200);
    const unresolved = await announce(`MD${Date.now()}2`);
    expect(unresolved.statusCode, unresolved.body).toBe(201);
    expect(unresolved.json().exception).toBe('address_unknown');

    expect((await call('POST', '/couriers/zto/deactivate', keys.operator)).statusCode).toBe(200);
    const refused = await announce(`MD${Date.now()}3`);
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().error.code).toBe('UNKNOWN_COURIER');
  });

  it('replays a deactivation sent again with the same Idempotency-Key, publishing once', async () => {
    const { countyId, keys } = await importedCounty();
    const headers = { 'idempotency-key': `deactivate-${countyId}` };
    const first = await call('POST', '/couriers/zto/deactivate', keys.operator, undefined, headers);
    expect(first.statusCode, first.body).toBe(200);
    // Reactivate in between: a replay must answer as the first time and change nothing.
    const reactivated = await call('PUT', '/couriers/zto', keys.operator, { ...first.json<object>(), active: true });
    expect(reactivated.statusCode, reactivated.body).toBe(200);
    const replay = await call('POST', '/couriers/zto/deactivate', keys.operator, undefined, headers);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect((await call('GET', '/couriers/zto', keys.operator)).json().active).toBe(true);
    const types = (await masterDataEvents(intake, countyId)).filter((e) => e.key === `${countyId}/courier:zto`).map((e) => e.type);
    expect(types).toEqual(['masterdata.courier_upserted', 'masterdata.courier_deactivated', 'masterdata.courier_upserted']);
    const reused = await call('POST', '/couriers/sf/deactivate', keys.operator, undefined, headers);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
