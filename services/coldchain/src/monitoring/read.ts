import type { Principal } from '@county/contracts';
import type { Queryable } from '@county/platform';
import { fail } from '../errors.js';
import { alarmNotFound, excursionNotFound } from './not-found.js';
import type { AlarmState } from './domain/alarm-commands.js';
import type { Severity } from './domain/severity.js';
import { maySeeContainer, visibleContainers } from './access.js';
import { auditOf, findAlarm, listAlarms, type AlarmKind } from './store/alarms.js';
import { findExcursion, listExcursions, resolutionsOf } from './store/excursions.js';
import { alarmView, cursorOf, excursionView, parseCursor, type AlarmView, type ExcursionView } from './views.js';

export interface AlarmQuery {
  state?: AlarmState | undefined;
  kind?: AlarmKind | undefined;
  severity?: Severity | undefined;
  containerId?: string[] | undefined;
  excursionId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const badCursor = () => fail('VALIDATION_FAILED', undefined, [{ path: 'querystring.cursor', reason: 'not a cursor this list gave' }]);

/** The county's alarms a key may see, newest first, a page at a time. */
export async function readAlarms(db: Queryable, principal: Principal, query: AlarmQuery): Promise<{ alarms: AlarmView[]; next: string | null }> {
  const after = query.cursor ? parseCursor(query.cursor) : undefined;
  if (query.cursor && !after) throw badCursor();
  const rows = await listAlarms(db, principal.countyId, {
    state: query.state,
    kind: query.kind,
    severity: query.severity,
    containerIds: visibleContainers(principal, query.containerId),
    excursionId: query.excursionId,
    from: query.from,
    to: query.to,
    limit: query.limit + 1,
    after: after && { raisedAt: after[0], alarmId: after[1] },
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { alarms: page.map((row) => alarmView(row)), next: rows.length > query.limit && last ? cursorOf([last.raisedAt, last.alarmId]) : null };
}

export async function readAlarm(db: Queryable, principal: Principal, alarmId: string): Promise<AlarmView> {
  const row = await findAlarm(db, principal.countyId, alarmId);
  if (!row || !maySeeContainer(principal, row.countyId, row.containerId)) throw alarmNotFound(principal, alarmId);
  return alarmView(row, await auditOf(db, alarmId));
}

export interface ExcursionQuery {
  containerId?: string[] | undefined;
  state?: 'open' | 'closed' | undefined;
  from?: string | undefined;
  to?: string | undefined;
  includeSuperseded?: boolean | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** The county's excursions a key may see overlapping [from, to], newest first. */
export async function readExcursions(db: Queryable, principal: Principal, query: ExcursionQuery): Promise<{ excursions: ExcursionView[]; next: string | null }> {
  const after = query.cursor ? parseCursor(query.cursor) : undefined;
  if (query.cursor && !after) throw badCursor();
  const rows = await listExcursions(db, principal.countyId, {
    containerIds: visibleContainers(principal, query.containerId),
    state: query.state,
    from: query.from,
    to: query.to,
    includeSuperseded: query.includeSuperseded,
    limit: query.limit + 1,
    after: after && { startedAt: after[0], excursionId: after[1] },
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { excursions: page.map((row) => excursionView(row)), next: rows.length > query.limit && last ? cursorOf([last.startedAt, last.excursionId]) : null };
}

/** One excursion with its alarms and the audit trail of its resolution. */
export async function readExcursion(db: Queryable, principal: Principal, excursionId: string): Promise<ExcursionView> {
  const row = await findExcursion(db, principal.countyId, excursionId);
  if (!row || !maySeeContainer(principal, row.countyId, row.containerId)) throw excursionNotFound(principal, excursionId);
  const alarms = await listAlarms(db, principal.countyId, { excursionId, limit: 100 });
  return excursionView(row, { resolutions: await resolutionsOf(db, excursionId), alarms: alarms.map((a) => alarmView(a)) });
}
