import type { EventData, OutboxEntry } from '@county/contracts';
import type { Clock, Outbox, PoolClient } from '@county/platform';
import { advance, anchorOf, canonical, compareKeys, refold, sortBatch, type Excursion, type Folded, type Key, type Sample } from './domain/fold.js';
import type { Limits } from './domain/limits.js';
import { excursionSeverity, TOLERANCE_ALARM_SEVERITY, toleranceDetail } from './domain/severity.js';
import { monitoringEvent, type EventContext } from './events.js';
import type { MonitoringMetrics } from './metrics.js';
import type { HotState } from './hot.js';
import { excursionIdOf, toleranceAlarmIdOf } from './ids.js';
import { limitsFor, profileStamp } from './limits.js';
import type { MonitoredProfile, MonitoringPorts, ReadingPoint } from './ports.js';
import { acknowledgedPredecessorAlarm, alarmsOfExcursions, findAlarm, insertAlarm, markAcknowledged, markCleared, type AlarmRow } from './store/alarms.js';
import { excursionsAround, excursionsSince, keysOf, supersedeExcursion, upsertExcursion, type ExcursionRow } from './store/excursions.js';
import { latestOf, lockContainerState, saveContainerState } from './store/state.js';

export interface SettleDeps {
  outbox: Pick<Outbox, 'addMany'>;
  metrics: MonitoringMetrics;
  ports: MonitoringPorts;
  source: string;
  clock: Clock;
}

export interface SettleInput {
  countyId: string;
  containerId: string;
  profile: MonitoredProfile | undefined;
  /** The readings the ingest just stored (already in the readings table). */
  samples: readonly Sample[];
  /** Fold again from no later than here (recovery after a failed call). */
  refoldFrom?: Key | undefined;
}

/** Readings the fold has not reached are read up to here: the year 9999, past any gateway's clock. */
const END_OF_TIME = new Date('9999-12-31T00:00:00Z');

export const sampleOf = (r: ReadingPoint): Sample => ({ sensorId: r.sensorId, at: Date.parse(r.measuredAt), temperatureC: r.temperatureC });

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The way through Postgres (the truth), in the caller's transaction under the container's row lock: from the
 * checkpoint in container_state, fold every stored reading it has not folded — again from an anchor when some came
 * late — then write what changed against the excursions and alarms Postgres holds, each change with its event in the
 * outbox. Because it compares with what is stored and ids are deterministic, running it twice over the same readings
 * writes no second event: a restart, a flushed Redis or a retried call never doubles an alarm.
 * Returns the hot state to put in Redis.
 */
