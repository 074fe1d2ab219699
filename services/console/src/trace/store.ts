import type { Queryable } from '@county/platform';
import type { ComplianceFigures, Place, StoredStep, TraceRecord } from './domain/trace.js';

/** The trace read model's SQL (db/migrations/0001_console.sql); each function takes the client it should use. */

export interface ParcelChange {
  parcelId: string;
  countyId: string;
  originStationId: string | null;
  profileId: string | null;
  state: string;
  at: Date;
}

/** A parcel as its latest event has it; the profile, carried on booking only, is kept from before. */
export async function upsertParcel(db: Queryable, p: ParcelChange): Promise<void> {
  await db.query(
    `INSERT INTO trace_parcels (parcel_id, county_id, origin_station_id, profile_id, state, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (parcel_id) DO UPDATE SET
       origin_station_id = COALESCE(EXCLUDED.origin_station_id, trace_parcels.origin_station_id),
       profile_id = COALESCE(EXCLUDED.profile_id, trace_parcels.profile_id),
       state = EXCLUDED.state,
       updated_at = EXCLUDED.updated_at`,
    [p.parcelId, p.countyId, p.originStationId, p.profileId, p.state, p.at],
  );
}

export async function addStep(db: Queryable, parcelId: string, step: StoredStep): Promise<void> {
  await db.query(
    `INSERT INTO trace_steps (parcel_id, fact_id, kind, occurred_at, station_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (parcel_id, fact_id) DO NOTHING`,
    [parcelId, step.factId, step.kind, step.occurredAt, step.stationId],
  );
}

/** Steps a later fact overruled (a late scan overruling a loss): no longer part of the journey. */
export async function removeSteps(db: Queryable, parcelId: string, factIds: string[]): Promise<void> {
  if (factIds.length > 0) await db.query(`DELETE FROM trace_steps WHERE parcel_id = $1 AND fact_id = ANY($2::text[])`, [parcelId, factIds]);
}

/** A compliance record, unless a later revision is already stored. */
export async function upsertCompliance(db: Queryable, parcelId: string, profileId: string, c: ComplianceFigures): Promise<void> {
  await db.query(
    `INSERT INTO trace_compliance (parcel_id, revision, profile_id, from_at, to_at, minutes_in_range, minutes_out_of_range, min_c, max_c, mkt_c, compliant)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (parcel_id) DO UPDATE SET
       revision = EXCLUDED.revision, profile_id = EXCLUDED.profile_id, from_at = EXCLUDED.from_at, to_at = EXCLUDED.to_at,
       minutes_in_range = EXCLUDED.minutes_in_range, minutes_out_of_range = EXCLUDED.minutes_out_of_range,
       min_c = EXCLUDED.min_c, max_c = EXCLUDED.max_c, mkt_c = EXCLUDED.mkt_c, compliant = EXCLUDED.compliant
     WHERE trace_compliance.revision < EXCLUDED.revision`,
    [parcelId, c.revision, profileId, c.from, c.to, c.minutesInRange, c.minutesOutOfRange, c.minC, c.maxC, c.mktC, c.compliant],
  );
}

export async function upsertCounty(db: Queryable, county: { id: string; name: string; timeZone: string }): Promise<void> {
  await db.query(
    `INSERT INTO trace_counties (county_id, name, time_zone) VALUES ($1, $2, $3)
     ON CONFLICT (county_id) DO UPDATE SET name = EXCLUDED.name, time_zone = EXCLUDED.time_zone`,
    [county.id, county.name, county.timeZone],
  );
}

export async function upsertTown(db: Queryable, town: { countyId: string; id: string; name: string }): Promise<void> {
  await db.query(
    `INSERT INTO trace_towns (county_id, town_id, name) VALUES ($1, $2, $3)
     ON CONFLICT (county_id, town_id) DO UPDATE SET name = EXCLUDED.name`,
    [town.countyId, town.id, town.name],
  );
}

export async function upsertVillage(db: Queryable, village: { countyId: string; code: string; name: string }): Promise<void> {
  await db.query(
    `INSERT INTO trace_villages (county_id, code, name) VALUES ($1, $2, $3)
     ON CONFLICT (county_id, code) DO UPDATE SET name = EXCLUDED.name`,
    [village.countyId, village.code, village.name],
  );
}

export async function upsertStation(
  db: Queryable,
  station: { countyId: string; id: string; name: string; kind: string; townId?: string | undefined; villageCodes: string[] },
): Promise<void> {
  await db.query(
    `INSERT INTO trace_stations (county_id, station_id, name, kind, town_id, village_codes) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (county_id, station_id) DO UPDATE SET
       name = EXCLUDED.name, kind = EXCLUDED.kind, town_id = EXCLUDED.town_id, village_codes = EXCLUDED.village_codes`,
    [station.countyId, station.id, station.name, station.kind, station.townId ?? null, station.villageCodes],
  );
}

export interface LabelledParcel {
  parcelId: string;
  countyId: string;
  originStationId: string | null;
  code: string | null;
}

/** The upstream parcels of these ids the console holds, with their code if they have one. */
export async function findParcels(db: Queryable, parcelIds: string[]): Promise<LabelledParcel[]> {
  const { rows } = await db.query<{ parcel_id: string; county_id: string; origin_station_id: string | null; code: string | null }>(
    `SELECT p.parcel_id, p.county_id, p.origin_station_id, c.code
       FROM trace_parcels p LEFT JOIN trace_codes c ON c.parcel_id = p.parcel_id
      WHERE p.parcel_id = ANY($1::uuid[])`,
    [parcelIds],
  );
  return rows.map((r) => ({ parcelId: r.parcel_id, countyId: r.county_id, originStationId: r.origin_station_id, code: r.code }));
}

