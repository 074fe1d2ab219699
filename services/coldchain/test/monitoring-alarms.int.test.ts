import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import type { Sample } from '../src/monitoring/domain/fold.js';
import type { MonitoredProfile } from '../src/monitoring/ports.js';
import { containerEvents, freshId, outboxEvents, parcelId, runningColdchain, series, stoneFruit, testClock, testPorts, typesOf, type RunningColdchain } from './monitoring-support.js';

const iso = isolation();
const config = testConfig(iso);
const COUNTY = 'cn-511623';
const OTHER_COUNTY = 'cn-511624';
const START = '2026-07-03T06:00:00.000Z';
const clock = testClock('2026-07-03T08:00:00.000Z');
const profiles = new Map<string, MonitoredProfile>();
const parcels = new Map<string, string[]>();
let run: RunningColdchain;
let operator: string;
let admin: string;

beforeAll(async () => {
  run = await runningColdchain(config, { clock: clock.clock, ports: testPorts(profiles, parcels) });
  operator = await run.issue(COUNTY, 'operator');
  admin = await run.issue(COUNTY, 'admin');
});

afterAll(async () => {
  await run?.stop();
});

/** A vehicle's compartment that went through one excursion beyond tolerance (closed, alarm cleared by the data) or still open. */
async function excursionIn(vehicleId: string, { closed }: { closed: boolean }) {
  const containerId = `${vehicleId}/refrigerated`;
  profiles.set(containerId, stoneFruit);
  parcels.set(containerId, [parcelId()]);
  const samples: Sample[] = series(START, 'probe-1', 0, closed ? 90 : 60, (m) => (m >= 20 && m < 55 ? 7.5 : 2));
  for (let i = 0; i < samples.length; i += 20) await run.feed(COUNTY, containerId, samples.slice(i, i + 20));
  const events = await containerEvents(run, config, containerId, (all) => all.some((e) => e.type === 'coldchain.alarm_raised'));
  const alarmId = (events.find((e) => e.type === 'coldchain.alarm_raised')!.data as { alarmId: string }).alarmId;
  const excursionId = (events[0]!.data as { excursionId: string }).excursionId;
  return { containerId, alarmId, excursionId };
}

const q = (containerId: string) => encodeURIComponent(containerId);