export async function settle(tx: PoolClient, deps: SettleDeps, input: SettleInput): Promise<Omit<HotState, 'token' | 'checkpointedAt'>> {
  const { countyId, containerId, profile } = input;
  const now = deps.clock();
  const limits = limitsFor(profile);
  const row = await lockContainerState(tx, countyId, containerId, now);
  const { late } = sortBatch(row.state, input.samples);
  const earliestLate = [late[0], input.refoldFrom].filter((k): k is Key => k !== undefined).sort(compareKeys)[0];

  let folded: Folded;
  let replaced: ExcursionRow[] = [];
  if (earliestLate || !row.state.last) {
    const from = earliestLate ?? canonical(input.samples)[0];
    if (!from) return hotOf(row.state, profile, row.openExcursionId, row.silentAlarmId);
    const around = await excursionsAround(tx, countyId, containerId, new Date(from.at));
    const anchor = anchorOf(from, around.map(keysOf));
    const readings = await deps.ports.readingsBetween(tx, countyId, containerId, new Date(anchor.at - limits.gapMs), END_OF_TIME);
    folded = refold(anchor, readings.map(sampleOf), limits);
    replaced = (await excursionsSince(tx, countyId, containerId, new Date(anchor.at))).filter((e) => compareKeys(keysOf(e).startKey, anchor) >= 0);
  } else {
    const last = row.state.last;
    const readings = await deps.ports.readingsBetween(tx, countyId, containerId, new Date(last.at), END_OF_TIME);
    folded = advance(row.state, limits, canonical(readings.map(sampleOf)).filter((s) => compareKeys(s, last) > 0));
  }

  const ctx: EventContext = { countyId, containerId, source: deps.source, now: deps.clock };
  const events: OutboxEntry[] = [];
  await writeExcursions(tx, deps, ctx, { profile, limits, folded, replaced, events });

  let silentAlarmId = row.silentAlarmId;
  const latest = latestOf(folded.state);
  if (silentAlarmId && latest) {
    const alarm = await findAlarm(tx, countyId, silentAlarmId, { forUpdate: true });
    if (!alarm || alarm.clearedAt !== null) silentAlarmId = null;
    else if (alarm.silentSince === null || latest.at > Date.parse(alarm.silentSince)) {
      const comment = `readings resumed: latest measured at ${iso(latest.at)} by ${latest.sensorId}`;
      await markCleared(tx, alarm, null, now.toISOString(), comment);
      events.push(monitoringEvent(ctx, 'coldchain.alarm_cleared', { alarmId: alarm.alarmId, containerId, at: now.toISOString(), comment }, now.toISOString()));
      silentAlarmId = null;
    }
  }

  const openExcursionId = folded.state.open ? excursionIdOf(countyId, containerId, folded.state.open.startedAt) : null;
  await saveContainerState(tx, { countyId, containerId, profileId: profile?.id ?? null, state: folded.state, openExcursionId, silentAlarmId }, now);
  await deps.outbox.addMany(tx, events);
  return hotOf(folded.state, profile, openExcursionId, silentAlarmId);
}

function hotOf(state: Folded['state'], profile: MonitoredProfile | undefined, openExcursionId: string | null, silentAlarmId: string | null) {
  return { profileStamp: profileStamp(profile), state, openExcursionId, silentAlarmId };
}

interface Written {
  profile: MonitoredProfile | undefined;
  limits: Limits;
  folded: Folded;
  /** Stored excursions from the anchor on: those the fold no longer has are superseded. */
  replaced: ExcursionRow[];
  events: OutboxEntry[];
}

