import type { County, Courier, Station, Vehicle } from '@county/contracts';
import type { Queryable } from '@county/platform';
import type { KeptRow } from './domain/masterdata.js';
import type { MaskedRecipient, ParcelChange } from './domain/parcel-fold.js';
import type { WaitingParcel } from './domain/pool.js';

/** The read model's SQL (migration 0010): master data records and parcels. */

export async function upsertMasterData(db: Queryable, row: KeptRow): Promise<void> {
  await db.query(
    `INSERT INTO masterdata (county_id, entity, id, record, active) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (county_id, entity, id) DO UPDATE SET record = EXCLUDED.record, active = EXCLUDED.active`,
    [row.countyId, row.entity, row.id, JSON.stringify(row.record), row.active],
  );
}

/**
 * Writes each change in one statement, whatever their number: what a changed parcel's latest event says wins,
 * size, profile and recipient only from the events that carry them, and the clock's start is the earliest seen.
 */
export async function applyParcelChanges(db: Queryable, changes: readonly ParcelChange[]): Promise<void> {
  if (changes.length === 0) return;
  const column = <T>(pick: (c: ParcelChange) => T) => changes.map(pick);
  await db.query(
    `INSERT INTO parcels AS p (parcel_id, county_id, courier_id, direction, state, exception, station_id,
                               weight_kg, volume_m3, cold_chain_profile_id, clock_started_at, progressed_at, waybill, recipient, updated_at)
     SELECT c.parcel_id, c.county_id, c.courier_id, c.direction, c.state, c.exception, c.station_id,
            c.weight_kg, c.volume_m3, c.profile, c.clock_started_at, c.progressed_at, c.waybill, c.recipient, now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::float8[], $9::float8[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::text[], $14::jsonb[])
            AS c(parcel_id, county_id, courier_id, direction, state, exception, station_id,
                 weight_kg, volume_m3, profile, clock_started_at, progressed_at, waybill, recipient)
     ON CONFLICT (parcel_id) DO UPDATE SET
       courier_id = EXCLUDED.courier_id,
       direction = EXCLUDED.direction,
       state = EXCLUDED.state,
       exception = EXCLUDED.exception,
       station_id = EXCLUDED.station_id,
       weight_kg = COALESCE(EXCLUDED.weight_kg, p.weight_kg),
       volume_m3 = COALESCE(EXCLUDED.volume_m3, p.volume_m3),
       -- only events with content carry a size, and the profile and recipient with it (none: not perishable, none given)
       cold_chain_profile_id = CASE WHEN EXCLUDED.weight_kg IS NOT NULL THEN EXCLUDED.cold_chain_profile_id ELSE p.cold_chain_profile_id END,
       recipient = CASE WHEN EXCLUDED.weight_kg IS NOT NULL THEN EXCLUDED.recipient ELSE p.recipient END,
       clock_started_at = LEAST(p.clock_started_at, EXCLUDED.clock_started_at),
       progressed_at = LEAST(p.progressed_at, EXCLUDED.progressed_at),
       waybill = EXCLUDED.waybill,
       updated_at = now()`,
    [
      column((c) => c.parcelId),
      column((c) => c.countyId),
      column((c) => c.courierId),
      column((c) => c.direction),
      column((c) => c.state),
      column((c) => c.exception),
      column((c) => c.stationId),
      column((c) => c.content?.weightKg ?? null),
      column((c) => c.content?.volumeM3 ?? null),
      column((c) => c.content?.coldChainProfileId ?? null),
      column((c) => c.clockStartedAt),
      column((c) => c.progressedAt),
      column((c) => c.waybill),
      column((c) => (c.content?.recipient ? JSON.stringify(c.content.recipient) : null)),
    ],
  );
}

/** What the driver's sheet shows of a parcel: its waybill and, downstream, its recipient as intake masked it. */
export interface ParcelLabel {
  waybill: string | null;
  recipient: MaskedRecipient | null;
}

/** The waybill and masked recipient of each of `parcelIds` the read model holds (confirm copies them into its events). */
export async function parcelLabels(db: Queryable, countyId: string, parcelIds: readonly string[]): Promise<Map<string, ParcelLabel>> {
  if (parcelIds.length === 0) return new Map();
  const { rows } = await db.query<{ parcel_id: string; waybill: string | null; recipient: MaskedRecipient | null }>(
    `SELECT parcel_id, waybill, recipient FROM parcels WHERE county_id = $1 AND parcel_id = ANY($2::uuid[])`,
    [countyId, parcelIds],
  );
  return new Map(rows.map((r) => [r.parcel_id, { waybill: r.waybill, recipient: r.recipient }]));
}