/** Gives the parcel this code unless it has one; resolves the parcel's code either way. */
export async function claimCode(db: Queryable, parcelId: string, code: string): Promise<string> {
  await db.query(`INSERT INTO trace_codes (code, parcel_id) VALUES ($1, $2) ON CONFLICT (parcel_id) DO NOTHING`, [code, parcelId]);
  const { rows } = await db.query<{ code: string }>(`SELECT code FROM trace_codes WHERE parcel_id = $1`, [parcelId]);
  return rows[0]!.code;
}

export async function parcelOfCode(db: Queryable, code: string): Promise<LabelledParcel | undefined> {
  const { rows } = await db.query<{ parcel_id: string; county_id: string; origin_station_id: string | null }>(
    `SELECT p.parcel_id, p.county_id, p.origin_station_id FROM trace_codes c JOIN trace_parcels p USING (parcel_id) WHERE c.code = $1`,
    [code],
  );
  const r = rows[0];
  return r && { parcelId: r.parcel_id, countyId: r.county_id, originStationId: r.origin_station_id, code };
}

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Everything the trace page of a code shows, from the read model; undefined for a code nobody was given. */
export async function loadTrace(db: Queryable, code: string): Promise<TraceRecord | undefined> {
  const parcel = await db.query<{ parcel_id: string; county_id: string; profile_id: string | null; state: string; origin_station_id: string | null; county_name: string | null; time_zone: string | null }>(
    `SELECT p.parcel_id, p.county_id, p.profile_id, p.state, p.origin_station_id, k.name AS county_name, k.time_zone
       FROM trace_codes c JOIN trace_parcels p USING (parcel_id) LEFT JOIN trace_counties k ON k.county_id = p.county_id
      WHERE c.code = $1`,
    [code],
  );
  const p = parcel.rows[0];
  if (!p) return undefined;
  const [steps, compliance, stations] = await Promise.all([
    db.query<{ fact_id: string; kind: string; occurred_at: Date; station_id: string | null }>(
      `SELECT fact_id, kind, occurred_at, station_id FROM trace_steps WHERE parcel_id = $1 ORDER BY occurred_at, fact_id`,
      [p.parcel_id],
    ),
    db.query<{ revision: number; from_at: Date; to_at: Date; minutes_in_range: number; minutes_out_of_range: number; min_c: number | null; max_c: number | null; mkt_c: number | null; compliant: boolean }>(
      `SELECT revision, from_at, to_at, minutes_in_range, minutes_out_of_range, min_c, max_c, mkt_c, compliant FROM trace_compliance WHERE parcel_id = $1`,
      [p.parcel_id],
    ),
    db.query<{ station_id: string; name: string; kind: string; town_id: string | null; village_codes: string[] }>(
      `SELECT station_id, name, kind, town_id, village_codes FROM trace_stations
        WHERE county_id = $1 AND (kind = 'center' OR station_id = $2 OR station_id IN (SELECT station_id FROM trace_steps WHERE parcel_id = $3 AND station_id IS NOT NULL))`,
      [p.county_id, p.origin_station_id, p.parcel_id],
    ),
  ]);
  const origin = stations.rows.find((s) => s.station_id === p.origin_station_id);
  const center = stations.rows.find((s) => s.kind === 'center');
  const [town, villages] = await Promise.all([
    origin?.town_id
      ? db.query<{ name: string }>(`SELECT name FROM trace_towns WHERE county_id = $1 AND town_id = $2`, [p.county_id, origin.town_id])
      : Promise.resolve({ rows: [] as { name: string }[] }),
    db.query<{ code: string; name: string }>(`SELECT code, name FROM trace_villages WHERE county_id = $1 AND code = ANY($2::text[]) ORDER BY code`, [
      p.county_id,
      origin?.village_codes ?? [],
    ]),
  ]);
  const c = compliance.rows[0];
  const place = (id: string, name: string): Place => ({ id, name });
  return {
    code,
    countyId: p.county_id,
    countyName: p.county_name,
    timeZone: p.time_zone ?? DEFAULT_TIME_ZONE,
    profileId: p.profile_id,
    state: p.state,
    originStation: origin ? { ...place(origin.station_id, origin.name), kind: origin.kind } : null,
    town: origin?.town_id && town.rows[0] ? place(origin.town_id, town.rows[0].name) : null,
    villages: villages.rows.map((v) => place(v.code, v.name)),
    center: center ? place(center.station_id, center.name) : null,
    stationNames: Object.fromEntries(stations.rows.map((s) => [s.station_id, s.name])),
    steps: steps.rows.map((s) => ({ factId: s.fact_id, kind: s.kind, occurredAt: s.occurred_at, stationId: s.station_id })),
    compliance: c
      ? {
          revision: c.revision,
          from: c.from_at,
          to: c.to_at,
          minutesInRange: c.minutes_in_range,
          minutesOutOfRange: c.minutes_out_of_range,
          minC: c.min_c,
          maxC: c.max_c,
          mktC: c.mkt_c,
          compliant: c.compliant,
        }
      : null,
  };
}
