import { randomUUID } from 'node:crypto';
import { buildEvent, topics } from '@county/contracts';
import { publish } from '@county/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig, waitFor } from '../../../tests/support/harness.js';
import { masterDataEvent, vehicleRecord } from '../../dispatch/test/readmodel-events.js';
import { knownContainer, knownContainers, profileOfContainer } from '../src/catalogue/index.js';
import { after, freshId, masterDataApplied, intakeStandIn, reefer, runningColdchain, station, type RunningColdchain } from './catalogue-support.js';

const iso = isolation();
const config = testConfig(iso);
const countyId = 'cn-511623';
const otherCounty = 'cn-500237';
let coldchain: RunningColdchain;
let intake: Awaited<ReturnType<typeof intakeStandIn>>;
let admin: string;
let operator: string;

beforeAll(async () => {
  coldchain = await runningColdchain(config, { compliancePorts: { readingsBetween: async () => [], excursionsBetween: async () => [] } });
  intake = await intakeStandIn(config);
  [admin, operator] = await Promise.all([coldchain.issue(countyId, 'admin'), coldchain.issue(countyId, 'operator')]);
});

afterAll(async () => {
  await intake?.close();
  await coldchain?.runtime.lifecycle.shutdown();
});

type Res = { statusCode: number; body: string; json: () => any };
function refusal(res: Res) {
  const { error } = res.json();
  return { status: res.statusCode, code: error.code, paths: error.details.map((d: { path: string }) => d.path) };
}
const enc = encodeURIComponent;
const countBindings = async () => (await coldchain.runtime.pool.query(`SELECT count(*)::int AS n FROM bindings`)).rows[0].n as number;

const peachBody = {
  name: 'Yellow peach, Yanling',
  nameZh: '炎陵黄桃',
  minC: 0,
  maxC: 3,
  toleratedMinutes: 20,
  mktLimitC: 3,
  precooling: { targetC: 4, withinHours: 8 },
  silenceGapMinutes: 10,
  sources: [{ field: 'maxC', source: 'county QA manual 2026' }],
};

