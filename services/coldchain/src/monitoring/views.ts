import { alarmState, type AlarmState } from './domain/alarm-commands.js';
import type { AlarmRow, AuditEntry } from './store/alarms.js';
import type { ExcursionRow, ResolutionEntry } from './store/excursions.js';

/** What the REST routes answer for an alarm and an excursion (the schemas are in http.ts). */
export interface AlarmView {
  alarmId: string;
  containerId: string;
  kind: AlarmRow['kind'];
  severity: AlarmRow['severity'];
  state: AlarmState;
  excursionId: string | null;
  raisedAt: string;
  detail: string;
  parcelIds: string[];
  silentSince: string | null;
  acknowledged: { at: string; by: { keyId: string; role: string }; comment: string | null } | null;
  /** `by` null: cleared by the data (readings back in range, the sensor heard again). */
  cleared: { at: string; by: { keyId: string; role: string } | null; comment: string | null } | null;
  audit?: AuditEntry[];
}

export function alarmView(row: AlarmRow, audit?: AuditEntry[]): AlarmView {
  return {
    alarmId: row.alarmId,
    containerId: row.containerId,
    kind: row.kind,
    severity: row.severity,
    state: alarmState(row),
    excursionId: row.excursionId,
    raisedAt: row.raisedAt,
    detail: row.detail,
    parcelIds: row.parcelIds,
    silentSince: row.silentSince,
    acknowledged: row.acknowledgedAt && row.acknowledgedBy ? { at: row.acknowledgedAt, by: row.acknowledgedBy, comment: row.acknowledgeComment } : null,
    cleared: row.clearedAt ? { at: row.clearedAt, by: row.clearedBy, comment: row.clearComment } : null,
    ...(audit ? { audit } : {}),
  };
}

export interface ExcursionView {
  excursionId: string;
  containerId: string;
  profileId: string;
  state: 'open' | 'closed' | 'superseded';
  startedAt: string;
  endedAt: string | null;
  side: 'above' | 'below';
  minutesOutOfRange: number;
  minC: number;
  maxC: number;
  severity: ExcursionRow['severity'];
  exceeded: { at: string; by: 'tolerance' | 'hard_limit' } | null;
  hardLimitCrossed: boolean;
  parcelIds: string[];
  supersededBy: string | null;
  resolution: ExcursionRow['resolution'];
  resolutions?: ResolutionEntry[];
  alarms?: AlarmView[];
}

export function excursionView(row: ExcursionRow, more: { resolutions?: ResolutionEntry[]; alarms?: AlarmView[] } = {}): ExcursionView {
  return {
    excursionId: row.excursionId,
    containerId: row.containerId,
    profileId: row.profileId,
    state: row.supersededBy ? 'superseded' : row.closedAt ? 'closed' : 'open',
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    side: row.side,
    minutesOutOfRange: row.minutesOutOfRange,
    minC: row.minC,
    maxC: row.maxC,
    severity: row.severity,
    exceeded: row.exceededAt && row.exceededBy ? { at: row.exceededAt, by: row.exceededBy } : null,
    hardLimitCrossed: row.hardLimitCrossed,
    parcelIds: row.parcelIds,
    supersededBy: row.supersededBy,
    resolution: row.resolution,
    ...more,
  };
}

/** An opaque cursor for "the next page": the last item's sort key. */
export const cursorOf = (parts: [string, string]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

export function parseCursor(cursor: string): [string, string] | undefined {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === 2 && parts.every((p) => typeof p === 'string')) return parts as [string, string];
  } catch {
    // not ours: the caller answers 400
  }
  return undefined;
}
