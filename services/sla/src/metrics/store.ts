import type { Queryable } from '@county/platform';
import type { ServiceFrequency } from '@county/contracts';
import type { CoverageStation, StationMonth, WaveCost } from './domain/figures.js';
import { addDays, monthRange, monthsOf, type GroupBy } from './domain/query.js';

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
  // the timeline's copy: the aggregates (migration 0030) count each parcel on a day of this time zone
  const { rows } = await db.query<{ time_zone: string }>(`SELECT time_zone FROM sla_counties WHERE county_id = $1`, [countyId]);
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

/** The group key of a `metrics_cube` row `c` ('' is a parcel without town). */
function cubeKey(groupBy: GroupBy | undefined): string {
  switch (groupBy) {
    case 'courier':
      return `c.courier_id COLLATE "C"`;
    case 'town':
      return `(CASE c.town_id WHEN '' THEN 'unknown' ELSE c.town_id END) COLLATE "C"`;
    case 'direction':
      return `c.direction COLLATE "C"`;
    case 'day':
      return `to_char(c.day, 'YYYY-MM-DD') COLLATE "C"`;
    default:
      return `'all'`;
  }
}

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

/**
 * The period split for the minute histograms: the calendar months it holds whole (read from the monthly
 * histograms) and the days left at either end (`edges`, each `[first, last]`, both included).
 */
export function periodParts(from: string, to: string): { months: string[]; edges: [string, string][] } {
  const months = monthsOf(from, to).filter((m) => monthRange(m).from >= from && monthRange(m).to <= to);
  if (months.length === 0) return { months, edges: [[from, to]] };
  const first = monthRange(months[0]!).from;
  const last = monthRange(months[months.length - 1]!).to;
  const edges: [string, string][] = [];
  if (from < first) edges.push([from, addDays(first, -1)]);
  if (last < to) edges.push([addDays(last, 1), to]);
  return { months: months.map((m) => `${m}-01`), edges };
}

const legMinutes = (p: string) =>
  `CROSS JOIN LATERAL (VALUES ${legs.map((l) => `('${l}', CASE WHEN ${p}.${l}_on_time IS NOT NULL THEN ${p}.${l}_minutes END)`).join(', ')}) AS x(leg, minutes)`;

/** The minute histograms' coarse level: buckets of 32 minutes (bucket = minutes >> 5), migration 0030. */
const BUCKET_MINUTES = 32;

/**
 * Exact p50 and p90 of each leg's measured durations, per group (`key` null: the county's total), as `percentile_disc`
 * computes them: the smallest duration whose cumulative count reaches ceil(p × n) (at least 1). The timeline's
 * durations are whole minutes, so they are read from minute histograms (migration 0030), in two steps: the
 * 32-minute bucket holding that rank from the bucket counts, then the minute within it from that bucket's 32 minute
 * counts. The months the period holds whole are read from the monthly histograms (per group), the days at its ends
 * from the daily ones (the county's total, and each day with `groupBy=day`) or, per courier, town or direction,
 * from the parcels of those days.
 */
