import type { Queryable } from '@county/platform';
import type { ServiceFrequency } from '@county/contracts';
import type { CoverageStation, StationMonth, WaveCost } from './domain/figures.js';
import type { GroupBy } from './domain/query.js';

/**
 * The metrics' SQL. Every parcel figure reads `sla_parcels` (the timeline's read model) by the instant that decides
 * a parcel's period: `received_at` for a downstream parcel (in at the county center), `collected_at` for an
 * upstream one (picked up at its village). Periods are the county's calendar days (its time zone).
 */

export const legs = ['center_to_town', 'town_to_village', 'center_to_village', 'village_to_center'] as const;
export type Leg = (typeof legs)[number];

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * A scan of a month's parcels sorts and hashes hundreds of thousands of rows (percentiles, groups): with the default
 * 4 MB of work memory Postgres spills them to disk. These queries run on a connection of their own with more.
 */
async function heavy<R extends object>(db: Queryable, sql: string, params: unknown[]): Promise<{ rows: R[] }> {
  if (!('totalCount' in db)) return db.query<R>(sql, params);
  const client = await db.connect();
  try {
    await client.query(`SET work_mem = '128MB'`);
    return await client.query<R>(sql, params);
  } finally {
    await client.query('RESET work_mem').catch(() => undefined);
    client.release();
  }
}

export async function timeZoneOf(db: Queryable, countyId: string): Promise<string> {
  const { rows } = await db.query<{ time_zone: string }>(`SELECT time_zone FROM metrics_counties WHERE county_id = $1`, [countyId]);
  return rows[0]?.time_zone ?? DEFAULT_TIME_ZONE;
}

/** The group key of a parcel row `p` whose period instant is `p.entry_at`. */
function groupKey(groupBy: GroupBy | undefined, entry = 'p.entry_at'): string {
  switch (groupBy) {
    case 'courier':
      return `coalesce(p.courier_id, 'unknown') COLLATE "C"`;
    case 'town':
      return `coalesce(p.town_id, 'unknown') COLLATE "C"`;
    case 'direction':
      return `coalesce(p.direction, 'unknown') COLLATE "C"`;
    case 'day':
      return `to_char((${entry} AT TIME ZONE $4), 'YYYY-MM-DD') COLLATE "C"`;
    default:
      return `'all'`;
  }
}

/** $1 county, $2 first day, $3 last day, $4 time zone: the period's parcels with their period instant. */
const periodParcels = `
  WITH bounds AS (SELECT ($2::date::timestamp AT TIME ZONE $4) AS lo, (($3::date + 1)::timestamp AT TIME ZONE $4) AS hi),
  p AS (
    SELECT s.county_id, s.parcel_id, s.courier_id, s.town_id, s.direction, s.center_to_town_minutes, s.center_to_town_on_time, s.town_to_village_minutes, s.town_to_village_on_time, s.center_to_village_minutes, s.center_to_village_on_time, s.village_to_center_minutes, s.village_to_center_on_time, s.received_at AS entry_at FROM sla_parcels s, bounds
     WHERE s.county_id = $1 AND s.direction = 'downstream' AND s.received_at >= bounds.lo AND s.received_at < bounds.hi
    UNION ALL
    SELECT s.county_id, s.parcel_id, s.courier_id, s.town_id, s.direction, s.center_to_town_minutes, s.center_to_town_on_time, s.town_to_village_minutes, s.town_to_village_on_time, s.center_to_village_minutes, s.center_to_village_on_time, s.village_to_center_minutes, s.village_to_center_on_time, s.collected_at AS entry_at FROM sla_parcels s, bounds
     WHERE s.county_id = $1 AND s.direction = 'upstream' AND s.collected_at >= bounds.lo AND s.collected_at < bounds.hi
  )`;

/** `key` null: the county's total. */
export interface VolumeRow {
  key: string | null;
  downstream: number;
  upstream: number;
}

export interface LegRow {
  key: string | null;
  leg: Leg;
  measured: number;
  onTime: number;
  p50: number | null;
  p90: number | null;
}