export interface NetworkRecords {
  county: County | undefined;
  stations: Station[];
  couriers: Courier[];
  vehicles: Vehicle[];
}

/** A county's record and its active stations, couriers and vehicles, by id. */
export async function loadNetwork(db: Queryable, countyId: string): Promise<NetworkRecords> {
  const { rows } = await db.query<{ entity: string; record: unknown }>(
    `SELECT entity, record FROM masterdata
      WHERE county_id = $1 AND (entity = 'county' OR (active AND entity IN ('station', 'courier', 'vehicle')))
      ORDER BY entity, id`,
    [countyId],
  );
  const of = <T>(entity: string) => rows.filter((r) => r.entity === entity).map((r) => r.record as T);
  return { county: of<County>('county')[0], stations: of<Station>('station'), couriers: of<Courier>('courier'), vehicles: of<Vehicle>('vehicle') };
}

/** Stations of a county by id, active or not: what references to stations are checked against. */
export async function stationsById(db: Queryable, countyId: string, ids: readonly string[]): Promise<Map<string, Station>> {
  const { rows } = await db.query<{ record: Station }>(`SELECT record FROM masterdata WHERE county_id = $1 AND entity = 'station' AND id = ANY($2)`, [
    countyId,
    ids,
  ]);
  return new Map(rows.map((r) => [r.record.id, r.record]));
}

/** One record of a county, active or not. */
export async function findRecord<T>(db: Queryable, countyId: string, entity: KeptRow['entity'], id: string): Promise<T | undefined> {
  const { rows } = await db.query<{ record: T }>(`SELECT record FROM masterdata WHERE county_id = $1 AND entity = $2 AND id = $3`, [countyId, entity, id]);
  return rows[0]?.record;
}

/**
 * Parcels waiting at the center (downstream `received`) or for their pickup (upstream `booked`) whose clock
 * started before `cutoff`, and that no live route carries: a route confirmed or departed, the parcel not taken
 * off it. A cancelled route's parcels wait again once intake has moved them back to `received`.
 *
 * Also the parcels a route brought back: downstream, still `departed` at intake (its lifecycle has no fact for
 * "back at the center": a closed station, a refusal, damage on board), whose latest route that was not cancelled
 * is `returned` with the parcel `undelivered` on it. A refused or damaged one keeps its open exception and is held
 * (pool.ts) until an operator settles it.
 *
 * And, two-tier, the parcels waiting at a town station (`atStationId`), by the latest route not cancelled that
 * carried them (not cancelled on it either): produce a `village` loop collected and brought back to its town
 * station (upstream, still `collected` at intake: the loop returned, the parcel `returned` on it); a downstream
 * parcel `at_town` that the loop brought back `undelivered`, or that a trunk handed over there and no loop since
 * took (its loop cancelled). A later route confirmed for it is its latest: out of the pool until that is cancelled.
 */
