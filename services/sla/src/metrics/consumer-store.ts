import type { PoolClient } from '@county/platform';

export interface HandOver {
  countyId: string;
  routeId: string;
  stationId: string;
  sequence: number;
  serviceDate: string;
  handedOverAt: string;
  parcels: number;
}

export interface WaveCostRow {
  countyId: string;
  serviceDate: string;
  waveId: string;
  planId: string;
  confirmedAt: string;
  parcels: number;
  costYuan: number;
  counterfactualCostYuan: number;
  surveyedCostPerParcelYuan: number;
}

export interface ComplianceRecord {
  countyId: string;
  parcelId: string;
  revision: number;
  profileId: string;
  to: string;
  compliant: boolean;
}

const col = <T, K extends keyof T>(rows: T[], k: K) => rows.map((r) => r[k]);

/** A hand-over is one row per route stop; the same stop again (a replay) changes nothing. */
export async function applyHandOvers(tx: PoolClient, rows: HandOver[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO metrics_handovers (county_id, route_id, station_id, sequence, service_date, handed_over_at, parcels)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::date[], $6::timestamptz[], $7::int[])
     ON CONFLICT DO NOTHING`,
    [col(rows, 'countyId'), col(rows, 'routeId'), col(rows, 'stationId'), col(rows, 'sequence'), col(rows, 'serviceDate'), col(rows, 'handedOverAt'), col(rows, 'parcels')],
  );
}

/** A wave's costing; a later confirmation of the same wave (re-planned) replaces it, an earlier one arriving late does not. */
export async function applyWaveCosts(tx: PoolClient, rows: WaveCostRow[]): Promise<void> {
  for (const r of rows) {
    await tx.query(
      `INSERT INTO metrics_wave_costs (county_id, service_date, wave_id, plan_id, confirmed_at, parcels, cost_yuan, counterfactual_cost_yuan, surveyed_cost_per_parcel_yuan)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (county_id, service_date, wave_id) DO UPDATE SET
         plan_id = EXCLUDED.plan_id, confirmed_at = EXCLUDED.confirmed_at, parcels = EXCLUDED.parcels, cost_yuan = EXCLUDED.cost_yuan,
         counterfactual_cost_yuan = EXCLUDED.counterfactual_cost_yuan, surveyed_cost_per_parcel_yuan = EXCLUDED.surveyed_cost_per_parcel_yuan
       WHERE (metrics_wave_costs.confirmed_at, metrics_wave_costs.plan_id) < (EXCLUDED.confirmed_at, EXCLUDED.plan_id)`,
      [r.countyId, r.serviceDate, r.waveId, r.planId, r.confirmedAt, r.parcels, r.costYuan, r.counterfactualCostYuan, r.surveyedCostPerParcelYuan],
    );
  }
}

/**
 * The highest revision of a parcel's compliance record wins, whatever order the revisions arrive in. The record
 * carries its parcel's courier, town and direction as the timeline holds them (null until it does; the timeline's
 * writes keep them current, migration 0030): the county's 'sla.compliance' lock, exclusive here and shared by those
 * writes, makes whichever commits second see the other's write.
 */
export async function applyCompliance(tx: PoolClient, rows: ComplianceRecord[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtext('sla.compliance'), hashtext(x.c)) FROM (SELECT DISTINCT c FROM unnest($1::text[]) AS c ORDER BY c) x`,
    [rows.map((r) => r.countyId)],
  );
  for (const r of rows) {
    await tx.query(
      `INSERT INTO metrics_compliance (county_id, parcel_id, revision, profile_id, recorded_to, compliant, courier_id, town_id, direction)
       SELECT $1, $2, $3, $4, $5, $6, p.courier_id, p.town_id, p.direction FROM (SELECT 1) one LEFT JOIN sla_parcels p ON p.county_id = $1 AND p.parcel_id = $2
       ON CONFLICT (county_id, parcel_id) DO UPDATE SET revision = EXCLUDED.revision, profile_id = EXCLUDED.profile_id, recorded_to = EXCLUDED.recorded_to, compliant = EXCLUDED.compliant,
         courier_id = EXCLUDED.courier_id, town_id = EXCLUDED.town_id, direction = EXCLUDED.direction
       WHERE metrics_compliance.revision < EXCLUDED.revision`,
      [r.countyId, r.parcelId, r.revision, r.profileId, r.to, r.compliant],
    );
  }
}

type Data = Record<string, unknown>;

/** Master data as its latest event says (every event carries the full record; compaction keeps the latest). */
export async function applyMasterData(tx: PoolClient, type: string, countyId: string, d: Data): Promise<void> {
  const active = d.active !== false;
  if (type === 'masterdata.county_upserted') {
    await tx.query(`INSERT INTO metrics_counties (county_id, time_zone) VALUES ($1, $2) ON CONFLICT (county_id) DO UPDATE SET time_zone = EXCLUDED.time_zone`, [d.id, d.timeZone]);
  } else if (type.startsWith('masterdata.town_')) {
    await tx.query(`INSERT INTO metrics_towns (county_id, town_id, active) VALUES ($1, $2, $3) ON CONFLICT (county_id, town_id) DO UPDATE SET active = EXCLUDED.active`, [countyId, d.id, active]);
  } else if (type.startsWith('masterdata.village_')) {
    await tx.query(
      `INSERT INTO metrics_villages (county_id, code, town_id, poverty_registered, active) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (county_id, code) DO UPDATE SET town_id = EXCLUDED.town_id, poverty_registered = EXCLUDED.poverty_registered, active = EXCLUDED.active`,
      [countyId, d.code, d.townId, d.povertyRegistered === true, active],
    );
  } else if (type.startsWith('masterdata.station_')) {
    await tx.query(
      `INSERT INTO metrics_stations (county_id, station_id, kind, town_id, village_codes, service_frequency, active) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (county_id, station_id) DO UPDATE SET kind = EXCLUDED.kind, town_id = EXCLUDED.town_id, village_codes = EXCLUDED.village_codes,
         service_frequency = EXCLUDED.service_frequency, active = EXCLUDED.active`,
      [countyId, d.id, d.kind, d.townId ?? null, d.villageCodes ?? [], JSON.stringify(d.serviceFrequency ?? { kind: 'daily' }), active],
    );
  }
}