/** Each excursion of the fold against its stored row and its alarm: the rows written, the events of what changed. */
async function writeExcursions(tx: PoolClient, deps: SettleDeps, ctx: EventContext, { profile, limits, folded, replaced, events }: Written): Promise<void> {
  const { countyId, containerId } = ctx;
  const now = deps.clock();
  const ids = folded.excursions.map((e) => excursionIdOf(countyId, containerId, e.startedAt));
  const since = new Date(Math.min(now.getTime(), ...folded.excursions.map((e) => e.startedAt)));
  const stored = new Map((await excursionsSince(tx, countyId, containerId, since)).map((e) => [e.excursionId, e]));
  const gone = replaced.filter((e) => !ids.includes(e.excursionId));
  const alarms = new Map((await alarmsOfExcursions(tx, [...ids, ...gone.map((e) => e.excursionId)])).map((a) => [a.alarmId, a]));

  for (const [i, excursion] of folded.excursions.entries()) {
    const excursionId = ids[i]!;
    const before = stored.get(excursionId);
    const parcelIds = before?.parcelIds ?? (await deps.ports.parcelsInContainer(tx, countyId, containerId, new Date(excursion.startedAt), new Date(excursion.startedAt)));
    await upsertExcursion(tx, rowOf(ctx, excursionId, profile, excursion, parcelIds), now);
    if (!before) {
      events.push(
        monitoringEvent(
          ctx,
          'coldchain.excursion_opened',
          { excursionId, containerId, profileId: profile?.id ?? 'none', startedAt: iso(excursion.startedAt), side: excursion.side, temperatureC: excursion.startC, parcelIds },
          iso(excursion.startedAt),
        ),
      );
    }
    const alarm = await writeToleranceAlarm(tx, deps, ctx, { excursionId, excursion, limits, alarm: alarms.get(toleranceAlarmIdOf(excursionId)), events });
    if (excursion.endedAt !== null && (!before || before.closedAt === null)) {
      events.push(
        monitoringEvent(
          ctx,
          'coldchain.excursion_closed',
          {
            excursionId,
            containerId,
            startedAt: iso(excursion.startedAt),
            endedAt: iso(excursion.endedAt),
            minutesOutOfRange: minutes(excursion.outMs),
            minC: excursion.minC,
            maxC: excursion.maxC,
          },
          iso(excursion.endedAt),
        ),
      );
    }
    if (alarm && alarm.clearedAt === null && excursion.endedAt !== null) {
      await clearByData(tx, ctx, alarm, iso(excursion.endedAt), `back in range since ${iso(excursion.endedAt)}`, events);
    }
  }

  // Late readings moved an excursion's start (or merged it into another): the stored one is kept, superseded by the
  // fold's excursion that now holds its opening reading (`coldchain.excursion_superseded`), and its alarms are
  // cleared — the replacement carries them, with the acknowledgement someone gave the old one.
  for (const old of gone) {
    if (old.supersededBy !== null) continue;
    const start = keysOf(old).startKey;
    const holder = folded.excursions.findIndex((e) => compareKeys(e.startKey, start) <= 0 && (e.closeKey === null || compareKeys(start, e.closeKey) <= 0));
    const by = holder >= 0 ? ids[holder]! : null;
    const at = now.toISOString();
    const reason = by ? `late readings moved its start: replaced by excursion ${by}` : 'late readings show no excursion there';
    await supersedeExcursion(tx, old.excursionId, by ?? 'none', now);
    events.push(
      monitoringEvent(ctx, 'coldchain.excursion_superseded', { excursionId: old.excursionId, containerId, startedAt: old.startedAt, supersededBy: by, at, reason }, at),
    );
    const alarm = alarms.get(toleranceAlarmIdOf(old.excursionId));
    if (alarm && alarm.clearedAt === null) {
      await clearByData(tx, ctx, alarm, at, `excursion ${old.excursionId} was replaced by ${by ?? 'none'}: late readings moved its start`, events);
    }
    if (by) await carryAcknowledgement(tx, deps, ctx, by, events);
  }
}

/**
 * The acknowledgement of a replaced excursion's alarm, carried over to the alarm of the excursion that replaced it
 * (same person, the carry-over's time, the comment saying where it came from): someone who took charge of the
 * excursion has not stopped being in charge because a gateway uploaded late. Nothing when the replacement has no
 * alarm yet (it is carried when one is raised) or is acknowledged already.
 */
async function carryAcknowledgement(tx: PoolClient, deps: SettleDeps, ctx: EventContext, excursionId: string, events: OutboxEntry[]): Promise<void> {
  const alarm = await findAlarm(tx, ctx.countyId, toleranceAlarmIdOf(excursionId), { forUpdate: true });
  if (!alarm || alarm.acknowledgedAt !== null) return;
  const from = await acknowledgedPredecessorAlarm(tx, excursionId);
  if (!from?.acknowledgedBy) return;
  const at = deps.clock().toISOString();
  const comment = `carried over from alarm ${from.alarmId} of excursion ${from.excursionId}, replaced when late readings moved its start${
    from.acknowledgeComment ? `: ${from.acknowledgeComment}` : ''
  }`.slice(0, 1_000);
  await markAcknowledged(tx, alarm, from.acknowledgedBy, at, comment);
  // The role was a key's role when it was stored.
  const by = from.acknowledgedBy as EventData<'coldchain.alarm_acknowledged'>['by'];
  events.push(monitoringEvent(ctx, 'coldchain.alarm_acknowledged', { alarmId: alarm.alarmId, containerId: ctx.containerId, by, at, comment }, at));
}