export async function waitingParcels(db: Queryable, countyId: string, cutoff: Date): Promise<WaitingParcel[]> {
  const columns = `p.parcel_id, p.courier_id, p.direction, p.station_id, p.weight_kg, p.volume_m3, p.cold_chain_profile_id, p.exception,
            COALESCE(p.clock_started_at, p.progressed_at) AS since`;
  const atCenter = `${columns}, NULL::text AS at_station_id`;
  const onNoLiveRoute = `NOT EXISTS (
              SELECT 1 FROM route_parcels rp JOIN routes r ON r.route_id = rp.route_id
               WHERE rp.county_id = p.county_id AND rp.parcel_id = p.parcel_id
                 AND rp.status <> 'cancelled' AND r.status IN ('confirmed', 'departed'))`;
  const { rows } = await db.query<{
    parcel_id: string;
    courier_id: string;
    direction: 'downstream' | 'upstream';
    station_id: string | null;
    weight_kg: number | null;
    volume_m3: number | null;
    cold_chain_profile_id: string | null;
    exception: string | null;
    since: Date;
    at_station_id: string | null;
  }>(
    `SELECT ${atCenter}
       FROM parcels p
      WHERE p.county_id = $1
        AND ((p.direction = 'downstream' AND p.state = 'received') OR (p.direction = 'upstream' AND p.state = 'booked'))
        AND COALESCE(p.clock_started_at, p.progressed_at) < $2
        AND ${onNoLiveRoute}
     UNION ALL
     SELECT ${atCenter}
       FROM parcels p
      WHERE p.county_id = $1
        AND p.direction = 'downstream' AND p.state = 'departed'
        AND COALESCE(p.clock_started_at, p.progressed_at) < $2
        AND EXISTS (
              SELECT 1 FROM route_parcels back JOIN routes r ON r.route_id = back.route_id
               WHERE back.county_id = p.county_id AND back.parcel_id = p.parcel_id
                 AND back.status = 'undelivered' AND r.status = 'returned'
                 -- and no route since (not cancelled) took it again
                 AND NOT EXISTS (
                       SELECT 1 FROM route_parcels later JOIN routes lr ON lr.route_id = later.route_id
                        WHERE later.county_id = p.county_id AND later.parcel_id = p.parcel_id
                          AND lr.status <> 'cancelled' AND lr.route_id <> r.route_id AND lr.confirmed_at >= r.confirmed_at))
        AND ${onNoLiveRoute}
     UNION ALL
     SELECT ${columns},
            CASE WHEN last.tier = 'village' THEN last.data ->> 'depotStationId'
                 ELSE (SELECT s ->> 'stationId' FROM jsonb_array_elements(last.data -> 'stops') s
                        WHERE (s ->> 'sequence')::int = last.stop_sequence LIMIT 1) END AS at_station_id
       FROM parcels p
       CROSS JOIN LATERAL (
              SELECT r.tier, r.status AS route_status, r.data, rp.status, rp.stop_sequence
                FROM route_parcels rp JOIN routes r ON r.route_id = rp.route_id
               WHERE rp.county_id = p.county_id AND rp.parcel_id = p.parcel_id AND rp.status <> 'cancelled' AND r.status <> 'cancelled'
               ORDER BY r.confirmed_at DESC, r.route_id DESC
               LIMIT 1) last
      WHERE p.county_id = $1
        AND ((p.direction = 'upstream' AND p.state = 'collected'
              AND last.tier = 'village' AND last.route_status = 'returned' AND last.status = 'returned')
          OR (p.direction = 'downstream' AND p.state = 'at_town'
              AND ((last.tier = 'village' AND last.route_status = 'returned' AND last.status = 'undelivered')
                OR (last.tier = 'trunk' AND last.status = 'handed_over'))))
        AND COALESCE(p.clock_started_at, p.progressed_at) < $2
      ORDER BY since, parcel_id`,
    [countyId, cutoff],
  );
  return rows.map((r) => ({
    parcelId: r.parcel_id,
    courierId: r.courier_id,
    direction: r.direction,
    stationId: r.station_id,
    weightKg: r.weight_kg,
    volumeM3: r.volume_m3,
    coldChainProfileId: r.cold_chain_profile_id,
    exception: r.exception,
    since: r.since.toISOString(),
    atStationId: r.at_station_id,
  }));
}

/**
 * Vehicles on a route that has not come back (confirmed or departed) of another wave up to the date: they are
 * out. A route of a later date does not hold a vehicle today.
 */
export async function vehiclesOut(db: Queryable, countyId: string, date: string, waveId: string): Promise<string[]> {
  const { rows } = await db.query<{ vehicle_id: string }>(
    `SELECT DISTINCT vehicle_id FROM routes
      WHERE county_id = $1 AND status IN ('confirmed', 'departed') AND date <= $2::date AND NOT (date = $2::date AND wave_id = $3)
      ORDER BY vehicle_id`,
    [countyId, date, waveId],
  );
  return rows.map((r) => r.vehicle_id);
}

/** Vehicles with a route, not cancelled, in another wave of the same date: their vehicle-day is paid. */
export async function vehiclesUsedOn(db: Queryable, countyId: string, date: string, waveId: string): Promise<string[]> {
  const { rows } = await db.query<{ vehicle_id: string }>(
    `SELECT DISTINCT vehicle_id FROM routes
      WHERE county_id = $1 AND date = $2::date AND wave_id <> $3 AND status <> 'cancelled'
      ORDER BY vehicle_id`,
    [countyId, date, waveId],
  );
  return rows.map((r) => r.vehicle_id);
}
