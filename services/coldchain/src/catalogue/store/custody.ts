import type { Queryable } from '@county/platform';
import type { Binding, CustodyFact, EndKind } from '../domain/custody.js';
import type { ColdParcel, ParcelFact, RouteLoad } from '../domain/events.js';

/** Route loads, cold-chain parcels and their custody facts (migration 0030). */

export async function saveRouteLoads(db: Queryable, countyId: string, loads: readonly RouteLoad[]): Promise<void> {
  if (loads.length === 0) return;
  await db.query(
    `INSERT INTO route_loads (route_id, parcel_id, county_id, vehicle_id, depot_station_id, direction)
     SELECT l.route_id, l.parcel_id, $1, l.vehicle_id, l.depot_station_id, l.direction
       FROM unnest($2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[]) AS l(route_id, parcel_id, vehicle_id, depot_station_id, direction)
     ON CONFLICT (route_id, parcel_id) DO NOTHING`,
    [
      countyId,
      loads.map((l) => l.routeId),
      loads.map((l) => l.parcelId),
      loads.map((l) => l.vehicleId),
      loads.map((l) => l.depotStationId),
      loads.map((l) => l.direction),
    ],
  );
}

export async function deleteRouteLoads(db: Queryable, countyId: string, routeId: string): Promise<void> {
  await db.query(`DELETE FROM route_loads WHERE county_id = $1 AND route_id = $2`, [countyId, routeId]);
}

export async function routeLoadsOf(db: Queryable, countyId: string, routeId: string): Promise<Map<string, RouteLoad>> {
  const { rows } = await db.query<{ parcel_id: string; vehicle_id: string; depot_station_id: string; direction: RouteLoad['direction'] }>(
    `SELECT parcel_id, vehicle_id, depot_station_id, direction FROM route_loads WHERE county_id = $1 AND route_id = $2`,
    [countyId, routeId],
  );
  return new Map(rows.map((r) => [r.parcel_id, { routeId, parcelId: r.parcel_id, vehicleId: r.vehicle_id, depotStationId: r.depot_station_id, direction: r.direction }]));
}

/** Records cold-chain parcels; what is known already is kept where the new event says nothing. */
export async function registerColdParcels(db: Queryable, countyId: string, parcels: readonly ColdParcel[]): Promise<void> {
  if (parcels.length === 0) return;
  await db.query(
    `INSERT INTO cold_parcels AS p (parcel_id, county_id, courier_id, direction, profile_id)
     SELECT c.parcel_id, $1, c.courier_id, c.direction, c.profile_id
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS c(parcel_id, courier_id, direction, profile_id)
     ON CONFLICT (parcel_id) DO UPDATE SET
       courier_id = COALESCE(EXCLUDED.courier_id, p.courier_id),
       direction = COALESCE(EXCLUDED.direction, p.direction),
       profile_id = COALESCE(EXCLUDED.profile_id, p.profile_id),
       updated_at = now()`,
    [countyId, parcels.map((p) => p.parcelId), parcels.map((p) => p.courierId), parcels.map((p) => p.direction), parcels.map((p) => p.profileId)],
  );
}

/** Which of these parcels are cold-chain parcels of the county. */
export async function coldParcelsAmong(db: Queryable, countyId: string, parcelIds: readonly string[]): Promise<Set<string>> {
  if (parcelIds.length === 0) return new Set();
  const { rows } = await db.query<{ parcel_id: string }>(`SELECT parcel_id FROM cold_parcels WHERE county_id = $1 AND parcel_id = ANY($2::uuid[])`, [
    countyId,
    [...new Set(parcelIds)],
  ]);
  return new Set(rows.map((r) => r.parcel_id));
}

/** Takes the parcels' rows for the transaction, in one order, so custody and compliance of a parcel take turns. */
export async function lockColdParcels(db: Queryable, parcelIds: readonly string[]): Promise<void> {
  if (parcelIds.length === 0) return;
  await db.query(`SELECT 1 FROM cold_parcels WHERE parcel_id = ANY($1::uuid[]) ORDER BY parcel_id FOR UPDATE`, [[...new Set(parcelIds)]]);
}

export async function insertFacts(db: Queryable, countyId: string, eventId: string, facts: readonly ParcelFact[]): Promise<void> {
  if (facts.length === 0) return;
  const place = (f: CustodyFact) => (f.kind === 'loaded' ? f.containerId : f.kind === 'at_station' ? f.stationId : f.how);
  await db.query(
    `INSERT INTO custody_facts (parcel_id, event_id, county_id, at, kind, place, collected)
     SELECT f.parcel_id, $1, $2, f.at, f.kind, f.place, f.collected
       FROM unnest($3::uuid[], $4::timestamptz[], $5::text[], $6::text[], $7::boolean[]) AS f(parcel_id, at, kind, place, collected)
     ON CONFLICT DO NOTHING`,
    [eventId, countyId, facts.map((f) => f.parcelId), facts.map((f) => f.fact.at), facts.map((f) => f.fact.kind), facts.map((f) => place(f.fact)), facts.map((f) => f.collected)],
  );
}

