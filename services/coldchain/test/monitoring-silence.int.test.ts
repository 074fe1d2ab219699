import type { Envelope } from '@county/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import type { MonitoredProfile } from '../src/monitoring/ports.js';
import { containerEvents, freshId, outboxEvents, parcelId, runningColdchain, series, stoneFruit, testClock, testPorts, typesOf, type RunningColdchain } from './monitoring-support.js';

const iso = isolation();
const config = testConfig(iso);
const COUNTY = 'cn-511623';
const START = '2026-07-02T06:00:00.000Z';
const clock = testClock(START);
const profiles = new Map<string, MonitoredProfile>();
const parcels = new Map<string, string[]>();
let run: RunningColdchain;

beforeAll(async () => {
  run = await runningColdchain(config, { clock: clock.clock, ports: testPorts(profiles, parcels) });
});

afterAll(async () => {
  await run?.stop();
});

function container(kind: 'refrigerated' | 'cold-room', goods: number) {
  const containerId = `${freshId(kind === 'refrigerated' ? 'veh' : 'st')}/${kind}`;
  profiles.set(containerId, stoneFruit);
  parcels.set(containerId, Array.from({ length: goods }, () => parcelId()));
  return containerId;
}

const at = (minute: number) => new Date(Date.parse(START) + minute * 60_000).toISOString();

/** Twenty minutes of readings in range, the clock at the last one (the ingest refuses readings from the future). */
async function heard(containerId: string, from = 0) {
  clock.set(at(from + 20));
  await run.feed(COUNTY, containerId, series(START, 'probe-1', from, from + 20, () => 2));
}

/** One pass of the scanner at the clock's time. */
async function scan() {
  await (await run.scanner()).nextPass();
}

const silenceAlarms = (events: Envelope[]) => events.filter((e) => e.type === 'coldchain.alarm_raised' && (e.data as { kind: string }).kind === 'sensor_silent');

describe('silent sensors', () => {
  it('a vehicle with goods whose sensor is silent longer than the gap raises one sensor_silent alarm; readings resuming clear it', async () => {
    const containerId = container('refrigerated', 2);
    await heard(containerId);
    // 10 minutes after the last reading (19:30) is within the gap: nothing.
    clock.set(at(29.5));
    await scan();
    expect(silenceAlarms(await outboxEvents(run.runtime.pool, containerId))).toHaveLength(0);
    clock.set(at(45));
    await scan();
    await scan();
    const raised = await containerEvents(run, config, containerId, (all) => silenceAlarms(all).length === 1);
    const alarm = silenceAlarms(raised)[0]!.data as { alarmId: string; severity: string; detail: string; parcelIds: string[]; raisedAt: string };
    expect(alarm).toMatchObject({ severity: 'major', raisedAt: at(45) });
    expect(alarm.detail).toBe(`no reading for 25.5 min (more than the 10 min allowed); the last: 2 °C at ${at(19.5)} from probe-1`);
    expect(new Set(alarm.parcelIds)).toEqual(new Set(parcels.get(containerId)));

    const staff = await run.issue(COUNTY, 'operator');
    const live = await run.call('GET', `/coldchain/containers/live?containerId=${encodeURIComponent(containerId)}`, staff);
    expect(live.json().containers[0]).toMatchObject({ containerId, state: 'silent', temperatureC: 2, measuredAt: at(19.5), silentAlarmId: alarm.alarmId });

    await heard(containerId, 46);
    const cleared = await containerEvents(run, config, containerId, (all) => all.some((e) => e.type === 'coldchain.alarm_cleared'));
    expect(typesOf(cleared)).toEqual(['coldchain.alarm_raised', 'coldchain.alarm_cleared']);
    expect(cleared[1]!.data).toMatchObject({ alarmId: alarm.alarmId, comment: `readings resumed: latest measured at ${at(65.5)} by probe-1` });
    const after = await run.call('GET', `/coldchain/alarms/${alarm.alarmId}`, staff);
    expect(after.json()).toMatchObject({ state: 'cleared', cleared: { by: null } });
    expect(after.json().audit.map((a: { action: string }) => a.action)).toEqual(['raised', 'cleared']);
  });

  it('an empty vehicle may fall silent (its gateway switched off): no alarm', async () => {
    const containerId = container('refrigerated', 0);
    await heard(containerId);
    clock.set(at(90));
    await scan();
    expect(await outboxEvents(run.runtime.pool, containerId)).toEqual([]);
  });

  it('a cold room is watched even when empty: a minor alarm', async () => {
    const containerId = container('cold-room', 0);
    await heard(containerId);
    clock.set(at(90));
    await scan();
    const events = await containerEvents(run, config, containerId, (all) => silenceAlarms(all).length === 1);
    expect(silenceAlarms(events)[0]!.data).toMatchObject({ kind: 'sensor_silent', severity: 'minor', parcelIds: [] });
  });

  it('a silence cleared by hand is not raised again for the same silence; the next silence is a new alarm', async () => {
    const containerId = container('refrigerated', 1);
    await heard(containerId);
    clock.set(at(60));
    await scan();
    const [raised] = silenceAlarms(await containerEvents(run, config, containerId, (all) => silenceAlarms(all).length === 1));
    const staff = await run.issue(COUNTY, 'operator');
    const alarmId = (raised!.data as { alarmId: string }).alarmId;
    const clear = await run.call('POST', `/coldchain/alarms/${alarmId}/clear`, staff, { comment: 'gateway replaced, readings come on the spare' });
    expect(clear.statusCode).toBe(200);
    clock.set(at(80));
    await scan();
    expect(silenceAlarms(await outboxEvents(run.runtime.pool, containerId))).toHaveLength(1);
    await heard(containerId, 100);
    clock.set(at(150));
    await scan();
    expect(silenceAlarms(await outboxEvents(run.runtime.pool, containerId))).toHaveLength(2);
  });
});
