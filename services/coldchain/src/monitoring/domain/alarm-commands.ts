/**
 * What people do with alarms and excursions (issue #11: "acknowledge (who, when, comment), clear, and an audit trail
 * of each excursion's resolution"), decided against the record as it stands. An alarm has two independent marks, as
 * in ThingsBoard: acknowledged (someone took charge) and cleared (its cause is over — by the data, or by a person
 * with a comment). Its state for lists: `active` (neither), `acknowledged` (taken charge of, cause not over),
 * `cleared`. An alarm cleared before anyone saw it can still be acknowledged; neither mark is ever taken back.
 */
export type AlarmState = 'active' | 'acknowledged' | 'cleared';

export interface AlarmMarks {
  acknowledgedAt: string | null;
  clearedAt: string | null;
}

export function alarmState(alarm: AlarmMarks): AlarmState {
  if (alarm.clearedAt !== null) return 'cleared';
  return alarm.acknowledgedAt !== null ? 'acknowledged' : 'active';
}

export type Resolution = 'released' | 'downgraded' | 'discarded';

export interface Refusal {
  ok: false;
  code: 'ALARM_ALREADY_ACKNOWLEDGED' | 'ALARM_ALREADY_CLEARED' | 'EXCURSION_SUPERSEDED' | 'EXCURSION_ALREADY_RESOLVED';
  path: string;
  reason: string;
}

export type Decision = { ok: true } | Refusal;

export function decideAcknowledge(alarm: AlarmMarks & { alarmId: string }): Decision {
  if (alarm.acknowledgedAt !== null) {
    return { ok: false, code: 'ALARM_ALREADY_ACKNOWLEDGED', path: 'params.alarmId', reason: `alarm ${alarm.alarmId} was acknowledged at ${alarm.acknowledgedAt}` };
  }
  return { ok: true };
}

export function decideClear(alarm: AlarmMarks & { alarmId: string }): Decision {
  if (alarm.clearedAt !== null) {
    return { ok: false, code: 'ALARM_ALREADY_CLEARED', path: 'params.alarmId', reason: `alarm ${alarm.alarmId} was cleared at ${alarm.clearedAt}` };
  }
  return { ok: true };
}

export interface ExcursionForResolution {
  excursionId: string;
  supersededBy: string | null;
  resolution: Resolution | null;
}

/**
 * A quality manager's decision about the goods of an excursion: released, downgraded or discarded. It may be taken
 * while the excursion is still open (goods discarded on the spot) and changed later (downgraded, then discarded once
 * inspected); every decision stays in the audit trail. Deciding what is already decided changes nothing and is
 * refused, and so is a decision about an excursion a late reading replaced (the replacing one is named).
 */
export function decideResolution(excursion: ExcursionForResolution, resolution: Resolution): Decision {
  if (excursion.supersededBy !== null) {
    return {
      ok: false,
      code: 'EXCURSION_SUPERSEDED',
      path: 'params.excursionId',
      reason: `excursion ${excursion.excursionId} was replaced by ${excursion.supersededBy} when late readings moved it; resolve that one`,
    };
  }
  if (excursion.resolution === resolution) {
    return { ok: false, code: 'EXCURSION_ALREADY_RESOLVED', path: 'body.resolution', reason: `excursion ${excursion.excursionId} is ${resolution} already` };
  }
  return { ok: true };
}