export async function volumesAndLegs(db: Queryable, countyId: string, from: string, to: string, tz: string, groupBy?: GroupBy) {
  const g = groupKey(groupBy);
  // One scan: volumes and, per leg, its counts and percentiles (an ordered-set aggregate per leg sorts that leg's
  // durations alone). With a breakdown, the county's totals come from the same scan: grouping sets, key null.
  const legCols = legs
    .map((l) => {
      const measured = `p.${l}_minutes IS NOT NULL AND p.${l}_on_time IS NOT NULL`;
      return `count(*) FILTER (WHERE ${measured}) AS ${l}_m, count(*) FILTER (WHERE ${measured} AND p.${l}_on_time) AS ${l}_o,
              percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY p.${l}_minutes) FILTER (WHERE ${measured}) AS ${l}_p`;
    })
    .join(',\n');
  const { rows } = await heavy<Record<string, unknown>>(
    db,
    `${periodParcels}
     SELECT ${g} AS key, count(*) FILTER (WHERE p.direction = 'downstream') AS downstream, count(*) FILTER (WHERE p.direction = 'upstream') AS upstream,
            ${legCols}
       FROM p GROUP BY ${groupBy ? 'GROUPING SETS ((1), ())' : '1'} ORDER BY 1`,
    [countyId, from, to, tz],
  );
  const volumes: VolumeRow[] = [];
  const legRows: LegRow[] = [];
  for (const r of rows) {
    const key = r.key as string | null;
    volumes.push({ key, downstream: Number(r.downstream), upstream: Number(r.upstream) });
    for (const leg of legs) {
      const measured = Number(r[`${leg}_m`]);
      if (measured === 0) continue;
      const p = (r[`${leg}_p`] as (number | string | null)[] | null) ?? [null, null];
      legRows.push({ key, leg, measured, onTime: Number(r[`${leg}_o`]), p50: p[0] === null || p[0] === undefined ? null : Number(p[0]), p90: p[1] === null || p[1] === undefined ? null : Number(p[1]) });
    }
  }
  return { volumes, legs: legRows };
}

export interface DayRow {
  day: string;
  downstream: number;
  upstream: number;
  legs: Record<Leg, { measured: number; onTime: number }>;
}

/** Per county day: volumes and each leg's measured and on-time counts (the rolling windows add these up). */
export async function dailyTotals(db: Queryable, countyId: string, from: string, to: string, tz: string): Promise<DayRow[]> {
  const legCols = legs.map((l) => `count(*) FILTER (WHERE p.${l}_on_time IS NOT NULL AND p.${l}_minutes IS NOT NULL) AS ${l}_m, count(*) FILTER (WHERE p.${l}_on_time AND p.${l}_minutes IS NOT NULL) AS ${l}_o`).join(', ');
  const { rows } = await heavy<Record<string, string>>(
    db,
    `${periodParcels}
     SELECT ${groupKey('day')} AS day, count(*) FILTER (WHERE p.direction = 'downstream') AS downstream, count(*) FILTER (WHERE p.direction = 'upstream') AS upstream, ${legCols}
       FROM p GROUP BY 1 ORDER BY 1`,
    [countyId, from, to, tz],
  );
  return rows.map((r) => ({
    day: r.day as string,
    downstream: Number(r.downstream),
    upstream: Number(r.upstream),
    legs: Object.fromEntries(legs.map((l) => [l, { measured: Number(r[`${l}_m`]), onTime: Number(r[`${l}_o`]) }])) as DayRow['legs'],
  }));
}

/** Cold-chain compliance in the period by the record's `to` (hand-over or delivery), grouped through its parcel. */
export async function complianceRows(db: Queryable, countyId: string, from: string, to: string, tz: string, groupBy?: GroupBy) {
  const g = groupKey(groupBy, 'c.recorded_to');
  const { rows } = await heavy<{ key: string; records: string; compliant: string }>(
    db,
    `SELECT ${g} AS key, count(*) AS records, count(*) FILTER (WHERE c.compliant) AS compliant
       FROM metrics_compliance c LEFT JOIN sla_parcels p ON p.county_id = c.county_id AND p.parcel_id = c.parcel_id
      WHERE c.county_id = $1 AND c.recorded_to >= ($2::date::timestamp AT TIME ZONE $4) AND c.recorded_to < (($3::date + 1)::timestamp AT TIME ZONE $4)
      GROUP BY 1 ORDER BY 1`,
    [countyId, from, to, tz],
  );
  return rows.map((r) => ({ key: r.key, records: Number(r.records), compliant: Number(r.compliant) }));
}

export async function waveCosts(db: Queryable, countyId: string, from: string, to: string): Promise<WaveCost[]> {
  const { rows } = await db.query<{ parcels: number; cost_yuan: string; counterfactual_cost_yuan: string; surveyed_cost_per_parcel_yuan: string }>(
    `SELECT parcels, cost_yuan, counterfactual_cost_yuan, surveyed_cost_per_parcel_yuan FROM metrics_wave_costs
      WHERE county_id = $1 AND service_date BETWEEN $2::date AND $3::date ORDER BY service_date, wave_id`,
    [countyId, from, to],
  );
  return rows.map((r) => ({
    parcels: r.parcels,
    costYuan: Number(r.cost_yuan),
    counterfactualCostYuan: Number(r.counterfactual_cost_yuan),
    surveyedCostPerParcelYuan: Number(r.surveyed_cost_per_parcel_yuan),
  }));
}