export async function percentiles(db: Queryable, countyId: string, from: string, to: string, tz: string, groupBy?: GroupBy) {
  const { months, edges } = periodParts(from, to);
  const params: unknown[] = [];
  const $ = (value: unknown) => `$${params.push(value)}`;
  const county = $(countyId);
  const coarse: string[] = [];
  const fine: string[] = [];
  const inBucket = (minutes: string) => `${minutes} BETWEEN t.bucket * ${BUCKET_MINUTES} AND t.bucket * ${BUCKET_MINUTES} + ${BUCKET_MINUTES - 1}`;
  // each target's 32 minutes by the histogram's key (OFFSET 0 keeps the subquery per target: an index range each,
  // where a join would scan the whole histogram; group keys in the default collation, the index's)
  const lateral = (from: string) => `SELECT t.grp, t.leg, t.p, h.minutes, h.n FROM t CROSS JOIN LATERAL (SELECT h.minutes, h.n FROM ${from} OFFSET 0) h`;
  const edgeDays = () => edges.map(([a, b]) => `(h.day >= ${$(a)}::date AND h.day <= ${$(b)}::date)`).join(' OR ');
  if (groupBy === 'day') {
    const days = `h.county_id = ${county} AND h.day >= ${$(from)}::date AND h.day <= ${$(to)}::date`;
    coarse.push(`SELECT to_char(h.day, 'YYYY-MM-DD') AS grp, h.leg, h.bucket, h.n FROM metrics_leg_buckets_day h WHERE ${days}`);
    fine.push(lateral(`metrics_leg_minutes_day h WHERE h.county_id = ${county} AND h.day = t.grp::date AND h.leg = t.leg AND ${inBucket('h.minutes')}`));
  } else {
    const dim = groupBy ?? 'direction';
    if (months.length > 0) {
      const ms = $(months);
      const grp = groupBy === undefined ? `'all'` : groupBy === 'town' ? `CASE h.grp WHEN '' THEN 'unknown' ELSE h.grp END` : 'h.grp';
      const sameGroup = groupBy === undefined ? 'true' : groupBy === 'town' ? `h.grp = CASE t.grp WHEN 'unknown' THEN '' ELSE t.grp END` : 'h.grp = t.grp';
      coarse.push(`SELECT ${grp} AS grp, h.leg, h.bucket, h.n FROM metrics_leg_buckets_month h WHERE h.county_id = ${county} AND h.month = ANY(${ms}::date[]) AND h.dim = '${dim}'`);
      fine.push(lateral(`metrics_leg_minutes_month h WHERE h.county_id = ${county} AND h.month = ANY(${ms}::date[]) AND h.dim = '${dim}' AND ${sameGroup} AND h.leg = t.leg AND ${inBucket('h.minutes')}`));
    }
    if (edges.length > 0 && groupBy === undefined) {
      const days = edgeDays();
      coarse.push(`SELECT 'all' AS grp, h.leg, h.bucket, h.n FROM metrics_leg_buckets_day h WHERE h.county_id = ${county} AND (${days})`);
      fine.push(lateral(`metrics_leg_minutes_day h WHERE h.county_id = ${county} AND (${days}) AND h.leg = t.leg AND ${inBucket('h.minutes')}`));
    } else if (edges.length > 0) {
      const zone = $(tz);
      for (const [a, b] of edges) {
        const lo = `(${$(a)}::date::timestamp AT TIME ZONE ${zone})`;
        const hi = `((${$(b)}::date + 1)::timestamp AT TIME ZONE ${zone})`;
        for (const [direction, entry] of [['downstream', 'received_at'], ['upstream', 'collected_at']] as const) {
          const rows = `FROM sla_parcels p ${legMinutes('p')} WHERE p.county_id = ${county} AND p.direction = '${direction}' AND p.${entry} >= ${lo} AND p.${entry} < ${hi} AND x.minutes IS NOT NULL`;
          coarse.push(`SELECT ${groupKey(groupBy)} AS grp, x.leg, x.minutes >> 5 AS bucket, 1 AS n ${rows}`);
          fine.push(`SELECT t.grp, t.leg, t.p, x.minutes, 1 AS n ${rows.replace('WHERE', `JOIN t ON t.grp = ${groupKey(groupBy)} AND t.leg = x.leg AND ${inBucket('x.minutes')} WHERE`)}`);
        }
      }
    }
  }
  const { rows } = await heavy<{ grp: string; leg: Leg; p: number; minutes: number }>(
    db,
    `WITH coarse AS (SELECT grp COLLATE "default" AS grp, leg, bucket, sum(n)::bigint AS n FROM (${coarse.join('\n UNION ALL ')}) src GROUP BY 1, 2, 3 HAVING sum(n) > 0),
     cum AS (SELECT grp, leg, bucket, n, sum(n) OVER (PARTITION BY grp, leg ORDER BY bucket) AS cum, sum(n) OVER (PARTITION BY grp, leg) AS total FROM coarse),
     t AS MATERIALIZED (
       SELECT DISTINCT ON (c.grp, c.leg, q.p) c.grp, c.leg, q.p, c.bucket, greatest(1, ceil(q.p * c.total)) - (c.cum - c.n) AS need
         FROM cum c CROSS JOIN (VALUES (0.5::float8), (0.9::float8)) AS q(p)
        WHERE c.cum >= greatest(1, ceil(q.p * c.total)) ORDER BY c.grp, c.leg, q.p, c.bucket),
     f AS (SELECT grp, leg, p, minutes, sum(n) AS n FROM (${fine.join('\n UNION ALL ')}) src GROUP BY 1, 2, 3, 4),
     w AS (SELECT grp, leg, p, minutes, sum(n) OVER (PARTITION BY grp, leg, p ORDER BY minutes) AS cum FROM f)
     SELECT w.grp, w.leg, w.p, min(w.minutes) AS minutes FROM w JOIN t ON t.grp = w.grp AND t.leg = w.leg AND t.p = w.p WHERE w.cum >= t.need GROUP BY 1, 2, 3`,
    params,
  );
  const out = new Map<string, { key: string | null; leg: Leg; p50: number | null; p90: number | null }>();
  for (const r of rows) {
    const id = `${r.grp}/${r.leg}`;
    const entry = out.get(id) ?? { key: groupBy ? r.grp : null, leg: r.leg, p50: null, p90: null };
    if (Number(r.p) === 0.5) entry.p50 = Number(r.minutes);
    else entry.p90 = Number(r.minutes);
    out.set(id, entry);
  }
  return [...out.values()];
}