interface AlarmInput {
  excursionId: string;
  excursion: Excursion;
  limits: Limits;
  alarm: AlarmRow | undefined;
  events: OutboxEntry[];
}

/**
 * The tolerance alarm of one excursion, raised once when it exceeded (the caller clears it by the data when the
 * excursion closed): the alarm as it stands, if any.
 */
async function writeToleranceAlarm(tx: PoolClient, deps: SettleDeps, ctx: EventContext, { excursionId, excursion, limits, alarm, events }: AlarmInput): Promise<AlarmRow | undefined> {
  const { countyId, containerId } = ctx;
  const alarmId = toleranceAlarmIdOf(excursionId);
  if (excursion.exceededAt === null) {
    // Late readings showed the excursion within its tolerance after all.
    if (alarm && alarm.clearedAt === null) {
      await clearByData(tx, ctx, alarm, deps.clock().toISOString(), 'late readings: the excursion stayed within its tolerance', events);
    }
    return undefined;
  }
  let current = alarm;
  if (!current) {
    const raisedAt = iso(excursion.exceededAt);
    const parcelIds = await deps.ports.parcelsInContainer(tx, countyId, containerId, new Date(excursion.startedAt), new Date(excursion.exceededAt));
    const raised = {
      alarmId,
      countyId,
      containerId,
      kind: 'tolerance_exceeded' as const,
      severity: TOLERANCE_ALARM_SEVERITY,
      excursionId,
      raisedAt,
      detail: toleranceDetail(excursion, limits),
      parcelIds,
      silentSince: null,
    };
    if (await insertAlarm(tx, raised)) {
      deps.metrics.countAlarm(tx, raised.kind);
      events.push(
        monitoringEvent(
          ctx,
          'coldchain.alarm_raised',
          { alarmId, containerId, kind: raised.kind, severity: raised.severity, raisedAt, excursionId, parcelIds, detail: raised.detail },
          raisedAt,
        ),
      );
      current = { ...raised, acknowledgedAt: null, acknowledgedBy: null, acknowledgeComment: null, clearedAt: null, clearedBy: null, clearComment: null };
      // The replacement of an excursion someone acknowledged, exceeding only now: it inherits the acknowledgement.
      await carryAcknowledgement(tx, deps, ctx, excursionId, events);
    }
  }
  return current;
}

async function clearByData(tx: PoolClient, ctx: EventContext, alarm: AlarmRow, at: string, comment: string, events: OutboxEntry[]): Promise<void> {
  await markCleared(tx, alarm, null, at, comment);
  events.push(monitoringEvent(ctx, 'coldchain.alarm_cleared', { alarmId: alarm.alarmId, containerId: ctx.containerId, at, comment }, at));
}

const minutes = (ms: number) => Math.round(ms / 600) / 100;

function rowOf(ctx: EventContext, excursionId: string, profile: MonitoredProfile | undefined, e: Excursion, parcelIds: string[]) {
  return {
    excursionId,
    countyId: ctx.countyId,
    containerId: ctx.containerId,
    profileId: profile?.id ?? 'none',
    startedAt: iso(e.startedAt),
    startSensorId: e.startKey.sensorId,
    side: e.side,
    endedAt: e.endedAt === null ? null : iso(e.endedAt),
    closedAt: e.closeKey ? iso(e.closeKey.at) : null,
    closeSensorId: e.closeKey?.sensorId ?? null,
    minutesOutOfRange: minutes(e.outMs),
    minC: e.minC,
    maxC: e.maxC,
    severity: excursionSeverity(e),
    hardLimitCrossed: e.hardLimitCrossed,
    exceededAt: e.exceededAt === null ? null : iso(e.exceededAt),
    exceededBy: e.exceededBy,
    parcelIds,
  };
}