export async function coverageData(db: Queryable, countyId: string, from: string, to: string) {
  const [towns, villages, stations, served] = await Promise.all([
    db.query<{ town_id: string; active: boolean }>(`SELECT town_id, active FROM metrics_towns WHERE county_id = $1`, [countyId]),
    db.query<{ code: string; town_id: string; poverty_registered: boolean; active: boolean }>(`SELECT code, town_id, poverty_registered, active FROM metrics_villages WHERE county_id = $1`, [countyId]),
    db.query<{ station_id: string; kind: CoverageStation['kind']; town_id: string | null; village_codes: string[]; service_frequency: ServiceFrequency; active: boolean }>(
      `SELECT station_id, kind, town_id, village_codes, service_frequency, active FROM metrics_stations WHERE county_id = $1`,
      [countyId],
    ),
    db.query<{ station_id: string; day: string }>(
      `SELECT DISTINCT station_id, to_char(service_date, 'YYYY-MM-DD') AS day FROM metrics_handovers WHERE county_id = $1 AND service_date BETWEEN $2::date AND $3::date`,
      [countyId, from, to],
    ),
  ]);
  const servedDates = new Map<string, Set<string>>();
  for (const r of served.rows) {
    if (!servedDates.has(r.station_id)) servedDates.set(r.station_id, new Set());
    servedDates.get(r.station_id)?.add(r.day);
  }
  return {
    towns: towns.rows.map((t) => ({ townId: t.town_id, active: t.active })),
    villages: villages.rows.map((v) => ({ code: v.code, townId: v.town_id, povertyRegistered: v.poverty_registered, active: v.active })),
    stations: stations.rows.map((s): CoverageStation => ({ stationId: s.station_id, kind: s.kind, townId: s.town_id, villageCodes: s.village_codes, serviceFrequency: s.service_frequency, active: s.active })),
    servedDates,
  };
}

/** Each active village station's upstream parcels and value and downstream value in each month from `from` to `to` (whole months). */
export async function stationMonths(db: Queryable, countyId: string, from: string, to: string, tz: string): Promise<StationMonth[]> {
  const { rows } = await heavy<{ station_id: string; month: string; up: string | null; up_value: string | null; down_value: string | null }>(
    db,
    `WITH bounds AS (SELECT (date_trunc('month', $2::date)::timestamp AT TIME ZONE $4) AS lo, ((date_trunc('month', $3::date) + interval '1 month')::timestamp AT TIME ZONE $4) AS hi),
     act AS (
       SELECT s.origin_station_id AS station_id, to_char(s.collected_at AT TIME ZONE $4, 'YYYY-MM') AS month, count(*) AS up, sum(coalesce(s.declared_value_yuan, 0)) AS up_value, 0::numeric AS down_value
         FROM sla_parcels s, bounds WHERE s.county_id = $1 AND s.direction = 'upstream' AND s.collected_at >= bounds.lo AND s.collected_at < bounds.hi GROUP BY 1, 2
       UNION ALL
       SELECT s.destination_station_id, to_char(s.received_at AT TIME ZONE $4, 'YYYY-MM'), 0, 0, sum(coalesce(s.declared_value_yuan, 0))
         FROM sla_parcels s, bounds WHERE s.county_id = $1 AND s.direction = 'downstream' AND s.received_at >= bounds.lo AND s.received_at < bounds.hi GROUP BY 1, 2
     ),
     months AS (SELECT to_char(m, 'YYYY-MM') AS month FROM generate_series(date_trunc('month', $2::date), date_trunc('month', $3::date), interval '1 month') m)
     SELECT st.station_id, months.month, sum(act.up) AS up, sum(act.up_value) AS up_value, sum(act.down_value) AS down_value
       FROM metrics_stations st CROSS JOIN months LEFT JOIN act ON act.station_id = st.station_id AND act.month = months.month
      WHERE st.county_id = $1 AND st.kind = 'village' AND st.active
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [countyId, from, to, tz],
  );
  return rows.map((r) => ({ stationId: r.station_id, month: r.month, upstreamParcels: Number(r.up ?? 0), upstreamValueYuan: Number(r.up_value ?? 0), downstreamValueYuan: Number(r.down_value ?? 0) }));
}
