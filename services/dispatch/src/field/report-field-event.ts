import { createHash } from 'node:crypto';
import { buildEvent, topics, type NewEvent, type Principal } from '@county/contracts';
import { assertVehicle, type AppError, type Outbox, type Queryable } from '@county/platform';
import { fail } from '../errors.js';
import type { FieldCommand } from './domain/commands.js';
import { decide, type FieldEvent, type FieldRefusal } from './domain/decide.js';
import { applyDecision, findFieldEvent, insertFieldEvent, loadRoute } from './store.js';

export interface FieldDeps {
  outbox: Pick<Outbox, 'add'>;
  /** The events' source: the service. */
  source: string;
  now: () => Date;
}

/** One field event as a handheld reports it: the id it gave the event, and a digest of everything it sent. */
export interface FieldReport {
  routeId: string;
  clientEventId: string;
  command: FieldCommand;
  requestHash: string;
}

export interface FieldOutcome {
  /** The same event was reported before: this is the answer it got, and nothing changed. */
  replayed: boolean;
  status: number;
  body: FieldResponse;
}

export interface FieldResponse {
  eventId: string;
  routeId: string;
  kind: FieldCommand['kind'];
  routeStatus: string;
  occurredAt: string;
  recordedAt: string;
  /** The dispatch event written for it: published on `dispatch.events`, keyed by the route id. */
  event: { id: string; type: FieldEvent['type']; data: FieldEvent['data'] };
}

/**
 * Applies one field event in the caller's transaction: lock the route, answer a retry of the same event id with
 * the first answer, decide, then write the route's and parcels' new status, the dispatch event (outbox) and the
 * event's record together. A refusal throws: nothing is written, so a handheld may send it again once it can
 * apply (its departure uploaded, say).
 */
export async function reportFieldEvent(tx: Queryable, deps: FieldDeps, principal: Principal, report: FieldReport): Promise<FieldOutcome> {
  const route = await loadRoute(tx, principal.countyId, report.routeId, { forUpdate: true });
  if (!route) throw routeNotFound(report.routeId, principal.countyId);
  assertVehicle(principal, route.vehicleId);

  const previous = await findFieldEvent(tx, route.routeId, report.clientEventId);
  if (previous) {
    if (previous.requestHash !== report.requestHash) {
      throw fail('FIELD_EVENT_ID_REUSED', undefined, [
        { path: 'body.eventId', reason: `event ${report.clientEventId} of route ${route.routeId} was reported before with other content` },
      ]);
    }
    return { replayed: true, status: previous.status, body: previous.response as FieldResponse };
  }

  const now = deps.now();
  const decision = decide(route, report.command, now);
  if (!decision.ok) throw refusalError(decision);

  const event = decision.event;
  const envelope = {
    ...buildEvent(
      {
        type: event.type,
        countyId: route.countyId,
        subject: route.routeId,
        source: deps.source,
        data: event.data,
        occurredAt: new Date(report.command.occurredAt),
        correlationId: report.clientEventId,
      } as NewEvent<FieldEvent['type']>,
      deps.now,
    ),
    // The same field event always carries the same id, so even a second write could never be applied twice.
    id: eventIdOf(route.routeId, report.clientEventId),
  };
  const body: FieldResponse = {
    eventId: report.clientEventId,
    routeId: route.routeId,
    kind: report.command.kind,
    routeStatus: decision.route?.status ?? route.status,
    occurredAt: report.command.occurredAt,
    recordedAt: now.toISOString(),
    event: { id: envelope.id, type: event.type, data: event.data },
  };
  const status = 201;

  await applyDecision(tx, route.routeId, decision);
  await deps.outbox.add(tx, { topic: topics.dispatchEvents.name, key: route.routeId, event: envelope });
  await insertFieldEvent(tx, {
    routeId: route.routeId,
    clientEventId: report.clientEventId,
    countyId: route.countyId,
    kind: report.command.kind,
    log: decision.log,
    recordedAt: body.recordedAt,
    keyId: principal.keyId,
    role: principal.role,
    requestHash: report.requestHash,
    eventId: envelope.id,
    status,
    response: body,
  });
  return { replayed: false, status, body };
}

export function routeNotFound(routeId: string, countyId: string): AppError {
  return fail('ROUTE_NOT_FOUND', undefined, [{ path: 'params.routeId', reason: `no route ${routeId} in county ${countyId}` }]);
}

/** The domain names the command's fields; the client sent the route and stop in the path, the rest in the body. */
function refusalError(refusal: FieldRefusal): AppError {
  const where = (path: string) => (path === 'routeId' || path === 'sequence' ? `params.${path}` : `body.${path}`);
  const details = refusal.issues.map((issue) => ({ path: where(issue.path), reason: issue.reason }));
  return fail(refusal.code, details.length === 1 ? details[0]!.reason : undefined, details);
}

/** A name-based UUID (version 5 layout over SHA-1) of the route and the handheld's event id. */
function eventIdOf(routeId: string, clientEventId: string): string {
  const bytes = createHash('sha1').update(`dispatch.field\u0000${routeId}\u0000${clientEventId}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
