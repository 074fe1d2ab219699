import type { Queryable } from '@county/platform';
import type { FieldCommandKind } from './domain/commands.js';
import type { FieldDecision } from './domain/decide.js';
import type { FieldLogEntry, FieldParcel, FieldRoute, RouteConfirmed, RouteStatus, StopExceptionKind } from './domain/route.js';

/*
 * The field's SQL. `routes` and `route_parcels` (migration 0002) belong to the plans feature, which writes them at
 * confirm; field events read a route and move its status and its parcels' here, under the route's row lock.
 * `field_events` (migration 0030) is the field's own.
 */

interface RouteRow {
  route_id: string;
  county_id: string;
  vehicle_id: string;
  status: RouteStatus;
  data: RouteConfirmed;
  departed_at: Date | null;
  returned_at: Date | null;
  cancelled_at: Date | null;
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

/**
 * A route of the county with its parcels and field log, or undefined. `forUpdate` locks the route's row, so the
 * field events of one route are decided one after another (and their outbox rows keep that order).
 */
export async function loadRoute(db: Queryable, countyId: string, routeId: string, { forUpdate = false } = {}): Promise<FieldRoute | undefined> {
  const { rows } = await db.query<RouteRow>(
    `SELECT route_id, county_id, vehicle_id, status, data, departed_at, returned_at, cancelled_at
       FROM routes WHERE county_id = $1 AND route_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [countyId, routeId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const parcels = await db.query<{ parcel_id: string; direction: FieldParcel['direction']; stop_sequence: number; compartment: FieldParcel['compartment']; status: FieldParcel['status'] }>(
    'SELECT parcel_id, direction, stop_sequence, compartment, status FROM route_parcels WHERE route_id = $1',
    [routeId],
  );
  const log = await db.query<{ client_event_id: string; kind: FieldLogEntry['kind']; stop_sequence: number | null; exception_kind: StopExceptionKind | null; occurred_at: Date; parcel_ids: string[] }>(
    `SELECT client_event_id, kind, stop_sequence, exception_kind, occurred_at, parcel_ids
       FROM field_events WHERE route_id = $1 ORDER BY occurred_at, recorded_at`,
    [routeId],
  );
  return {
    routeId: row.route_id,
    countyId: row.county_id,
    vehicleId: row.vehicle_id,
    status: row.status,
    departedAt: iso(row.departed_at),
    returnedAt: iso(row.returned_at),
    cancelledAt: iso(row.cancelled_at),
    data: row.data,
    parcels: parcels.rows.map((p) => ({ parcelId: p.parcel_id, direction: p.direction, stopSequence: p.stop_sequence, compartment: p.compartment, status: p.status })),
    log: log.rows.map((e) => ({
      clientEventId: e.client_event_id,
      kind: e.kind,
      sequence: e.stop_sequence,
      exceptionKind: e.exception_kind,
      occurredAt: e.occurred_at.toISOString(),
      parcelIds: e.parcel_ids,
    })),
  };
}

export interface StoredFieldEvent {
  requestHash: string;
  status: number;
  response: unknown;
}

/** The event a handheld reported under this id before, if any. */
export async function findFieldEvent(db: Queryable, routeId: string, clientEventId: string): Promise<StoredFieldEvent | undefined> {
  const { rows } = await db.query<{ request_hash: string; response_status: number; response: unknown }>(
    'SELECT request_hash, response_status, response FROM field_events WHERE route_id = $1 AND client_event_id = $2',
    [routeId, clientEventId],
  );
  const row = rows[0];
  return row && { requestHash: row.request_hash, status: row.response_status, response: row.response };
}

/** The decision's changes to the route and its parcels. */
export async function applyDecision(tx: Queryable, routeId: string, decision: FieldDecision): Promise<void> {
  if (decision.route) {
    const column = { departed: 'departed_at', returned: 'returned_at', cancelled: 'cancelled_at', confirmed: undefined }[decision.route.status];
    if (column === undefined) throw new Error('a field event never confirms a route');
    await tx.query(`UPDATE routes SET status = $2, ${column} = $3 WHERE route_id = $1`, [routeId, decision.route.status, decision.route.at]);
  }
  if (decision.parcels.length > 0) {
    await tx.query(
      `UPDATE route_parcels rp SET status = c.status
         FROM unnest($2::uuid[], $3::text[]) AS c (parcel_id, status)
        WHERE rp.route_id = $1 AND rp.parcel_id = c.parcel_id`,
      [routeId, decision.parcels.map((p) => p.parcelId), decision.parcels.map((p) => p.status)],
    );
  }
}

export interface NewFieldEvent {
  routeId: string;
  clientEventId: string;
  countyId: string;
  kind: FieldCommandKind;
  log: FieldDecision['log'];
  recordedAt: string;
  keyId: string;
  role: string;
  requestHash: string;
  eventId: string;
  status: number;
  response: unknown;
}

export async function insertFieldEvent(tx: Queryable, event: NewFieldEvent): Promise<void> {
  await tx.query(
    `INSERT INTO field_events (route_id, client_event_id, county_id, kind, stop_sequence, exception_kind, occurred_at, recorded_at,
                               key_id, role, request_hash, parcel_ids, event_id, response_status, response)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      event.routeId,
      event.clientEventId,
      event.countyId,
      event.kind,
      event.log.sequence,
      event.log.exceptionKind,
      event.log.occurredAt,
      event.recordedAt,
      event.keyId,
      event.role,
      event.requestHash,
      event.log.parcelIds,
      event.eventId,
      event.status,
      JSON.stringify(event.response),
    ],
  );
}