describe('alarms and excursions over REST', () => {
  it('an operator lists alarms by state, kind, severity, container and time; an acknowledged alarm moves from active to acknowledged', async () => {
    const vehicle = freshId('veh');
    const { containerId, alarmId } = await excursionIn(vehicle, { closed: false });
    const list = async (query: string) => (await run.call('GET', `/coldchain/alarms?containerId=${q(containerId)}&${query}`, operator)).json().alarms.map((a: { alarmId: string }) => a.alarmId);
    expect(await list('state=active')).toEqual([alarmId]);
    expect(await list('kind=tolerance_exceeded&severity=critical')).toEqual([alarmId]);
    expect(await list('kind=sensor_silent')).toEqual([]);
    expect(await list('from=2026-07-03T06:50:00Z&to=2026-07-03T06:51:00Z')).toEqual([alarmId]);
    expect(await list('from=2026-07-03T06:51:00Z')).toEqual([]);

    const ack = await run.call('POST', `/coldchain/alarms/${alarmId}/acknowledge`, operator, { comment: '司机已开启备用制冷' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ state: 'acknowledged', acknowledged: { by: { role: 'operator' }, at: '2026-07-03T08:00:00.000Z', comment: '司机已开启备用制冷' } });
    expect(await list('state=active')).toEqual([]);
    expect(await list('state=acknowledged')).toEqual([alarmId]);

    const again = await run.call('POST', `/coldchain/alarms/${alarmId}/acknowledge`, admin, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'ALARM_ALREADY_ACKNOWLEDGED', details: [{ path: 'params.alarmId' }] });

    const events = await containerEvents(run, config, containerId, (all) => all.some((e) => e.type === 'coldchain.alarm_acknowledged'));
    expect(events.filter((e) => e.type === 'coldchain.alarm_acknowledged').map((e) => e.data)).toEqual([
      { alarmId, containerId, by: { keyId: expect.any(String), role: 'operator' }, at: '2026-07-03T08:00:00.000Z', comment: '司机已开启备用制冷' },
    ]);
  });

  it('clearing by hand needs a comment, is kept in the audit trail, and is refused the second time', async () => {
    const { containerId, alarmId } = await excursionIn(freshId('veh'), { closed: false });
    const bare = await run.call('POST', `/coldchain/alarms/${alarmId}/clear`, operator, {});
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.details).toEqual([expect.objectContaining({ path: 'body.comment' })]);
    const cleared = await run.call('POST', `/coldchain/alarms/${alarmId}/clear`, operator, { comment: 'probe taped to the door: false reading' });
    expect(cleared.json()).toMatchObject({ state: 'cleared', cleared: { by: { role: 'operator' }, comment: 'probe taped to the door: false reading' } });
    const again = await run.call('POST', `/coldchain/alarms/${alarmId}/clear`, operator, { comment: 'again' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALARM_ALREADY_CLEARED');
    // A cleared alarm nobody saw can still be acknowledged.
    expect((await run.call('POST', `/coldchain/alarms/${alarmId}/acknowledge`, operator, {})).statusCode).toBe(200);
    const detail = (await run.call('GET', `/coldchain/alarms/${alarmId}`, operator)).json();
    expect(detail.audit.map((a: { action: string }) => a.action)).toEqual(['raised', 'cleared', 'acknowledged']);
    // The data closing the excursion later does not clear it a second time.
    const rest = series(START, 'probe-1', 60, 90, (m) => (m < 55 ? 7.5 : 2));
    await run.feed(COUNTY, containerId, rest);
    const events = await containerEvents(run, config, containerId, (all) => all.some((e) => e.type === 'coldchain.excursion_closed'));
    expect(typesOf(events).filter((t) => t === 'coldchain.alarm_cleared')).toHaveLength(1);
  });

  it('an excursion’s resolution: decided, changed, refused when unchanged, every decision in its audit trail and published', async () => {
    const { containerId, excursionId, alarmId } = await excursionIn(freshId('veh'), { closed: true });
    const resolve = (key: string, body: unknown, headers: Record<string, string> = {}) => run.call('POST', `/coldchain/excursions/${excursionId}/resolution`, key, body, headers);
    const bad = await resolve(operator, { resolution: 'eaten' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body.resolution');
    const first = await resolve(operator, { resolution: 'downgraded', comment: 'sold as juice fruit' }, { 'idempotency-key': 'qm-1' });
    expect(first.statusCode).toBe(200);
    const replayed = await resolve(operator, { resolution: 'downgraded', comment: 'sold as juice fruit' }, { 'idempotency-key': 'qm-1' });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect((await resolve(admin, { resolution: 'downgraded' })).json().error.code).toBe('EXCURSION_ALREADY_RESOLVED');
    const second = await resolve(admin, { resolution: 'discarded', comment: 'inspection: internal browning' });
    expect(second.json()).toMatchObject({
      excursionId,
      state: 'closed',
      resolution: 'discarded',
      resolutions: [
        { resolution: 'downgraded', by: { role: 'operator' }, comment: 'sold as juice fruit' },
        { resolution: 'discarded', by: { role: 'admin' }, comment: 'inspection: internal browning' },
      ],
      alarms: [{ alarmId, state: 'cleared' }],
    });
    const events = await containerEvents(run, config, containerId, (all) => all.filter((e) => e.type === 'coldchain.excursion_resolved').length === 2);
    expect(events.filter((e) => e.type === 'coldchain.excursion_resolved').map((e) => (e.data as { resolution: string }).resolution)).toEqual(['downgraded', 'discarded']);
  });

  it('a driver reads its vehicles’ containers only and acts on none; a station key and the bureau read nothing; another county sees nothing', async () => {
    const mine = freshId('veh');
    const theirs = freshId('veh');
    const own = await excursionIn(mine, { closed: false });
    const other = await excursionIn(theirs, { closed: false });
    const driver = await run.issue(COUNTY, 'driver', { vehicleIds: [mine] });
    const listed = (await run.call('GET', '/coldchain/alarms', driver)).json().alarms.map((a: { containerId: string }) => a.containerId);
    expect(new Set(listed)).toEqual(new Set([own.containerId]));
    expect((await run.call('GET', `/coldchain/alarms?containerId=${q(other.containerId)}`, driver)).statusCode).toBe(403);
    expect((await run.call('GET', `/coldchain/alarms/${other.alarmId}`, driver)).statusCode).toBe(404);
    expect((await run.call('GET', `/coldchain/excursions/${own.excursionId}`, driver)).statusCode).toBe(200);
    expect((await run.call('GET', `/coldchain/excursions/${other.excursionId}`, driver)).statusCode).toBe(404);
    const live = (await run.call('GET', '/coldchain/containers/live', driver)).json();
    expect(live.containers.map((c: { containerId: string }) => c.containerId)).toEqual([own.containerId]);
    expect((await run.call('POST', `/coldchain/alarms/${own.alarmId}/acknowledge`, driver, {})).statusCode).toBe(403);

    const station = await run.issue(COUNTY, 'station', { stationId: 'st-1' });
    const bureau = await run.issue(COUNTY, 'bureau');
    for (const key of [station, bureau]) {
      expect((await run.call('GET', '/coldchain/alarms', key)).statusCode).toBe(403);
      expect((await run.call('GET', '/coldchain/containers/live', key)).statusCode).toBe(403);
    }
    expect((await run.call('GET', '/coldchain/alarms', undefined)).statusCode).toBe(401);

    const stranger = await run.issue(OTHER_COUNTY, 'operator');
    expect((await run.call('GET', `/coldchain/alarms/${own.alarmId}`, stranger)).statusCode).toBe(404);
    expect((await run.call('POST', `/coldchain/alarms/${own.alarmId}/acknowledge`, stranger, {})).statusCode).toBe(404);
    expect((await run.call('GET', '/coldchain/alarms', stranger)).json().alarms).toEqual([]);
  });

  it('refusals name the field and change nothing: unknown ids, bad filters, a foreign cursor', async () => {
    const { containerId, alarmId } = await excursionIn(freshId('veh'), { closed: false });
    const before = await outboxEvents(run.runtime.pool, containerId);
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/coldchain/alarms/alm-nope/acknowledge', {}, 404, 'params.alarmId'],
      ['POST', '/coldchain/excursions/exc-nope/resolution', { resolution: 'released' }, 404, 'params.excursionId'],
      ['GET', '/coldchain/alarms?state=snoozed', undefined, 400, 'querystring.state'],
      ['GET', '/coldchain/alarms?containerId=truck-7', undefined, 400, 'querystring.containerId'],
      ['GET', '/coldchain/alarms?from=2026-07-03T09:00:00Z&to=2026-07-03T08:00:00Z', undefined, 400, 'querystring.to'],
      ['GET', '/coldchain/alarms?cursor=bm90LWEtY3Vyc29y', undefined, 400, 'querystring.cursor'],
      ['GET', '/coldchain/excursions?limit=0', undefined, 400, 'querystring.limit'],
      ['POST', `/coldchain/alarms/${alarmId}/acknowledge`, { comment: 'x'.repeat(1001) }, 400, 'body.comment'],
      ['POST', `/coldchain/alarms/${alarmId}/acknowledge`, { note: 'x' }, 400, 'body'],
    ];
    for (const [method, url, body, status, path] of cases) {
      const answer = await run.call(method as 'GET' | 'POST', url, operator, body);
      expect(answer.statusCode, `${method} ${url}`).toBe(status);
      expect(JSON.stringify(answer.json().error.details), `${method} ${url}`).toContain(path);
    }
    expect(await outboxEvents(run.runtime.pool, containerId)).toEqual(before);
  });

  it('alarm pages follow one another with the cursor, newest first, without repeats', async () => {
    const vehicles = [freshId('veh'), freshId('veh'), freshId('veh')];
    for (const v of vehicles) await excursionIn(v, { closed: true });
    const containers = vehicles.map((v) => `containerId=${q(`${v}/refrigerated`)}`).join('&');
    const first = (await run.call('GET', `/coldchain/alarms?${containers}&limit=2`, operator)).json();
    expect(first.alarms).toHaveLength(2);
    const second = (await run.call('GET', `/coldchain/alarms?${containers}&limit=2&cursor=${first.next}`, operator)).json();
    expect(second.alarms).toHaveLength(1);
    expect(second.next).toBeNull();
    const all = [...first.alarms, ...second.alarms].map((a: { containerId: string }) => a.containerId);
    expect(new Set(all).size).toBe(3);
  });
});