export interface StoredFact {
  fact: CustodyFact;
  collected: boolean;
}

export async function factsOf(db: Queryable, parcelIds: readonly string[]): Promise<Map<string, StoredFact[]>> {
  const { rows } = await db.query<{ parcel_id: string; at: Date; kind: CustodyFact['kind']; place: string; collected: boolean }>(
    `SELECT parcel_id, at, kind, place, collected FROM custody_facts WHERE parcel_id = ANY($1::uuid[]) ORDER BY parcel_id, at`,
    [[...new Set(parcelIds)]],
  );
  const byParcel = new Map<string, StoredFact[]>();
  for (const row of rows) {
    const at = row.at.toISOString();
    const fact: CustodyFact =
      row.kind === 'loaded'
        ? { kind: 'loaded', at, containerId: row.place }
        : row.kind === 'at_station'
          ? { kind: 'at_station', at, stationId: row.place }
          : { kind: 'ended', at, how: row.place as EndKind };
    const list = byParcel.get(row.parcel_id) ?? [];
    list.push({ fact, collected: row.collected });
    byParcel.set(row.parcel_id, list);
  }
  return byParcel;
}

/** Rewrites the bindings the events give the parcel; those bound by hand are left alone. */
export async function writeEventBindings(db: Queryable, countyId: string, parcelId: string, bindings: readonly Binding[], at: Date): Promise<void> {
  await db.query(
    `WITH fresh AS (
       SELECT * FROM unnest($3::text[], $4::timestamptz[], $5::timestamptz[]) AS n(container_id, from_at, to_at)
     ), gone AS (
       DELETE FROM bindings b
        WHERE b.parcel_id = $2 AND b.origin = 'events'
          AND NOT EXISTS (SELECT 1 FROM fresh n WHERE n.container_id = b.container_id AND n.from_at = b.from_at)
     )
     INSERT INTO bindings (county_id, parcel_id, container_id, from_at, to_at, origin, created_at)
     SELECT $1, $2, n.container_id, n.from_at, n.to_at, 'events', $6 FROM fresh n
     ON CONFLICT (parcel_id, container_id, from_at) WHERE origin = 'events' DO UPDATE SET to_at = EXCLUDED.to_at`,
    [countyId, parcelId, bindings.map((b) => b.containerId), bindings.map((b) => b.from), bindings.map((b) => b.to), at],
  );
}

export async function saveCustodyState(db: Queryable, parcelId: string, state: { ended: { at: string; how: EndKind } | null; collectedAt: string | null }): Promise<void> {
  await db.query(`UPDATE cold_parcels SET ended_at = $2, ended_how = $3, collected_at = $4, updated_at = now() WHERE parcel_id = $1`, [
    parcelId,
    state.ended?.at ?? null,
    state.ended?.how ?? null,
    state.collectedAt,
  ]);
}

export interface ColdParcelRow {
  parcelId: string;
  countyId: string;
  courierId: string | null;
  direction: string | null;
  profileId: string | null;
  collectedAt: string | null;
  endedAt: string | null;
  endedHow: string | null;
}

export async function findColdParcel(db: Queryable, countyId: string, parcelId: string): Promise<ColdParcelRow | undefined> {
  const { rows } = await db.query<{
    parcel_id: string;
    county_id: string;
    courier_id: string | null;
    direction: string | null;
    profile_id: string | null;
    collected_at: Date | null;
    ended_at: Date | null;
    ended_how: string | null;
  }>(`SELECT parcel_id, county_id, courier_id, direction, profile_id, collected_at, ended_at, ended_how FROM cold_parcels WHERE county_id = $1 AND parcel_id = $2`, [
    countyId,
    parcelId,
  ]);
  const row = rows[0];
  return (
    row && {
      parcelId: row.parcel_id,
      countyId: row.county_id,
      courierId: row.courier_id,
      direction: row.direction,
      profileId: row.profile_id,
      collectedAt: row.collected_at?.toISOString() ?? null,
      endedAt: row.ended_at?.toISOString() ?? null,
      endedHow: row.ended_how,
    }
  );
}

/** The county a cold-chain parcel belongs to, if coldchain knows it. */
export async function countyOfColdParcel(db: Queryable, parcelId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ county_id: string }>(`SELECT county_id FROM cold_parcels WHERE parcel_id = $1`, [parcelId]);
  return rows[0]?.county_id;
}
