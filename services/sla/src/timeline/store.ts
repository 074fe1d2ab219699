import type { County, Station, Town, Village } from '@county/contracts';
import type { Queryable } from '@county/platform';
import { steps, type SlaParcel, type Step, type TimelineFact } from './domain/fold.js';
import { legs, type MeasureContext, type Measured } from './domain/measure.js';

/** The timeline's SQL (migration 0010): master-data copies, route arrivals, parcels and their facts. */

export interface StoredParcel {
  parcel: SlaParcel;
  eta: string | null;
  deadline: string | null;
}

const stepColumn = (step: Step) => `${step}_at`;
const toIso = (value: Date | null) => (value === null ? null : value.toISOString());

/** The parcels of `ids` sla holds, locked for the transaction (the route consumer and the scanner write them too). */
export async function lockParcels(db: Queryable, ids: readonly string[]): Promise<Map<string, StoredParcel>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT * FROM sla_parcels WHERE parcel_id = ANY($1::uuid[]) ORDER BY parcel_id FOR UPDATE`,
    [ids],
  );
  return new Map(rows.map((r) => [r.parcel_id as string, fromRow(r)]));
}

function fromRow(r: Record<string, unknown>): StoredParcel {
  const stepsOf: Partial<Record<Step, string>> = {};
  for (const step of steps) {
    const value = r[stepColumn(step)] as Date | null;
    if (value) stepsOf[step] = value.toISOString();
  }
  return {
    parcel: {
      parcelId: r.parcel_id as string,
      countyId: r.county_id as string,
      courierId: r.courier_id as string,
      direction: r.direction as SlaParcel['direction'],
      destinationStationId: r.destination_station_id as string | null,
      originStationId: r.origin_station_id as string | null,
      declaredValueYuan: r.declared_value_yuan as number | null,
      coldChainProfileId: r.cold_chain_profile_id as string | null,
      state: r.state as string,
      stateAt: (r.state_at as Date).toISOString(),
      stateFactId: r.state_fact_id as string,
      steps: stepsOf,
    },
    eta: toIso(r.eta as Date | null),
    deadline: toIso(r.deadline as Date | null),
  };
}

type Column = [name: string, type: string, pick: (p: SlaParcel, m: Measured) => unknown];

const columns: Column[] = [
  ['parcel_id', 'uuid', (p) => p.parcelId],
  ['county_id', 'text', (p) => p.countyId],
  ['courier_id', 'text', (p) => p.courierId],
  ['direction', 'text', (p) => p.direction],
  ['destination_station_id', 'text', (p) => p.destinationStationId],
  ['origin_station_id', 'text', (p) => p.originStationId],
  ['town_id', 'text', (_p, m) => m.townId],
  ['village_code', 'text', (_p, m) => m.villageCode],
  ['declared_value_yuan', 'float8', (p) => p.declaredValueYuan],
  ['cold_chain_profile_id', 'text', (p) => p.coldChainProfileId],
  ['state', 'text', (p) => p.state],
  ['state_at', 'timestamptz', (p) => p.stateAt],
  ['state_fact_id', 'text', (p) => p.stateFactId],
  ...steps.map((step): Column => [stepColumn(step), 'timestamptz', (p) => p.steps[step] ?? null]),
  ...legs.flatMap((leg): Column[] => [
    [`${leg}_minutes`, 'int', (_p, m) => m.legs[leg].minutes],
    [`${leg}_on_time`, 'boolean', (_p, m) => m.legs[leg].onTime],
    [`${leg}_ended_at`, 'timestamptz', (_p, m) => m.legs[leg].endedAt],
  ]),
  ['deadline_leg', 'text', (_p, m) => m.deadlineLeg],
  ['deadline', 'timestamptz', (_p, m) => m.deadline],
  ['eta', 'timestamptz', (_p, m) => m.eta],
  ['eta_source', 'text', (_p, m) => m.etaSource],
  ['eta_due_at', 'timestamptz', (_p, m) => m.etaDueAt],
  ['open', 'boolean', (_p, m) => m.open],
  ['measured_at', 'timestamptz', (_p, m) => m.measuredAt],
];

const names = columns.map((c) => c[0]);
// The rows travel as one JSON array of arrays (one JSON.stringify; Postgres parses it), not as 45 array parameters
// each escaped element by element by the driver.
const upsertSql = `INSERT INTO sla_parcels (${names.join(', ')}, updated_at)
  SELECT ${columns.map(([n, type], i) => `(r->>${i})::${type} AS ${n}`).join(', ')}, now()
    FROM json_array_elements($1::json) AS r
  ON CONFLICT (parcel_id) DO UPDATE SET ${names
    .filter((n) => n !== 'parcel_id')
    .map((n) => `${n} = EXCLUDED.${n}`)
    .join(', ')}, updated_at = now()`;

/** Writes every parcel with its measures in one statement. */
export async function saveParcels(db: Queryable, rows: readonly { parcel: SlaParcel; measured: Measured }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(upsertSql, [JSON.stringify(rows.map((r) => columns.map(([, , pick]) => pick(r.parcel, r.measured))))]);
}

export async function insertFacts(db: Queryable, facts: readonly TimelineFact[]): Promise<void> {
  if (facts.length === 0) return;
  await db.query(
    `INSERT INTO sla_parcel_facts (parcel_id, fact_id, event_type, kind, occurred_at, received_at, station_id, route_id, actor, state_after)
     SELECT (f->>0)::uuid, f->>1, f->>2, f->>3, (f->>4)::timestamptz, (f->>5)::timestamptz, f->>6, f->>7, (f->8)::jsonb, f->>9
       FROM json_array_elements($1::json) AS f
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(facts.map((f) => [f.parcelId, f.factId, f.eventType, f.kind, f.occurredAt, f.receivedAt, f.stationId, f.routeId, f.actor, f.stateAfter]))],
  );
}