export interface RouteSummary {
  routeId: string;
  date: string;
  waveId: string;
  vehicleId: string;
  tier: 'direct' | 'trunk' | 'village';
  status: RouteStatus;
  plannedDeparture: string;
  plannedReturn: string;
  departedAt: string | null;
  returnedAt: string | null;
  cancelledAt: string | null;
  stops: number;
  deliveries: number;
  pickups: number;
}

export interface RouteFilter {
  date?: string;
  vehicleIds?: readonly string[];
  statuses?: readonly RouteStatus[];
}

/** The county's routes that match, by planned departure; at most `limit`. */
export async function listRoutes(db: Queryable, countyId: string, filter: RouteFilter, limit: number): Promise<RouteSummary[]> {
  const { rows } = await db.query<{
    route_id: string;
    date: string;
    wave_id: string;
    vehicle_id: string;
    tier: RouteSummary['tier'];
    status: RouteStatus;
    planned_departure: string;
    planned_return: string;
    departed_at: Date | null;
    returned_at: Date | null;
    cancelled_at: Date | null;
    stops: number;
    deliveries: number;
    pickups: number;
  }>(
    `SELECT r.route_id, to_char(r.date, 'YYYY-MM-DD') AS date, r.wave_id, r.vehicle_id, r.tier, r.status,
            r.data->>'plannedDeparture' AS planned_departure, r.data->>'plannedReturn' AS planned_return,
            r.departed_at, r.returned_at, r.cancelled_at,
            jsonb_array_length(r.data->'stops') AS stops,
            (SELECT count(*)::int FROM route_parcels p WHERE p.route_id = r.route_id AND p.direction = 'downstream') AS deliveries,
            (SELECT count(*)::int FROM route_parcels p WHERE p.route_id = r.route_id AND p.direction = 'upstream') AS pickups
       FROM routes r
      WHERE r.county_id = $1
        AND ($2::date IS NULL OR r.date = $2::date)
        AND ($3::text[] IS NULL OR r.vehicle_id = ANY ($3::text[]))
        AND ($4::text[] IS NULL OR r.status = ANY ($4::text[]))
      ORDER BY r.data->>'plannedDeparture', r.route_id
      LIMIT $5`,
    [countyId, filter.date ?? null, filter.vehicleIds ?? null, filter.statuses ?? null, limit],
  );
  return rows.map((r) => ({
    routeId: r.route_id,
    date: r.date,
    waveId: r.wave_id,
    vehicleId: r.vehicle_id,
    tier: r.tier,
    status: r.status,
    plannedDeparture: r.planned_departure,
    plannedReturn: r.planned_return,
    departedAt: iso(r.departed_at),
    returnedAt: iso(r.returned_at),
    cancelledAt: iso(r.cancelled_at),
    stops: r.stops,
    deliveries: r.deliveries,
    pickups: r.pickups,
  }));
}