describe('product profiles', () => {
  it('each county starts with the seeded defaults and their sources, and edits its own', async () => {
    const list = await coldchain.call('GET', '/coldchain/profiles', operator);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((p: { id: string }) => p.id)).toEqual(['chilled', 'crisp-plum', 'frozen', 'navel-orange', 'yellow-peach']);
    const peach = list.json().items.find((p: { id: string }) => p.id === 'yellow-peach');
    expect(peach).toMatchObject({ minC: 0, maxC: 4, toleratedMinutes: 30, activationEnergyKjPerMol: 83.144, precooling: { targetC: 4, withinHours: 12 }, seeded: true, updatedBy: null });
    expect(peach.sources.map((s: { source: string }) => s.source).join(' ')).toMatch(/domain-figures/);

    const replaced = await coldchain.call('PUT', '/coldchain/profiles/yellow-peach', admin, peachBody);
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ ...peachBody, id: 'yellow-peach', activationEnergyKjPerMol: 83.144, seeded: false, updatedBy: expect.any(String) });
    const created = await coldchain.call('PUT', '/coldchain/profiles/kiwifruit', admin, { ...peachBody, name: 'Kiwifruit', nameZh: null, precooling: null });
    expect(created.statusCode, created.body).toBe(201);

    const otherOperator = await coldchain.issue(otherCounty, 'operator');
    const theirs = await coldchain.call('GET', '/coldchain/profiles/yellow-peach', otherOperator);
    expect(theirs.json()).toMatchObject({ maxC: 4, seeded: true });
    expect((await coldchain.call('GET', '/coldchain/profiles/kiwifruit', otherOperator)).statusCode).toBe(404);
  });

  it('refuses a bad profile naming the field, a writer who is not an admin, and a caller without a key; nothing changes', async () => {
    const before = (await coldchain.call('GET', '/coldchain/profiles/chilled', operator)).json();
    expect(refusal(await coldchain.call('PUT', '/coldchain/profiles/chilled', admin, { ...peachBody, minC: 5, maxC: 2 }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', paths: ['body.maxC'] });
    expect(refusal(await coldchain.call('PUT', '/coldchain/profiles/chilled', admin, { ...peachBody, activationEnergyKjPerMol: 0 }))).toMatchObject({ status: 400, paths: ['body.activationEnergyKjPerMol'] });
    expect(refusal(await coldchain.call('PUT', '/coldchain/profiles/chilled', admin, { ...peachBody, colour: 'red' }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(refusal(await coldchain.call('PUT', '/coldchain/profiles/has%20space', admin, peachBody))).toMatchObject({ status: 400, paths: ['params.profileId'] });
    expect(refusal(await coldchain.call('PUT', '/coldchain/profiles/chilled', operator, peachBody))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await coldchain.call('GET', '/coldchain/profiles', undefined)).statusCode).toBe(401);
    expect((await coldchain.call('GET', '/coldchain/profiles', await coldchain.issue(countyId, 'bureau'))).statusCode).toBe(403);
    expect((await coldchain.call('GET', '/coldchain/profiles/chilled', operator)).json()).toEqual(before);
  });

  it('deletes a profile nothing uses, refuses one in use saying by what, and a deleted default stays deleted', async () => {
    expect(refusal(await coldchain.call('DELETE', '/coldchain/profiles/chilled', admin))).toEqual({ status: 409, code: 'PROFILE_IN_USE', paths: ['settings.defaultProfileId'] });
    expect((await coldchain.call('DELETE', '/coldchain/profiles/crisp-plum', admin)).statusCode).toBe(204);
    expect(refusal(await coldchain.call('DELETE', '/coldchain/profiles/crisp-plum', admin))).toMatchObject({ status: 404, code: 'PROFILE_NOT_FOUND' });
    const events = await intake.masterData({ station: station(countyId, freshId('st'), 'town', 3) });
    await masterDataApplied(coldchain, events);
    expect((await coldchain.call('GET', '/coldchain/profiles/crisp-plum', operator)).statusCode).toBe(404);
  });
});

describe('containers', () => {
  it('are the refrigerated compartments and cold rooms of master data, each expecting the county’s default profile until set', async () => {
    const ids = { van: freshId('van'), dry: freshId('van'), room: freshId('st-town'), plain: freshId('st-v') };
    const events = await intake.masterData(
      { vehicle: reefer(countyId, ids.van) },
      { vehicle: vehicleRecord(countyId, ids.dry) },
      { station: station(countyId, ids.room, 'town', 12) },
      { station: station(countyId, ids.plain, 'village') },
    );
    await masterDataApplied(coldchain, events);
    const items = (await coldchain.call('GET', '/coldchain/containers', operator)).json().items as { containerId: string }[];
    const mine = items.filter((c) => Object.values(ids).some((id) => c.containerId.startsWith(`${id}/`)));
    expect(mine).toEqual([
      expect.objectContaining({ containerId: `${ids.room}/cold-room`, kind: 'cold_room', stationId: ids.room, capacityM3: 12, active: true, profileId: 'chilled', profileFrom: 'county_default' }),
      expect.objectContaining({ containerId: `${ids.van}/refrigerated`, kind: 'vehicle_compartment', vehicleId: ids.van, capacityM3: 2, active: true, profileId: 'chilled', profileFrom: 'county_default' }),
    ]);
    expect(await knownContainer(coldchain.runtime.pool, countyId, `${ids.van}/refrigerated`)).toBe(true);
    expect(await knownContainer(coldchain.runtime.pool, countyId, `${ids.dry}/refrigerated`)).toBe(false);
    expect(await knownContainer(coldchain.runtime.pool, otherCounty, `${ids.van}/refrigerated`)).toBe(false);
    expect(await knownContainers(coldchain.runtime.pool, countyId, [`${ids.van}/refrigerated`, `${ids.dry}/refrigerated`, `${ids.room}/cold-room`])).toEqual(
      new Set([`${ids.van}/refrigerated`, `${ids.room}/cold-room`]),
    );

    const set = await coldchain.call('PUT', `/coldchain/containers/${enc(`${ids.van}/refrigerated`)}`, operator, { profileId: 'yellow-peach' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ profileId: 'yellow-peach', profileFrom: 'container', profileSetBy: expect.any(String) });
    expect(await profileOfContainer(coldchain.runtime.pool, countyId, `${ids.van}/refrigerated`)).toMatchObject({ id: 'yellow-peach', maxC: 3, toleratedMinutes: 20, silenceGapMinutes: 10 });
    expect(await profileOfContainer(coldchain.runtime.pool, countyId, 'nowhere/refrigerated')).toBeUndefined();
    expect(refusal(await coldchain.call('DELETE', '/coldchain/profiles/yellow-peach', admin))).toEqual({ status: 409, code: 'PROFILE_IN_USE', paths: [`containers.${ids.van}/refrigerated`] });

    const settings = await coldchain.call('PUT', '/coldchain/settings', admin, { defaultProfileId: 'frozen' });
    expect(settings.json()).toMatchObject({ defaultProfileId: 'frozen' });
    const room = await coldchain.call('GET', `/coldchain/containers/${enc(`${ids.room}/cold-room`)}`, operator);
    expect(room.json()).toMatchObject({ profileId: 'frozen', profileFrom: 'county_default' });
    expect((await coldchain.call('PUT', `/coldchain/containers/${enc(`${ids.van}/refrigerated`)}`, operator, { profileId: null })).json()).toMatchObject({ profileId: 'frozen', profileFrom: 'county_default' });
    await coldchain.call('PUT', '/coldchain/settings', admin, { defaultProfileId: 'chilled' });

    const retired = await intake.masterData({ vehicle: { ...reefer(countyId, ids.van), active: false } });
    await masterDataApplied(coldchain, retired);
    expect((await coldchain.call('GET', `/coldchain/containers/${enc(`${ids.van}/refrigerated`)}`, operator)).json()).toMatchObject({ active: false });
    expect(await knownContainer(coldchain.runtime.pool, countyId, `${ids.van}/refrigerated`)).toBe(true);
  });

  it('refuses an unknown profile or container, and a profile change by a driver; a driver sees its own vehicles’ compartments only, and the profiles', async () => {
    const [mine, theirs] = [freshId('van'), freshId('van')];
    const events = await intake.masterData({ vehicle: reefer(countyId, mine) }, { vehicle: reefer(countyId, theirs) });
    await masterDataApplied(coldchain, events);
    const url = `/coldchain/containers/${enc(`${mine}/refrigerated`)}`;
    expect(refusal(await coldchain.call('PUT', url, operator, { profileId: 'durian' }))).toEqual({ status: 422, code: 'PROFILE_UNKNOWN', paths: ['body.profileId'] });
    expect(refusal(await coldchain.call('PUT', '/coldchain/containers/nowhere%2Frefrigerated', operator, { profileId: 'frozen' }))).toMatchObject({ status: 404, code: 'CONTAINER_NOT_FOUND' });
    expect(refusal(await coldchain.call('PUT', '/coldchain/settings', admin, { defaultProfileId: 'durian' }))).toEqual({ status: 422, code: 'PROFILE_UNKNOWN', paths: ['body.defaultProfileId'] });
    const driver = await coldchain.issue(countyId, 'driver', { vehicleIds: [mine] });
    expect(refusal(await coldchain.call('PUT', url, driver, { profileId: 'frozen' }))).toMatchObject({ status: 403 });
    expect((await coldchain.call('GET', url, operator)).json()).toMatchObject({ profileFrom: 'county_default' });
    const seen = (await coldchain.call('GET', '/coldchain/containers', driver)).json().items.map((c: { containerId: string }) => c.containerId);
    expect(seen).toEqual([`${mine}/refrigerated`]);
    expect((await coldchain.call('GET', `/coldchain/containers/${enc(`${theirs}/refrigerated`)}`, driver)).statusCode).toBe(404);
    // The range to keep the compartment in: a driver reads the profiles (the console draws its band from them).
    const profiles = await coldchain.call('GET', '/coldchain/profiles', driver);
    expect(profiles.statusCode).toBe(200);
    expect(profiles.json().items.map((p: { id: string }) => p.id)).toContain('chilled');
    expect((await coldchain.call('GET', '/coldchain/profiles/chilled', driver)).statusCode).toBe(200);
  });
});

describe('bindings by hand', () => {
  it('binds a parcel with who and why, closes it with who and why, and keeps both in its history', async () => {
    const van = freshId('van');
    await masterDataApplied(coldchain, await intake.masterData({ vehicle: reefer(countyId, van) }));
    const parcelId = randomUUID();
    const from = after(new Date().toISOString(), -90);
    const made = await coldchain.call('POST', '/coldchain/bindings', operator, { parcelId, containerId: `${van}/refrigerated`, from, reason: '转运时扫描漏记 transfer not scanned' });
    expect(made.statusCode, made.body).toBe(201);
    const binding = made.json();
    expect(binding).toMatchObject({ parcelId, containerId: `${van}/refrigerated`, from, to: null, origin: 'manual', createdBy: expect.any(String), reason: '转运时扫描漏记 transfer not scanned' });

    const to = after(from, 60);
    const closed = await coldchain.call('DELETE', `/coldchain/bindings/${binding.bindingId}`, operator, { reason: 'unloaded at the town cold room', to });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ to, closedBy: expect.any(String), closeReason: 'unloaded at the town cold room' });
    expect(refusal(await coldchain.call('DELETE', `/coldchain/bindings/${binding.bindingId}`, operator, { reason: 'again' }))).toMatchObject({ status: 409, code: 'BINDING_CLOSED' });
    const listed = await coldchain.call('GET', `/coldchain/bindings?containerId=${enc(`${van}/refrigerated`)}&from=${enc(from)}`, operator);
    expect(listed.json().items).toEqual([closed.json()]);
  });

  it('refuses bad bindings naming the field, and bindings that follow the events; nothing changes', async () => {
    const van = freshId('van');
    await masterDataApplied(coldchain, await intake.masterData({ vehicle: reefer(countyId, van) }));
    const containerId = `${van}/refrigerated`;
    const now = new Date().toISOString();
    const good = { parcelId: randomUUID(), containerId, from: after(now, -60), reason: 'missed scan' };
    const before = await countBindings();
    const cases: [unknown, number, string, string[]][] = [
      [{ ...good, to: after(now, -70) }, 422, 'BINDING_INVALID', ['body.to']],
      [{ ...good, from: after(now, 60) }, 422, 'BINDING_INVALID', ['body.from']],
      [{ ...good, containerId: 'nowhere/refrigerated' }, 422, 'CONTAINER_UNKNOWN', ['body.containerId']],
      [{ ...good, containerId: 'a/b/c' }, 400, 'VALIDATION_FAILED', ['body.containerId']],
      [{ ...good, reason: '   ' }, 400, 'VALIDATION_FAILED', ['body.reason']],
      [{ ...good, parcelId: 'p-1' }, 400, 'VALIDATION_FAILED', ['body.parcelId']],
    ];
    for (const [body, status, code, paths] of cases) expect(refusal(await coldchain.call('POST', '/coldchain/bindings', operator, body)), JSON.stringify(body)).toEqual({ status, code, paths });
    expect(refusal(await coldchain.call('POST', '/coldchain/bindings', await coldchain.issue(countyId, 'driver', { vehicleIds: [van] }), good))).toMatchObject({ status: 403 });
    expect(await countBindings()).toBe(before);

    // A binding from dispatch's events: dispatch confirms a route with a chilled parcel and the van departs.
    const parcelId = randomUUID();
    const routeId = freshId('rt');
    const route = { routeId, planId: 'plan-1', date: now.slice(0, 10), waveId: 'am', vehicleId: van, tier: 'direct' as const, depotStationId: 'st-center' };
    const confirmed = buildEvent({
      type: 'dispatch.route_confirmed',
      countyId,
      subject: routeId,
      source: 'dispatch',
      data: {
        ...route,
        plannedDeparture: after(now, -30),
        plannedReturn: after(now, 60),
        distanceKm: 10,
        durationMinutes: 90,
        cost: { total: 1, fixed: 1, distance: 0, time: 0 },
        stops: [{ sequence: 1, stationId: 'st-v1', plannedArrival: now, plannedDeparture: now, deliveries: [parcelId], pickups: [], loadKgAfter: 0, loadM3After: 0 }],
        parcels: [{ parcelId, courierId: 'zto', direction: 'downstream', compartment: 'refrigerated', stopSequence: 1, coldChainProfileId: 'chilled' }],
      },
    });
    const departed = buildEvent({ type: 'dispatch.route_departed', countyId, subject: routeId, source: 'dispatch', data: { ...route, departedAt: after(now, -20), parcelIds: [parcelId] } });
    await publish(intake.producer, `${config.TOPIC_PREFIX}${topics.dispatchEvents.name}`, [confirmed, departed].map((e) => ({ key: routeId, value: JSON.stringify(e) })));
    const fromEvents = await waitFor(async () => (await coldchain.call('GET', `/coldchain/bindings?parcelId=${parcelId}`, operator)).json().items[0]);
    expect(fromEvents).toMatchObject({ origin: 'events', from: after(now, -20), to: null });
    expect(refusal(await coldchain.call('DELETE', `/coldchain/bindings/${fromEvents.bindingId}`, operator, { reason: 'wrong' }))).toMatchObject({ status: 409, code: 'BINDING_FROM_EVENTS' });
    expect(refusal(await coldchain.call('DELETE', `/coldchain/bindings/${randomUUID()}`, operator, { reason: 'wrong' }))).toMatchObject({ status: 404, code: 'BINDING_NOT_FOUND' });
    const theirVan = reefer(otherCounty, freshId('van'));
    await masterDataApplied(coldchain, await intake.masterData({ vehicle: theirVan }));
    const theirOperator = await coldchain.issue(otherCounty, 'operator');
    const theirs = { ...good, parcelId, containerId: `${theirVan.id}/refrigerated` };
    expect(refusal(await coldchain.call('POST', '/coldchain/bindings', theirOperator, theirs))).toMatchObject({ status: 404, code: 'PARCEL_OF_ANOTHER_COUNTY' });
    expect((await coldchain.call('GET', `/coldchain/bindings?parcelId=${parcelId}`, operator)).json().items).toEqual([fromEvents]);
    expect(refusal(await coldchain.call('GET', '/coldchain/bindings', operator))).toMatchObject({ status: 400, paths: ['querystring.parcelId'] });
  });
});