/** Volumes and each leg's counts per group, from the cube; with a breakdown, the county's totals too (key null). */
async function cubeCounts(db: Queryable, countyId: string, from: string, to: string, groupBy?: GroupBy) {
  const g = cubeKey(groupBy);
  const legCols = legs.map((l) => `sum(c.${l}_measured) AS ${l}_m, sum(c.${l}_on_time) AS ${l}_o`).join(', ');
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${g} AS key, coalesce(sum(c.parcels) FILTER (WHERE c.direction = 'downstream'), 0) AS downstream,
            coalesce(sum(c.parcels) FILTER (WHERE c.direction = 'upstream'), 0) AS upstream, ${legCols}
       FROM metrics_cube c WHERE c.county_id = $1 AND c.day >= $2::date AND c.day <= $3::date
      GROUP BY ${groupBy ? 'GROUPING SETS ((1), ())' : '1'} HAVING sum(c.parcels) > 0 ORDER BY 1`,
    [countyId, from, to],
  );
  return rows;
}

/**
 * Volumes and legs of the period per group (README "Figures"): counts from the cube, percentiles from the minute
 * histograms. Without a breakdown every row's key is 'all'; with one, the county's totals have key null.
 * `groupPercentiles: false` leaves the groups' percentiles out (null): the gauges publish the county's alone.
 */
export async function volumesAndLegs(db: Queryable, countyId: string, from: string, to: string, tz: string, groupBy?: GroupBy, options: { groupPercentiles?: boolean } = {}) {
  const [counts, totalP, groupP] = await Promise.all([
    cubeCounts(db, countyId, from, to, groupBy),
    percentiles(db, countyId, from, to, tz),
    groupBy && options.groupPercentiles !== false ? percentiles(db, countyId, from, to, tz, groupBy) : Promise.resolve([]),
  ]);
  const pOf = new Map([...totalP, ...groupP].map((p) => [`${p.key ?? ''}/${p.leg}`, p]));
  const volumes: VolumeRow[] = [];
  const legRows: LegRow[] = [];
  for (const r of counts) {
    const key = r.key as string | null;
    volumes.push({ key, downstream: Number(r.downstream), upstream: Number(r.upstream) });
    for (const leg of legs) {
      const measured = Number(r[`${leg}_m`]);
      if (measured === 0) continue;
      const p = pOf.get(`${groupBy ? (key ?? '') : ''}/${leg}`);
      legRows.push({ key, leg, measured, onTime: Number(r[`${leg}_o`]), p50: p?.p50 ?? null, p90: p?.p90 ?? null });
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

/** Per county day: volumes and each leg's measured and on-time counts (the rolling windows add these up), from the cube. */
export async function dailyTotals(db: Queryable, countyId: string, from: string, to: string): Promise<DayRow[]> {
  const rows = await cubeCounts(db, countyId, from, to, 'day');
  return rows
    .filter((r) => r.key !== null)
    .map((r) => ({
      day: r.key as string,
      downstream: Number(r.downstream),
      upstream: Number(r.upstream),
      legs: Object.fromEntries(legs.map((l) => [l, { measured: Number(r[`${l}_m`]), onTime: Number(r[`${l}_o`]) }])) as DayRow['legs'],
    }));
}

/** Cold-chain compliance in the period by the record's `to` (hand-over or delivery), grouped through its parcel (`metrics_compliance_days`). */
export async function complianceRows(db: Queryable, countyId: string, from: string, to: string, groupBy?: GroupBy) {
  const g = groupBy === 'town' ? `c.town_id COLLATE "C"` : cubeKey(groupBy);
  const { rows } = await db.query<{ key: string; records: string; compliant: string }>(
    `SELECT ${g} AS key, sum(c.records) AS records, sum(c.compliant) AS compliant
       FROM metrics_compliance_days c WHERE c.county_id = $1 AND c.day >= $2::date AND c.day <= $3::date
      GROUP BY 1 HAVING sum(c.records) > 0 ORDER BY 1`,
    [countyId, from, to],
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
      `SELECT station_id, to_char(service_date, 'YYYY-MM-DD') AS day FROM (SELECT DISTINCT station_id, service_date FROM metrics_handovers WHERE county_id = $1 AND service_date BETWEEN $2::date AND $3::date) h`,
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

/** Each active village station's upstream parcels and value and downstream value in each month from `from` to `to` (whole months), from `metrics_station_days`. */
export async function stationMonths(db: Queryable, countyId: string, from: string, to: string): Promise<StationMonth[]> {
  const { rows } = await db.query<{ station_id: string; month: string; up: string | null; up_value: string | null; down_value: string | null }>(
    `WITH act AS (
       SELECT station_id, to_char(month, 'YYYY-MM') AS month, up, up_value, down_value FROM (
         SELECT d.station_id, date_trunc('month', d.day) AS month, sum(d.parcels) FILTER (WHERE d.direction = 'upstream') AS up,
                sum(d.declared_value_yuan) FILTER (WHERE d.direction = 'upstream') AS up_value, sum(d.declared_value_yuan) FILTER (WHERE d.direction = 'downstream') AS down_value
           FROM metrics_station_days d
          WHERE d.county_id = $1 AND d.day >= date_trunc('month', $2::date)::date AND d.day < (date_trunc('month', $3::date) + interval '1 month')::date
          GROUP BY 1, 2) m
     ),
     months AS (SELECT to_char(m, 'YYYY-MM') AS month FROM generate_series(date_trunc('month', $2::date), date_trunc('month', $3::date), interval '1 month') m)
     SELECT st.station_id, months.month, act.up, act.up_value, act.down_value
       FROM metrics_stations st CROSS JOIN months LEFT JOIN act ON act.station_id = st.station_id AND act.month = months.month
      WHERE st.county_id = $1 AND st.kind = 'village' AND st.active
      ORDER BY 1, 2`,
    [countyId, from, to],
  );
  return rows.map((r) => ({ stationId: r.station_id, month: r.month, upstreamParcels: Number(r.up ?? 0), upstreamValueYuan: Number(r.up_value ?? 0), downstreamValueYuan: Number(r.down_value ?? 0) }));
}
