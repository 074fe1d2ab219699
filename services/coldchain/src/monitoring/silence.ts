import { withTransaction, type Clock, type Outbox, type Pool } from '@county/platform';
import { compareKeys } from './domain/fold.js';
import { silenceOf } from './domain/silence.js';
import { monitoringEvent } from './events.js';
import type { HotStore } from './hot.js';
import type { MonitoringMetrics } from './metrics.js';
import { silenceAlarmIdOf } from './ids.js';
import { limitsFor } from './limits.js';
import type { MonitoringPorts } from './ports.js';
import { sampleOf } from './settle.js';
import { insertAlarm } from './store/alarms.js';
import { latestOf, lockContainerState, quietContainers, setSilentAlarm } from './store/state.js';

export interface SilenceDeps {
  pool: Pool;
  metrics: MonitoringMetrics;
  outbox: Pick<Outbox, 'addMany'>;
  hot: HotStore;
  ports: MonitoringPorts;
  source: string;
  clock: Clock;
}

/** The shortest silence gap a profile may have (the catalogue's rule): containers quiet for less are not looked at. */
const SHORTEST_GAP_MS = 60_000;
const END_OF_TIME = new Date('9999-12-31T00:00:00Z');
const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

/**
 * One pass of the silence scanner (README "Monitoring": which silences are alarms is `domain/silence.ts`): for each
 * container whose last reading is older than its profile's gap by the runtime's clock, a `sensor_silent` alarm, once
 * per silence (its id is the container's and its last reading's). The last reading is checked against the stored
 * readings under the container's lock, as the checkpoint may lag the hot state by a few seconds. The tracker clears
 * the alarm when readings resume. Returns the alarms raised.
 */
export async function scanSilence(deps: SilenceDeps): Promise<number> {
  const now = deps.clock();
  let raised = 0;
  for (const candidate of await quietContainers(deps.pool, new Date(now.getTime() - SHORTEST_GAP_MS))) {
    const { countyId, containerId } = candidate;
    const profile = await deps.ports.profileOfContainer(deps.pool, countyId, containerId);
    const gapMs = limitsFor(profile).gapMs;
    const seen = latestOf(candidate.state);
    if (!seen || now.getTime() - seen.at <= gapMs) continue;
    const goods = await deps.ports.parcelsInContainer(deps.pool, countyId, containerId, now, now);
    const decision = silenceOf({ containerId, lastReadingAt: seen.at, gapMs, now: now.getTime(), goodsBound: goods.length > 0 });
    if (!decision.silent || !decision.alarm) continue;
    const raisedNow = await withTransaction(deps.pool, async (tx) => {
      const row = await lockContainerState(tx, countyId, containerId, now);
      const checkpoint = latestOf(row.state);
      if (row.silentAlarmId !== null || !checkpoint) return false;
      const later = (await deps.ports.readingsBetween(tx, countyId, containerId, new Date(checkpoint.at), END_OF_TIME))
        .map(sampleOf)
        .filter((s) => compareKeys(s, { at: checkpoint.at, sensorId: checkpoint.sensorId }) > 0);
      const last = later.reduce((max, s) => (s.at > max.at ? s : max), { at: checkpoint.at, sensorId: checkpoint.sensorId, temperatureC: checkpoint.temperatureC });
      if (now.getTime() - last.at <= gapMs) return false;
      const alarmId = silenceAlarmIdOf(countyId, containerId, last.at);
      const raisedAt = now.toISOString();
      const detail = `no reading for ${minutes(now.getTime() - last.at)} min (more than the ${minutes(gapMs)} min allowed); the last: ${last.temperatureC} °C at ${new Date(last.at).toISOString()} from ${last.sensorId}`;
      const alarm = {
        alarmId,
        countyId,
        containerId,
        kind: 'sensor_silent' as const,
        severity: decision.severity,
        excursionId: null,
        raisedAt,
        detail,
        parcelIds: goods,
        silentSince: new Date(last.at).toISOString(),
      };
      // Raised before (and cleared by hand since): the same silence is not raised again.
      if (!(await insertAlarm(tx, alarm))) return false;
      await setSilentAlarm(tx, countyId, containerId, alarmId, now);
      deps.metrics.countAlarm(tx, alarm.kind);
      const ctx = { countyId, containerId, source: deps.source, now: deps.clock };
      await deps.outbox.addMany(tx, [
        monitoringEvent(ctx, 'coldchain.alarm_raised', { alarmId, containerId, kind: alarm.kind, severity: alarm.severity, raisedAt, parcelIds: goods, detail }, raisedAt),
      ]);
      return true;
    });
    if (raisedNow) {
      // The hot copy does not know of the alarm: the next reading goes through Postgres and clears it.
      await deps.hot.drop(countyId, containerId);
      raised += 1;
    }
  }
  return raised;
}
