import type { Actor, Principal } from '@county/contracts';
import type { Clock, Outbox, PoolClient } from '@county/platform';
import { fail } from '../errors.js';
import { alarmNotFound, excursionNotFound } from './not-found.js';
import { decideAcknowledge, decideClear, decideResolution, type Refusal, type Resolution } from './domain/alarm-commands.js';
import { maySeeContainer } from './access.js';
import { monitoringEvent } from './events.js';
import { auditOf, findAlarm, listAlarms, markAcknowledged, markCleared } from './store/alarms.js';
import { addResolution, findExcursion, resolutionsOf } from './store/excursions.js';
import { lockContainerState, setSilentAlarm } from './store/state.js';
import { alarmView, excursionView, type AlarmView, type ExcursionView } from './views.js';

export interface ActionDeps {
  outbox: Pick<Outbox, 'addMany'>;
  source: string;
  clock: Clock;
}

const refused = (refusal: Refusal) => fail(refusal.code, refusal.reason, [{ path: refusal.path, reason: refusal.reason }]);
/** Who acts, as the contracts' actor; the routes let only the center's staff act (the bureau never does). */
function actorOf(principal: Principal): Actor {
  if (principal.role === 'bureau') throw fail('FORBIDDEN', 'the bureau reads metrics only');
  return { keyId: principal.keyId, role: principal.role };
}

async function lockedAlarm(tx: PoolClient, principal: Principal, alarmId: string) {
  const alarm = await findAlarm(tx, principal.countyId, alarmId, { forUpdate: true });
  if (!alarm || !maySeeContainer(principal, alarm.countyId, alarm.containerId)) throw alarmNotFound(principal, alarmId);
  return alarm;
}

/** Someone takes charge of an alarm (who, when by the runtime's clock, why): `coldchain.alarm_acknowledged`. */
export async function acknowledgeAlarm(tx: PoolClient, deps: ActionDeps, principal: Principal, alarmId: string, comment: string | undefined): Promise<AlarmView> {
  const alarm = await lockedAlarm(tx, principal, alarmId);
  const decision = decideAcknowledge(alarm);
  if (!decision.ok) throw refused(decision);
  const at = deps.clock().toISOString();
  const by = actorOf(principal);
  await markAcknowledged(tx, alarm, by, at, comment ?? null);
  const ctx = { countyId: alarm.countyId, containerId: alarm.containerId, source: deps.source, now: deps.clock };
  await deps.outbox.addMany(tx, [
    monitoringEvent(ctx, 'coldchain.alarm_acknowledged', { alarmId, containerId: alarm.containerId, by, at, ...(comment ? { comment } : {}) }, at),
  ]);
  const after = await findAlarm(tx, principal.countyId, alarmId);
  return alarmView(after!, await auditOf(tx, alarmId));
}

/**
 * Clears an alarm by hand, with the reason (a sensor replaced, a false alarm): `coldchain.alarm_cleared` with who.
 * It stays cleared: the data never raises the same alarm again (its id is taken). A silence alarm cleared by hand
 * no longer stands for its container (a hot copy still naming it sends the next reading through Postgres, which
 * forgets it).
 */
export async function clearAlarm(tx: PoolClient, deps: ActionDeps, principal: Principal, alarmId: string, comment: string): Promise<AlarmView> {
  const alarm = await lockedAlarm(tx, principal, alarmId);
  const decision = decideClear(alarm);
  if (!decision.ok) throw refused(decision);
  const at = deps.clock().toISOString();
  const by = actorOf(principal);
  if (alarm.kind === 'sensor_silent') {
    const state = await lockContainerState(tx, alarm.countyId, alarm.containerId, deps.clock());
    if (state.silentAlarmId === alarmId) await setSilentAlarm(tx, alarm.countyId, alarm.containerId, null, deps.clock());
  }
  await markCleared(tx, alarm, by, at, comment);
  const ctx = { countyId: alarm.countyId, containerId: alarm.containerId, source: deps.source, now: deps.clock };
  await deps.outbox.addMany(tx, [monitoringEvent(ctx, 'coldchain.alarm_cleared', { alarmId, containerId: alarm.containerId, at, by, comment }, at)]);
  const after = await findAlarm(tx, principal.countyId, alarmId);
  return alarmView(after!, await auditOf(tx, alarmId));
}


/** A quality manager's decision about an excursion's goods, kept in its audit trail: `coldchain.excursion_resolved`. */
export async function resolveExcursion(
  tx: PoolClient,
  deps: ActionDeps,
  principal: Principal,
  excursionId: string,
  resolution: Resolution,
  comment: string | undefined,
): Promise<ExcursionView> {
  const excursion = await findExcursion(tx, principal.countyId, excursionId, { forUpdate: true });
  if (!excursion || !maySeeContainer(principal, excursion.countyId, excursion.containerId)) throw excursionNotFound(principal, excursionId);
  const decision = decideResolution(excursion, resolution);
  if (!decision.ok) throw refused(decision);
  const at = deps.clock().toISOString();
  const by = actorOf(principal);
  await addResolution(tx, excursion.countyId, excursionId, { resolution, by, at, comment: comment ?? null });
  const ctx = { countyId: excursion.countyId, containerId: excursion.containerId, source: deps.source, now: deps.clock };
  await deps.outbox.addMany(tx, [
    monitoringEvent(ctx, 'coldchain.excursion_resolved', { excursionId, containerId: excursion.containerId, resolution, by, at, ...(comment ? { comment } : {}) }, at),
  ]);
  const after = await findExcursion(tx, principal.countyId, excursionId);
  const alarms = await listAlarms(tx, principal.countyId, { excursionId, limit: 100 });
  return excursionView(after!, { resolutions: await resolutionsOf(tx, excursionId), alarms: alarms.map((a) => alarmView(a)) });
}