/** What measuring the parcels needs: their counties, stations, stations' travel estimates and live routes. */
export async function loadContexts(db: Queryable, parcels: readonly SlaParcel[]): Promise<(p: SlaParcel) => MeasureContext> {
  const countyIds = [...new Set(parcels.map((p) => p.countyId))];
  const stationKey = (p: SlaParcel) => (p.direction === 'downstream' ? p.destinationStationId : p.originStationId);
  const stationIds = [...new Set(parcels.map(stationKey).filter((s): s is string => s !== null))];
  // one round trip: the county, the station, its travel estimate and the parcel's live route (not cancelled, the
  // latest planned departure: a village loop after its trunk)
  const { rows } = await db.query<{
    counties: { county_id: string; time_zone: string; sla: County['sla']; waves: County['waves'] }[] | null;
    stations: { county_id: string; station_id: string; kind: 'center' | 'town' | 'village'; town_id: string | null; village_codes: string[] }[] | null;
    travel: { county_id: string; station_id: string; routes: number; total_minutes: number }[] | null;
    routes: { parcel_id: string; route_id: string; tier: string; planned_arrival: string; planned_return: string }[] | null;
  }>(
    `SELECT
       (SELECT json_agg(c) FROM (SELECT county_id, time_zone, sla, waves FROM sla_counties WHERE county_id = ANY($1)) c) AS counties,
       (SELECT json_agg(s) FROM (SELECT county_id, station_id, kind, town_id, village_codes FROM sla_stations
                                  WHERE county_id = ANY($1) AND station_id = ANY($2)) s) AS stations,
       (SELECT json_agg(t) FROM (SELECT county_id, station_id, routes, total_minutes FROM sla_station_travel
                                  WHERE county_id = ANY($1) AND station_id = ANY($2)) t) AS travel,
       (SELECT json_agg(r) FROM (SELECT DISTINCT ON (parcel_id) parcel_id, route_id, tier, planned_arrival, planned_return
                                   FROM sla_route_parcels WHERE parcel_id = ANY($3::uuid[]) AND NOT cancelled
                                  ORDER BY parcel_id, planned_departure DESC, route_id) r) AS routes`,
    [countyIds, stationIds, parcels.map((p) => p.parcelId)],
  );
  const found = rows[0]!;
  const counties = { rows: found.counties ?? [] };
  const stations = { rows: found.stations ?? [] };
  const travel = { rows: found.travel ?? [] };
  const routes = { rows: found.routes ?? [] };
  const county = new Map(counties.rows.map((r) => [r.county_id, { timeZone: r.time_zone, sla: r.sla, waves: r.waves }]));
  const station = new Map(stations.rows.map((r) => [`${r.county_id}/${r.station_id}`, { kind: r.kind, townId: r.town_id, villageCodes: r.village_codes }]));
  const minutes = new Map(travel.rows.map((r) => [`${r.county_id}/${r.station_id}`, Number(r.total_minutes) / r.routes]));
  const route = new Map(
    routes.rows.map((r) => [
      r.parcel_id,
      { routeId: r.route_id, tier: r.tier, plannedArrival: new Date(r.planned_arrival).toISOString(), plannedReturn: new Date(r.planned_return).toISOString() },
    ]),
  );
  return (p) => {
    const key = `${p.countyId}/${stationKey(p)}`;
    return { county: county.get(p.countyId), station: station.get(key), travelMinutes: minutes.get(key) ?? null, route: route.get(p.parcelId) };
  };
}

export type MasterRow =
  | { entity: 'county'; record: County }
  | { entity: 'town'; record: Town }
  | { entity: 'village'; record: Village }
  | { entity: 'station'; record: Station };

export async function upsertMasterData(db: Queryable, row: MasterRow): Promise<void> {
  const json = JSON.stringify(row.record);
  switch (row.entity) {
    case 'county':
      await db.query(
        `INSERT INTO sla_counties (county_id, time_zone, sla, waves, record) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (county_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, sla = EXCLUDED.sla, waves = EXCLUDED.waves, record = EXCLUDED.record`,
        [row.record.id, row.record.timeZone, JSON.stringify(row.record.sla), JSON.stringify(row.record.waves), json],
      );
      return;
    case 'town':
      await db.query(
        `INSERT INTO sla_towns (county_id, town_id, name, active, record) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (county_id, town_id) DO UPDATE SET name = EXCLUDED.name, active = EXCLUDED.active, record = EXCLUDED.record`,
        [row.record.countyId, row.record.id, row.record.name, row.record.active, json],
      );
      return;
    case 'village':
      await db.query(
        `INSERT INTO sla_villages (county_id, village_code, town_id, poverty_registered, active, record) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (county_id, village_code) DO UPDATE SET town_id = EXCLUDED.town_id, poverty_registered = EXCLUDED.poverty_registered,
           active = EXCLUDED.active, record = EXCLUDED.record`,
        [row.record.countyId, row.record.code, row.record.townId, row.record.povertyRegistered, row.record.active, json],
      );
      return;
    case 'station':
      await db.query(
        `INSERT INTO sla_stations (county_id, station_id, kind, town_id, village_codes, service_frequency, active, record)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (county_id, station_id) DO UPDATE SET kind = EXCLUDED.kind, town_id = EXCLUDED.town_id, village_codes = EXCLUDED.village_codes,
           service_frequency = EXCLUDED.service_frequency, active = EXCLUDED.active, record = EXCLUDED.record`,
        [
          row.record.countyId,
          row.record.id,
          row.record.kind,
          row.record.townId ?? null,
          row.record.villageCodes,
          JSON.stringify(row.record.serviceFrequency),
          row.record.active,
          json,
        ],
      );
      return;
  }
}

/**
 * Open parcels whose ETA is due again (its wave left, or it passed), or whose deadline is at or before
 * `breachesUntil` (null: none) without their breach yet.
 */
export async function dueOpenParcels(db: Queryable, now: Date, breachesUntil: Date | null, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ parcel_id: string }>(
    `SELECT parcel_id FROM sla_parcels
      WHERE open AND (eta_due_at < $1 OR (deadline <= $3 AND NOT EXISTS (
              SELECT 1 FROM sla_alerts a WHERE a.dedupe_key = 'breach/' || sla_parcels.parcel_id || '/' || sla_parcels.deadline_leg)))
      ORDER BY eta_due_at LIMIT $2`,
    [now, limit, breachesUntil],
  );
  return rows.map((r) => r.parcel_id);
}

export async function parcelIdsOnRoutes(db: Queryable, parcelIds: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ parcel_id: string }>(`SELECT parcel_id FROM sla_parcels WHERE parcel_id = ANY($1::uuid[])`, [parcelIds]);
  return rows.map((r) => r.parcel_id);
}

/**
 * Parcels to measure again when master data arrives or changes: the county's open parcels and those measured before
 * its policy was known (a clock started, no deadline); for a station, its open parcels and those measured before the
 * station was known (no town).
 */
export async function parcelsAwaitingMasterData(db: Queryable, countyId: string, stationId: string | null): Promise<string[]> {
  const { rows } = stationId === null
    ? await db.query<{ parcel_id: string }>(
        `SELECT parcel_id FROM sla_parcels
          WHERE county_id = $1 AND (open OR (deadline IS NULL AND (received_at IS NOT NULL OR collected_at IS NOT NULL)))
          ORDER BY parcel_id`,
        [countyId],
      )
    : await db.query<{ parcel_id: string }>(
        `SELECT parcel_id FROM sla_parcels
          WHERE county_id = $1 AND (destination_station_id = $2 OR origin_station_id = $2) AND (open OR town_id IS NULL)
          ORDER BY parcel_id`,
        [countyId, stationId],
      );
  return rows.map((r) => r.parcel_id);
}

/**
 * Master data and the parcels measured with it, kept consistent: whoever measures parcels of a county holds this
 * lock shared until commit; a master-data change of the county holds it exclusively, so it sees every parcel folded
 * before it (and re-measures those that needed it) and every fold after it sees the change.
 */
export async function lockCountiesForMeasuring(db: Queryable, countyIds: readonly string[]): Promise<void> {
  const ids = [...new Set(countyIds)].sort();
  if (ids.length === 1) await db.query(`SELECT pg_advisory_xact_lock_shared(hashtext('sla.county'), hashtext($1))`, ids);
  else if (ids.length > 1) await db.query(`SELECT pg_advisory_xact_lock_shared(hashtext('sla.county'), hashtext(c)) FROM unnest($1::text[]) AS c`, [ids]);
}

export async function lockCountyForChange(db: Queryable, countyId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('sla.county'), hashtext($1))`, [countyId]);
}
